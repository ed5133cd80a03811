import ArgumentParser
import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import RunbookApp

extension RunbookCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a legacy article into a draft runbook (metadata, includes, model split, fixes, ids).",
            discussion: """
                Includes are looked up relative to the article, then by file name in --includes DIR.

                Examples:
                  runbook import article.md -o Runbooks/article.md
                  runbook import --check ../shared/corpus/azure-docs/articles  # lint all
                """)

        @Argument(help: ArgumentHelp("An article, or with --check files and folders.", valueName: "path"))
        var paths: [String]

        @Option(help: ArgumentHelp("Folder of include files, searched by file name.", valueName: "dir"))
        var includes: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the draft here (default: stdout); never overwrites.", valueName: "path"))
        var output: String?

        @Flag(help: "Import every article in memory, lint each draft, and print counts; write nothing.")
        var check = false

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            if !check && paths.count != 1 { throw ValidationError("give one article (or --check with files and folders)") }
            if check && output != nil { throw ValidationError("--check writes nothing; drop -o") }
        }

        func run() async throws {
            if check { return try runCheck() }
            let path = paths[0]
            guard let text = Self.read(path) else { throw AppError.badInput("cannot read \(path)") }
            let draft = Self.importer(articlePath: path, includes: includes).draft(of: text, path: path)
            for include in draft.missingIncludes {
                FileOutput.standardError.write("\(path): warning: include not found: \(include)\n")
            }
            let problems = Self.lint(draft, path: output ?? path)
            for problem in problems.errors { FileOutput.standardError.write("\(problem)\n") }
            if let output {
                guard !FileManager.default.fileExists(atPath: output) else {
                    throw AppError.badInput("\(output) already exists; not overwriting it")
                }
                try OutputFile.write(draft.markdown, to: output, announce: false)
                FileOutput.standardError.write(
                    "wrote \(output): \(draft.models.isEmpty ? "no model split" : "models " + draft.models.joined(separator: ","))"
                        + ", \(draft.runBlocks) fix(es), \(draft.manualSteps) manual step(s)\n")
            } else {
                FileOutput.standardOutput.write(draft.markdown)
            }
            if problems.hasErrors { throw ExitCode(1) }
        }

        static func read(_ path: String) -> String? {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }

        static func importer(articlePath: String, includes: String?) -> LegacyImporter {
            let directory = (articlePath as NSString).deletingLastPathComponent
            return LegacyImporter { include in
                let relative = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(include)
                if let text = read((relative as NSString).standardizingPath) { return text }
                if let includes {
                    let name = (include as NSString).lastPathComponent
                    return read((includes as NSString).appendingPathComponent(name))
                }
                return nil
            }
        }

        static func lint(_ draft: LegacyImporter.Draft, path: String) -> [Diagnostic] {
            let loaded = Runbook.load(text: draft.markdown, path: path)
            return loaded.diagnostics + Linter.lint(loaded.runbook, schemas: ActionRegistry.builtIn.schemas)
        }

        func runCheck() throws {
            var files: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw AppError.badInput("no such file or folder: \(path)")
                }
                files += isDirectory.boolValue ? KnowledgeBase.markdownFiles(in: path) : [path]
            }
            let started = Date()
            var counts = (drafts: 0, withErrors: 0, warnings: 0, split: 0, fixes: 0, manual: 0, inlined: 0, missing: 0)
            var failures: [String] = []
            for file in files {
                guard let text = Self.read(file) else {
                    failures.append("\(file): unreadable")
                    continue
                }
                let draft = Self.importer(articlePath: file, includes: includes).draft(of: text, path: file)
                let problems = Self.lint(draft, path: file)
                counts.drafts += 1
                counts.warnings += problems.count - problems.errors.count
                if problems.hasErrors {
                    counts.withErrors += 1
                    failures += problems.errors.prefix(3).map(\.description)
                }
                if draft.models.count == 2 { counts.split += 1 }
                counts.fixes += draft.runBlocks
                counts.manual += draft.manualSteps
                counts.inlined += draft.includesInlined
                counts.missing += draft.missingIncludes.count
            }
            for failure in failures.prefix(40) { print(failure) }
            let seconds = Date().timeIntervalSince(started)
            print("""
                \(files.count) article(s) imported in \(String(format: "%.1f", seconds))s: \(counts.drafts) drafts, \
                \(counts.withErrors) with lint errors, \(counts.warnings) warnings; \(counts.split) split by model; \
                \(counts.fixes) run blocks, \(counts.manual) manual steps; \(counts.inlined) includes inlined, \
                \(counts.missing) missing
                """)
            if counts.withErrors > 0 || counts.drafts != files.count { throw ExitCode(1) }
        }
    }
}
