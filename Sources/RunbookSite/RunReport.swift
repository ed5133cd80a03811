import Foundation
public import RunbookCore

/// A run log (JSON Lines, FORMAT.md section 5) read back to show the run on the runbook's page.
///
/// A log without a `run-end` line (a killed run) is still a report: its outcome is `interrupted`
/// and the steps it recorded are shown.
///
/// The log is read in one pass, line by line (``init(contentsOf:)`` streams the file), and what is
/// kept does not grow with the log: per step its last ``keptPerStep`` results (the page says how
/// many earlier ones it leaves out) and its last failure, counts, and the first ``keptUnreadable``
/// unreadable lines.
public struct RunReport: Sendable {
    /// Results shown per step; a loop or a long retry can log thousands.
    public static let keptPerStep = 20
    /// Unreadable lines named on the page (the rest are counted).
    public static let keptUnreadable = 20
    /// Distinct step ids whose results are kept (a runbook has far fewer; a crafted log may not).
    static let keptSteps = 10_000

    /// What the report keeps of one step's results.
    struct StepResults: Sendable {
        var recent: [RunEvent] = []
        var earlier = 0
        var lastFailure: RunEvent?
    }

    public var start: RunEvent?
    public var end: RunEvent?
    var results: [String: StepResults] = [:]
    /// Step lines read, and those with status fail or error.
    public private(set) var stepCount = 0
    public private(set) var failedCount = 0
    /// Steps that failed and are no symptom, in the order of their first failure.
    private(set) var failures: [String] = []
    private var failed: Set<String> = []
    /// The fix named by the last passing result recorded after a fix (`after`).
    private var lastPassAfterFix: String?
    /// The first lines that are not run events, as `line N: reason`.
    public private(set) var unreadable: [String] = []
    public private(set) var unreadableCount = 0
    private let decoder = JSONDecoder()

    public init() {}

    public init(log: String) {
        var lines = LineSplitter()
        lines.feed(Array(log.utf8)[...]) { read($0) }
        lines.finish { read($0) }
    }

    /// The step results of `step` the page shows, in log order.
    public func shownResults(of step: String) -> [RunEvent] { results[step]?.recent ?? [] }

    /// Reads one line of the log (without its line break); `number` counts from 1.
    mutating func read(_ line: LineSplitter.Line) {
        switch line {
        case .text(let bytes, let number): read(line: bytes, number: number)
        case .tooLong(let number): unreadable(number, "longer than \(LineSplitter.maxLength >> 20) MB")
        }
    }

    mutating func read(line: ArraySlice<UInt8>, number: Int) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }
        var text = line
        while let first = text.first, isSpace(first) { text.removeFirst() }
        while let last = text.last, isSpace(last) { text.removeLast() }
        guard !text.isEmpty else { return }
        guard let event = try? decoder.decode(RunEvent.self, from: Data(text)) else {
            unreadable(number, "not a run event")
            return
        }
        switch event.event {
        case .runStart: start = event
        case .step: add(event)
        case .runEnd: end = event
        }
    }

    mutating func unreadable(_ number: Int, _ reason: String) {
        unreadableCount += 1
        if unreadable.count < Self.keptUnreadable { unreadable.append("line \(number): \(reason)") }
    }

    mutating func add(_ event: RunEvent) {
        stepCount += 1
        let failure = event.status == .fail || event.status == .error
        if failure { failedCount += 1 }
        if event.status == .pass, let fix = event.after { lastPassAfterFix = fix }
        guard let id = event.step else { return }
        if event.status == .fail, event.symptom != true, failures.count < Self.keptSteps, failed.insert(id).inserted {
            failures.append(id)
        }
        guard results[id] != nil || results.count < Self.keptSteps else { return }
        results[id, default: StepResults()].add(event, failure: failure)
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
        for (id, kept) in results {
            var html = ""
            if kept.earlier > 0 {
                html +=
                    "<p class=\"muted earlier-results\">\(kept.earlier) earlier results of this step are not shown.</p>\n"
            }
            extras.annotations[id] =
                html + kept.recent.map { resultHTML($0, runbook: runbook, secrets: secrets) }.joined()
            extras.stepClasses[id] = "ran run-status-" + (kept.recent.last?.status?.rawValue ?? "unknown")
        }
        extras.banner = banner(runbook, secrets: secrets)
        extras.runValues = runValues(runbook, secrets: secrets)
        return renderer.page(for: runbook, source: source, extras: extras)
    }

    /// Values of secret inputs as given (never `***`), to be masked wherever they appear.
    func secretValues(_ runbook: Runbook) -> [String] {
        (start?.inputs ?? [:]).compactMap { name, value in
            runbook.input(name)?.secret == true && value != SecretMask.placeholder && !value.isEmpty ? value : nil
        }
    }

    func mask(_ text: String, _ secrets: [String]) -> String {
        RunValues(inputs: [:], secretNames: [], secretValues: secrets).masked(text)
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
        facts.append("\(stepCount) step results, \(failedCount) failed")
        html += facts.joined(separator: " · ") + "</p>\n"
        if end == nil {
            html +=
                "<p class=\"interrupted\">The log has no <code>run-end</code> line: the run was interrupted or is still going. "
                + "The results below are those it recorded.</p>\n"
        }
        if let fix = resolvingFix {
            let title = runbook.step(fix)?.title ?? fix
            html +=
                "<p class=\"resolved-by\">Resolved by the fix <a href=\"#\(escape(fix, secrets))\">"
                + "\(escape(title, secrets))</a>: the verify step passed after it.</p>\n"
        }
        let causes = end?.causes ?? failures
        if !causes.isEmpty {
            html += "<h3>\(end == nil ? "Failures so far" : "Causes")</h3>\n<ol class=\"causes\">\n"
            for cause in causes {
                let event = results[cause]?.lastFailure
                let title = runbook.step(cause)?.title ?? cause
                // The finding first (what is wrong), then the step that found it, its evidence folded.
                html += "<li>"
                if let finding = event?.finding {
                    html += "<span class=\"finding\">\(escape(finding, secrets))</span> · "
                }
                html += "<a href=\"#\(escape(cause, secrets))\">\(escape(title, secrets))</a>"
                if let evidence = event?.evidence, !evidence.isEmpty {
                    html +=
                        "<details class=\"cause-evidence\"><summary>evidence</summary>"
                        + evidenceHTML(evidence, secrets: secrets) + "</details>"
                }
                html += "</li>\n"
            }
            html += "</ol>\n"
        } else if let unchecked = end?.unchecked, !unchecked.isEmpty {
            html +=
                "<p>No cause found. Not checked: " + unchecked.map { escape($0, secrets) }.joined(separator: ", ")
                + "</p>\n"
        }
        if let inputs = start?.inputs, !inputs.isEmpty {
            html += "<h3>Inputs</h3>\n<dl class=\"evidence inputs-given\">"
            for name in inputs.keys.sorted() {
                let secret = runbook.input(name)?.secret == true
                let value = secret ? SecretMask.placeholder : mask(inputs[name] ?? "", secrets)
                html += "<dt>\(HTMLEntities.escape(name))</dt><dd><code>\(HTMLEntities.escape(value))</code></dd>"
            }
            html += "</dl>\n"
        }
        if !unreadable.isEmpty {
            let more = unreadableCount - unreadable.count
            html +=
                "<p class=\"muted\">Skipped unreadable log lines: "
                + unreadable.map(HTMLEntities.escape).joined(separator: "; ")
                + (more > 0 ? "; and \(more) more" : "") + "</p>\n"
        }
        return html + "</section>\n"
    }

    /// The fix after which the verify step passed, in a `resolved` run.
    public var resolvingFix: String? {
        outcome == .resolved ? lastPassAfterFix : nil
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
        if let block = event.block, block != event.step {
            html += " <span class=\"muted\">block \(escape(block, secrets))</span>"
        }
        if let after = event.after {
            html += " <span class=\"muted\">re-verified after \(escape(after, secrets))</span>"
        }
        if let summary = event.summary.map(Self.withoutCommandLineHints), !summary.isEmpty {
            html += "<div class=\"summary-line\">\(escape(summary, secrets))</div>"
        }
        if let finding = event.finding, event.status == .fail || event.status == .error {
            html += "<div class=\"finding\">Finding: \(escape(finding, secrets))</div>"
        }
        if let reason = Self.reasonText(event), !reason.isEmpty {
            html += "<div class=\"reason\">\(escape(reason, secrets))</div>"
        }
        if let fix = event.fix {
            html += "<div>Suggested fix: <a href=\"#\(escape(fix, secrets))\">\(escape(fix, secrets))</a></div>"
        }
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

extension RunReport.StepResults {
    mutating func add(_ event: RunEvent, failure: Bool) {
        if recent.count == RunReport.keptPerStep {
            recent.removeFirst()
            earlier += 1
        }
        recent.append(event)
        if failure { lastFailure = event }
    }
}
