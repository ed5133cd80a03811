import Foundation
public import RunbookCore

/// A run log (JSON Lines, FORMAT.md section 5) read back to show the run on the runbook's page.
///
/// A log without a `run-end` line (a killed run) is still a report: its outcome is `interrupted`
/// and the steps it recorded are shown.
public struct RunReport: Sendable {
    public var start: RunEvent?
    public var steps: [RunEvent] = []
    public var end: RunEvent?
    /// Lines that are not run events, as `line N: reason`.
    public var unreadable: [String] = []

    public init(log: String) {
        let decoder = JSONDecoder()
        for (number, line) in log.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            do {
                let event = try decoder.decode(RunEvent.self, from: Data(trimmed.utf8))
                switch event.event {
                case .runStart: start = event
                case .step: steps.append(event)
                case .runEnd: end = event
                }
            } catch {
                unreadable.append("line \(number + 1): not a run event")
            }
        }
    }

    /// The runbook the run used, from its `run-start` line.
    public var runbookID: String? { start?.runbook }

    public var outcome: RunEvent.Outcome { end?.outcome ?? .interrupted }

    /// The runbook's page with each step's results under its heading and the outcome on top.
    ///
    /// - Parameter model: the model the page opens on (default: the run's).
    public func page(for runbook: Runbook, source: String, renderer: PageRenderer, model: String? = nil) -> String {
        let secrets = secretValues(runbook)
        var extras = PageRenderer.Extras()
        extras.titlePrefix = "Run report: "
        extras.initialModel = model ?? start?.model
        var byStep: [String: [RunEvent]] = [:]
        for event in steps { if let id = event.step { byStep[id, default: []].append(event) } }
        for (id, events) in byStep {
            extras.annotations[id] = events.map { resultHTML($0, runbook: runbook, secrets: secrets) }.joined()
            extras.stepClasses[id] = "ran run-status-" + (events.last?.status?.rawValue ?? "unknown")
        }
        extras.banner = banner(runbook, secrets: secrets)
        return renderer.page(for: runbook, source: source, extras: extras)
    }

    /// Values of secret inputs as given (never `***`), to be masked wherever they appear.
    func secretValues(_ runbook: Runbook) -> [String] {
        (start?.inputs ?? [:]).compactMap { name, value in
            runbook.input(name)?.secret == true && value != "***" && !value.isEmpty ? value : nil
        }
    }

    func mask(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    func escape(_ text: String, _ secrets: [String]) -> String { HTMLEntities.escape(mask(text, secrets)) }

    func banner(_ runbook: Runbook, secrets: [String]) -> String {
        let outcome = outcome
        var html = "<section class=\"outcome outcome-\(outcome.rawValue)\" id=\"outcome\">\n"
        html += "<h2>Outcome: \(outcome.rawValue)</h2>\n<p>"
        var facts: [String] = []
        if let model = start?.model { facts.append("model <code>\(escape(model, secrets))</code>") }
        if let ts = start?.ts { facts.append("started " + Self.timeHTML(ts)) }
        if let ts = end?.ts { facts.append("ended " + Self.timeHTML(ts)) }
        if let run = start?.run ?? end?.run { facts.append("run <code>\(escape(run, secrets))</code>") }
        let failed = steps.filter { $0.status == .fail || $0.status == .error }.count
        facts.append("\(steps.count) step results, \(failed) failed")
        html += facts.joined(separator: " · ") + "</p>\n"
        if end == nil {
            html += "<p class=\"interrupted\">The log has no <code>run-end</code> line: the run was interrupted or is still going. "
                + "The results below are those it recorded.</p>\n"
        }
        if let fix = resolvingFix {
            let title = runbook.step(fix)?.title ?? fix
            html += "<p class=\"resolved-by\">Resolved by the fix <a href=\"#\(escape(fix, secrets))\">"
                + "\(escape(title, secrets))</a>: the verify step passed after it.</p>\n"
        }
        let causes = end?.causes ?? steps.filter { $0.status == .fail && $0.symptom != true }.compactMap(\.step)
        if !causes.isEmpty {
            html += "<h3>\(end == nil ? "Failures so far" : "Causes")</h3>\n<ol class=\"causes\">\n"
            for cause in causes {
                let event = steps.last { $0.step == cause && ($0.status == .fail || $0.status == .error) }
                let title = runbook.step(cause)?.title ?? cause
                // The finding first (what is wrong), then the step that found it, its evidence folded.
                html += "<li>"
                if let finding = event?.finding { html += "<span class=\"finding\">\(escape(finding, secrets))</span> · " }
                html += "<a href=\"#\(escape(cause, secrets))\">\(escape(title, secrets))</a>"
                if let evidence = event?.evidence, !evidence.isEmpty {
                    html += "<details class=\"cause-evidence\"><summary>evidence</summary>"
                        + evidenceHTML(evidence, secrets: secrets) + "</details>"
                }
                html += "</li>\n"
            }
            html += "</ol>\n"
        } else if let unchecked = end?.unchecked, !unchecked.isEmpty {
            html += "<p>No cause found. Not checked: " + unchecked.map { escape($0, secrets) }.joined(separator: ", ")
                + "</p>\n"
        }
        if let inputs = start?.inputs, !inputs.isEmpty {
            html += "<h3>Inputs</h3>\n<dl class=\"evidence inputs-given\">"
            for name in inputs.keys.sorted() {
                let secret = runbook.input(name)?.secret == true
                let value = secret ? "***" : mask(inputs[name] ?? "", secrets)
                html += "<dt>\(HTMLEntities.escape(name))</dt><dd><code>\(HTMLEntities.escape(value))</code></dd>"
            }
            html += "</dl>\n"
        }
        if !unreadable.isEmpty {
            html += "<p class=\"muted\">Skipped unreadable log lines: "
                + unreadable.map(HTMLEntities.escape).joined(separator: "; ") + "</p>\n"
        }
        return html + "</section>\n"
    }

    /// The fix after which the verify step passed, in a `resolved` run.
    public var resolvingFix: String? {
        guard outcome == .resolved else { return nil }
        return steps.last { $0.after != nil && $0.status == .pass }?.after
    }

    func resultHTML(_ event: RunEvent, runbook: Runbook, secrets: [String]) -> String {
        let status = event.status?.rawValue ?? "unknown"
        var html = "<div class=\"run-result run-\(status)\" data-status=\"\(status)\">"
        html += "<span class=\"status status-\(status)\">\(status)</span>"
        if let duration = event.durationMS { html += " <span class=\"duration\">\(Self.duration(duration))</span>" }
        if let action = event.action { html += " <code>\(escape(action, secrets))</code>" }
        if event.step == resolvingFix, event.status == .done || event.status == .pass {
            html += " <span class=\"resolved-by\">resolved the run</span>"
        }
        if let block = event.block, block != event.step { html += " <span class=\"muted\">block \(escape(block, secrets))</span>" }
        if let after = event.after { html += " <span class=\"muted\">re-verified after \(escape(after, secrets))</span>" }
        html += argumentsHTML(event, runbook: runbook, secrets: secrets)
        if let summary = event.summary.map(Self.withoutCommandLineHints), !summary.isEmpty { html += "<div class=\"summary-line\">\(escape(summary, secrets))</div>" }
        if let finding = event.finding, event.status == .fail || event.status == .error {
            html += "<div class=\"finding\">Finding: \(escape(finding, secrets))</div>"
        }
        if let reason = event.reason.map(Self.withoutCommandLineHints), !reason.isEmpty {
            html += "<div class=\"reason\">\(escape(reason, secrets))</div>"
        }
        if let fix = event.fix { html += "<div>Suggested fix: <a href=\"#\(escape(fix, secrets))\">\(escape(fix, secrets))</a></div>" }
        if let evidence = event.evidence, !evidence.isEmpty { html += evidenceHTML(evidence, secrets: secrets) }
        return html + "</div>\n"
    }

    func evidenceHTML(_ evidence: [String: String], secrets: [String]) -> String {
        var html = "<dl class=\"evidence\">"
        for key in evidence.keys.sorted() {
            html += "<dt>\(escape(key, secrets))</dt><dd><code>\(escape(evidence[key] ?? "", secrets))</code></dd>"
        }
        return html + "</dl>"
    }

    static func duration(_ milliseconds: Int) -> String {
        milliseconds < 1000 ? "\(milliseconds) ms" : String(format: "%.1f s", Double(milliseconds) / 1000)
    }
}
