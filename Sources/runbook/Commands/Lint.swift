import ArgumentParser
import Foundation
import RunbookApp
import RunbookCore
import RunbookRunner

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

        @Option(
            help: ArgumentHelp(
                "The folder of legacy articles: each name in a runbook's 'sources:' must be a file there.",
                valueName: "dir"))
        var articles: String?

        func run() async throws {
            let report = try RunbookApp().lint(
                LintRequest(paths: paths, knowledgeBase: knowledgeBase.location, articles: articles))
            let (files, all) = (report.files, report.diagnostics)
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
