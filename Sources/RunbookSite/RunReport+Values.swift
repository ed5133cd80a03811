import Foundation
public import RunbookCore

/// The values a run used, as its report's blocks show them in place of `{{input}}`: the inputs of
/// its `run-start` line (where secrets are already `***`), a secret input always as `***`, and any
/// secret value the text holds masked again.
struct RunValues {
    var inputs: [String: String]
    var secretNames: Set<String>
    var secretValues: [String]

    /// The value shown for input `name`: `***` for a secret; nil when the run had none.
    func value(of name: String) -> String? {
        guard let value = inputs[name] else { return nil }
        return secretNames.contains(name) ? SecretMask.placeholder : masked(value)
    }

    func masked(_ text: String) -> String {
        SecretMask(values: secretValues).masked(text)
    }
}

extension RunReport {
    /// What the page's blocks show of the run's values.
    func runValues(_ runbook: Runbook, secrets: [String]) -> RunValues {
        RunValues(
            inputs: start?.inputs ?? [:], secretNames: Set(runbook.inputs.filter(\.secret).map(\.name)),
            secretValues: secrets)
    }

    /// The reason a result shows: the run's reason (its `reason_code`) without the advice for the
    /// command line, an action's own words as its summaries are shown, and the reason of a log of
    /// an earlier version (no `reason_code`) as it is.
    public static func reasonText(_ event: RunEvent) -> String? {
        guard let reason = event.reason else { return nil }
        guard let typed = event.skipReason else { return reason }
        if case .checkSkipped(let words) = typed { return withoutCommandLineHints(words) }
        return typed.textWithoutAdvice
    }

    /// An action's words without their advice for the command line (`: give --vm …`, `(-i vm=...)`): the
    /// page is read by people who may not run the command, and the console already gave the advice.
    public static func withoutCommandLineHints(_ text: String) -> String {
        let flag = /(^|[\s(])--?[a-z][a-z-]*/
        var result = text.replacing(/\ ?\([^()]*\)/) { match in
            match.output.contains(flag) ? "" : String(match.output)
        }
        // A clause that tells the reader what to type (`give --vm …`, `use --vm ssh:…`) goes; a
        // clause that only names a flag in passing stays.
        let advice = /^(give|use|pass|run|add|set|try|or)\b.*/
        let clauses = result.components(separatedBy: ": ").flatMap { $0.components(separatedBy: "; ") }
            .filter { $0.wholeMatch(of: advice) == nil || !$0.contains(flag) }
        result = clauses.joined(separator: ": ").trimmingCharacters(in: .whitespaces)
        return result.isEmpty && !text.isEmpty ? "not checked in this run" : result
    }

    /// An RFC 3339 timestamp as a date, time and zone (`2026-05-01 10:00:00 UTC`) in a `<time>`
    /// element; anything else (an old log's time of day) as it is.
    public static func timeHTML(_ ts: String) -> String {
        let escaped = HTMLEntities.escape(ts)
        guard let match = ts.wholeMatch(of: /(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)/) else {
            return escaped
        }
        let zone = match.output.4 == "Z" ? "UTC" : "UTC" + match.output.4
        return "<time datetime=\"\(escaped)\">\(match.output.1) \(match.output.2) \(zone)</time>"
    }
}
