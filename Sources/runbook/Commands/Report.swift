import ArgumentParser
import Foundation
import RunbookApp

extension RunbookCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a run log (JSON Lines) into an HTML report on the runbook's page.",
            discussion: """
                Shows the outcome, the fix that resolved the run, the causes, the inputs (secrets as ***) and \
                each step's status, duration, the values its check ran with, finding and evidence under its \
                heading. A log without a run-end line (an interrupted run) is reported as interrupted. \
                The runbook is the one the log names, looked up by id in the knowledge base only \
                (never a path from the log); give --runbook ID|PATH for another. The page opens on the run's model, \
                or on --model MODEL. \
                With -o, the path and size written are printed on stderr.

                Examples:
                  runbook report ~/.local/state/runbook/runs/RUN.jsonl -o run.html
                  runbook report 6f0c1a2b -o run.html
                """)

        @Argument(
            help: ArgumentHelp(
                "The run's JSONL log, or the run id the verdict shows (for a log in the default folder).",
                valueName: "log.jsonl"))
        var log: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?

        @OptionGroup var selection: RunbookSelection

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let html = try RunbookApp().report(log: log, choice: selection.choice([]), environment: environment)
            try OutputFile.write(html, to: output)
        }
    }
}
