import Foundation
import RunbookCore
import RunbookRunner
import RunbookSite

extension RunbookApp {
    /// `runbook report`: a run log (its path, or the run id the verdict shows) as an HTML report on
    /// the runbook's page.
    ///
    /// The runbook is the one the log names, looked up by id in the knowledge base only (never a path
    /// from the log), unless `choice` names one (`--runbook`); the page opens on the run's model or on
    /// `choice.model`.
    public func report(log: String, choice: RunbookChoice, environment: [String: String]) throws(AppError) -> String {
        let report: RunReport
        do {
            report = try RunReport(contentsOf: RunLogs.path(of: log, environment: environment))
        } catch let problem as RunLogs.Problem {
            throw .badInput(problem.description)
        } catch {
            throw .badInput("cannot read '\(log)'")
        }
        guard let id = report.runbookID else {
            throw .badInput("\(log): no run-start line naming the runbook; is this a runbook log?")
        }
        let base: KnowledgeBase
        do { base = try choice.knowledgeBase.load() } catch { throw AppError(error) }
        let chosen: Runbook
        if let runbook = choice.runbook {
            chosen = try RunbookChoice.runbook(runbook, in: base).0
        } else {
            // The log is data, not a command: its `runbook` field is only ever an id looked up in
            // the knowledge base, never a path to open (a crafted log must not pull a file into the HTML).
            guard id.wholeMatch(of: /[a-z0-9][a-z0-9-]*/) != nil, let found = base.byID[id] else {
                throw .badInput(
                    "\(log): its runbook '\(id)' is not in the knowledge base "
                        + "\(choice.knowledgeBase.resolvedDirectory); pass --kb DIR or --runbook PATH")
            }
            chosen = found
        }
        guard let source = FileManager.default.contents(atPath: chosen.path) else {
            throw .badInput("cannot read '\(chosen.path)'")
        }
        if let model = choice.model, !chosen.models.isEmpty, chosen.model(model) == nil {
            throw .badInput(
                CoreError.unknownModel(model, runbook: chosen.id, known: chosen.models.map(\.id)).description)
        }
        return report.page(
            for: chosen, source: String(decoding: source, as: UTF8.self), renderer: PageRenderer(), model: choice.model)
    }
}
