import ArgumentParser
import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import RunbookApp

extension RunbookCommand {
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check runbooks for mistakes; print file:line:col diagnostics.",
            discussion: """
                Exit 1 when any error is found (with --strict also on warnings). With --articles, each name in a \
                runbook's 'sources:' (the legacy articles it replaces) must be a file of that folder.

                Examples:
                  runbook lint Runbooks
                  runbook lint Runbooks --articles ../shared/corpus/azure-docs/articles
                """)

        @Argument(help: ArgumentHelp("Runbook files or folders (default: the knowledge base).", valueName: "path"))
        var paths: [String] = []

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        @Option(help: "Output: text, or json (one object per diagnostic)")
        var format: RunbookCommand.OutputFormat = .text

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        @Option(help: ArgumentHelp(
            "The folder of legacy articles: each name in a runbook's 'sources:' must be a file there.",
            valueName: "dir"))
        var articles: String?

        func run() async throws {
            let registry = ActionRegistry.builtIn
            var articlePaths: Set<String>?
            if let articles {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: articles, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw AppError.badInput("articles folder '\(articles)' does not exist")
                }
                articlePaths = SourceArticle.paths(in: articles)
            }
            let targets = paths.isEmpty ? [knowledgeBase.resolvedDirectory] : paths
            var files: [String] = []
            for target in targets {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else {
                    throw AppError.badInput("no such file or folder: \(target)")
                }
                files += isDirectory.boolValue ? KnowledgeBase.markdownFiles(in: target) : [target]
            }
            // Calls are checked against the knowledge base plus the files being linted.
            var known = (try? KnowledgeBase(directory: knowledgeBase.resolvedDirectory))?.byID ?? [:]
            var loaded: [(Runbook, [Diagnostic])] = []
            var all: [Diagnostic] = []
            for file in files {
                let text: String
                do {
                    text = try KnowledgeBase.readRunbookFile(file)
                } catch {
                    all.append(Diagnostic(.error, "unreadable", error.description, file: file, at: .init(line: 1, column: 1)))
                    continue
                }
                let result = Runbook.load(text: text, path: file)
                loaded.append((result.runbook, result.diagnostics))
                if known[result.runbook.id] == nil { known[result.runbook.id] = result.runbook }
            }
            var seenIDs: [String: String] = [:]
            for (runbook, diagnostics) in loaded {
                var found = diagnostics + Linter.lint(runbook, schemas: registry.schemas, knowledgeBase: known)
                if let articles, let articlePaths {
                    found += Linter.lintSources(runbook, articles: articlePaths, articlesDirectory: articles)
                }
                if runbook.hasFrontMatter, let other = seenIDs[runbook.id] {
                    found.append(Diagnostic(
                        .error, "duplicate-runbook", "runbook id '\(runbook.id)' is also used by \(other)",
                        file: runbook.path, at: runbook.metadataLocations["id"] ?? .init(line: 1, column: 1)))
                }
                if runbook.hasFrontMatter { seenIDs[runbook.id] = runbook.path }
                all += found.sorted { $0.location < $1.location }
            }
            switch format {
            case .text:
                for diagnostic in all { print(diagnostic.description) }
                let errors = all.errors.count
                let warnings = all.count - errors
                FileOutput.standardError.write("\(files.count) file(s): \(errors) error(s), \(warnings) warning(s)\n")
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for diagnostic in all {
                    let object = LintRecord(diagnostic)
                    if let data = try? encoder.encode(object) { print(String(decoding: data, as: UTF8.self)) }
                }
            }
            if all.hasErrors || (strict && !all.isEmpty) { throw ExitCode(1) }
        }
    }
}

/// One diagnostic as JSON.
struct LintRecord: Encodable {
    var file: String
    var line: Int
    var column: Int
    var severity: String
    var code: String
    var message: String
    var note: String?

    init(_ diagnostic: Diagnostic) {
        file = diagnostic.file
        line = diagnostic.location.line
        column = diagnostic.location.column
        severity = diagnostic.severity.rawValue
        code = diagnostic.code
        message = diagnostic.message
        note = diagnostic.note
    }
}
