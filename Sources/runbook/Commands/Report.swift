import ArgumentParser
import Foundation
import RunbookCore
import RunbookSite

extension RunbookCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a run log (JSON Lines) into an HTML report on the runbook's page.",
            discussion: """
                Shows the outcome, the causes, the inputs (secrets as ***) and each step's status, duration,
                finding and evidence under its heading. A log without a run-end line (an interrupted run)
                is reported as interrupted.
                Example: runbook report ~/.local/state/runbook/runs/2026-05-01T10-00-00-ssh-connection.jsonl -o run.html
                """)

        @Argument(help: ArgumentHelp("The run's JSONL log.", valueName: "log.jsonl"))
        var log: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: log) else { throw UsageError("cannot read '\(log)'") }
            let report = RunReport(log: String(decoding: data, as: UTF8.self))
            guard let id = report.runbookID else {
                throw UsageError("\(log): no run-start line naming the runbook; is this a runbook log?")
            }
            let base = try knowledgeBase.load()
            let runbook = try knowledgeBase.runbook(id, in: base)
            guard let source = FileManager.default.contents(atPath: runbook.path) else {
                throw UsageError("cannot read '\(runbook.path)'")
            }
            let html = report.page(for: runbook, source: String(decoding: source, as: UTF8.self), renderer: PageRenderer())
            try OutputFile.write(html, to: output)
        }
    }
}
