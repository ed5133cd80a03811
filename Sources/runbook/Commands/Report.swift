import ArgumentParser
import Foundation
import RunbookCore
import RunbookRunner
import RunbookSite
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

        @Argument(help: ArgumentHelp(
            "The run's JSONL log, or the run id the verdict shows (for a log in the default folder).", valueName: "log.jsonl"))
        var log: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?

        @OptionGroup var selection: RunbookSelection

        func run() async throws {
            let (knowledgeBase, runbook, model) = (selection.knowledgeBase, selection.runbook, selection.model)
            let report: RunReport
            do {
                report = try RunReport(contentsOf: RunLogs.path(of: log, environment: ProcessInfo.processInfo.environment))
            } catch let problem as RunLogs.Problem {
                throw AppError.badInput(problem.description)
            } catch {
                throw AppError.badInput("cannot read '\(log)'")
            }
            guard let id = report.runbookID else {
                throw AppError.badInput("\(log): no run-start line naming the runbook; is this a runbook log?")
            }
            let base = try knowledgeBase.load()
            let chosen: Runbook
            if let runbook {
                chosen = try knowledgeBase.runbook(runbook, in: base)
            } else {
                // The log is data, not a command: its `runbook` field is only ever an id looked up in
                // the knowledge base, never a path to open (a crafted log must not pull a file into the HTML).
                guard id.wholeMatch(of: /[a-z0-9][a-z0-9-]*/) != nil, let found = base.byID[id] else {
                    throw AppError.badInput(
                        "\(log): its runbook '\(id)' is not in the knowledge base \(knowledgeBase.resolvedDirectory); pass --kb DIR or --runbook PATH")
                }
                chosen = found
            }
            guard let source = FileManager.default.contents(atPath: chosen.path) else {
                throw AppError.badInput("cannot read '\(chosen.path)'")
            }
            if let model, !chosen.models.isEmpty, chosen.model(model) == nil {
                throw AppError.badInput(CoreError.unknownModel(model, runbook: chosen.id, known: chosen.models.map(\.id)).description)
            }
            let html = report.page(
                for: chosen, source: String(decoding: source, as: UTF8.self), renderer: PageRenderer(), model: model)
            try OutputFile.write(html, to: output)
        }
    }
}
