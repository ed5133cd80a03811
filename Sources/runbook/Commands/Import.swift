import ArgumentParser
import Foundation
import RunbookApp
import RunbookCore
import RunbookRunner

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

        @Option(
            name: .shortAndLong,
            help: ArgumentHelp("Write the draft here (default: stdout); never overwrites.", valueName: "path"))
        var output: String?

        @Flag(help: "Import every article in memory, lint each draft, and print counts; write nothing.")
        var check = false

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            if !check && paths.count != 1 {
                throw ValidationError("give one article (or --check with files and folders)")
            }
            if check && output != nil { throw ValidationError("--check writes nothing; drop -o") }
        }

        func run() async throws {
            let app = RunbookApp()
            if check {
                let summary = try app.importCheck(paths, includes: includes)
                for failure in summary.failures.prefix(40) { print(failure) }
                print(summary.text)
                if !summary.passed { throw ExitCode(1) }
                return
            }
            let path = paths[0]
            let imported = try app.importArticle(path, includes: includes, lintPath: output ?? path)
            let draft = imported.draft
            for include in draft.missingIncludes {
                FileOutput.standardError.write("\(path): warning: include not found: \(include)\n")
            }
            for problem in imported.problems.errors { FileOutput.standardError.write("\(problem)\n") }
            if let output {
                guard !FileManager.default.fileExists(atPath: output) else {
                    throw AppError.badInput("\(output) already exists; not overwriting it")
                }
                try OutputFile.write(draft.markdown, to: output, announce: false)
                let models = draft.models.isEmpty ? "no model split" : "models " + draft.models.joined(separator: ",")
                FileOutput.standardError.write(
                    "wrote \(output): \(models), \(draft.runBlocks) fix(es), \(draft.manualSteps) manual step(s)\n")
            } else {
                FileOutput.standardOutput.write(draft.markdown)
            }
            if imported.problems.hasErrors { throw ExitCode(1) }
        }
    }
}
