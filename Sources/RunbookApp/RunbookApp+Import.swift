import Foundation
public import RunbookCore

/// A legacy article turned into a draft runbook, and what lint says of the draft.
public struct ImportedArticle: Sendable {
    public var draft: LegacyImporter.Draft
    public var problems: [Diagnostic]
}

/// What `runbook import --check` found over many articles.
public struct ImportCheckSummary: Sendable {
    public var files = 0
    public var drafts = 0
    public var withErrors = 0
    public var warnings = 0
    public var split = 0
    public var fixes = 0
    public var manual = 0
    public var inlined = 0
    public var missing = 0
    public var seconds = 0.0
    /// Unreadable files and the first lint errors of each draft that has some.
    public var failures: [String] = []

    /// Whether every article was imported and no draft has lint errors.
    public var passed: Bool { withErrors == 0 && drafts == files }

    /// The counts as one paragraph.
    public var text: String {
        """
        \(files) article(s) imported in \(String(format: "%.1f", seconds))s: \(drafts) drafts, \
        \(withErrors) with lint errors, \(warnings) warnings; \(split) split by model; \
        \(fixes) run blocks, \(manual) manual steps; \(inlined) includes inlined, \
        \(missing) missing
        """
    }
}

extension RunbookApp {
    /// `runbook import ARTICLE`: the article as a draft runbook, linted as if it were at `lintPath`.
    /// Includes are looked up relative to the article, then by file name in `includes`.
    public func importArticle(_ path: String, includes: String?, lintPath: String) throws(AppError) -> ImportedArticle {
        guard let text = Self.readArticle(path) else { throw .badInput("cannot read \(path)") }
        let draft = Self.importer(articlePath: path, includes: includes).draft(of: text, path: path)
        return ImportedArticle(draft: draft, problems: lint(draft, path: lintPath))
    }

    /// `runbook import --check PATH…`: imports every article in memory, lints each draft, counts.
    public func importCheck(_ paths: [String], includes: String?) throws(AppError) -> ImportCheckSummary {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .badInput("no such file or folder: \(path)")
            }
            files += isDirectory.boolValue ? KnowledgeBase.markdownFiles(in: path) : [path]
        }
        let started = Date()
        var counts = ImportCheckSummary(files: files.count)
        for file in files {
            guard let text = Self.readArticle(file) else {
                counts.failures.append("\(file): unreadable")
                continue
            }
            let draft = Self.importer(articlePath: file, includes: includes).draft(of: text, path: file)
            let problems = lint(draft, path: file)
            counts.drafts += 1
            counts.warnings += problems.count - problems.errors.count
            if problems.hasErrors {
                counts.withErrors += 1
                counts.failures += problems.errors.prefix(3).map(\.description)
            }
            if draft.models.count == 2 { counts.split += 1 }
            counts.fixes += draft.runBlocks
            counts.manual += draft.manualSteps
            counts.inlined += draft.includesInlined
            counts.missing += draft.missingIncludes.count
        }
        counts.seconds = Date().timeIntervalSince(started)
        return counts
    }

    static func readArticle(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func importer(articlePath: String, includes: String?) -> LegacyImporter {
        let directory = (articlePath as NSString).deletingLastPathComponent
        return LegacyImporter { include in
            let relative = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(include)
            if let text = readArticle((relative as NSString).standardizingPath) { return text }
            if let includes {
                let name = (include as NSString).lastPathComponent
                return readArticle((includes as NSString).appendingPathComponent(name))
            }
            return nil
        }
    }

    func lint(_ draft: LegacyImporter.Draft, path: String) -> [Diagnostic] {
        let loaded = Runbook.load(text: draft.markdown, path: path)
        return loaded.diagnostics + Linter.lint(loaded.runbook, schemas: registry.schemas)
    }
}
