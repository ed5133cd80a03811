import Foundation
import RunbookCore

extension RunReport {
    /// The arguments a check ran with, its `{{input}}` placeholders replaced by the run's values
    /// (from the `run-start` line, where secrets are already `***`, and masked again here).
    func argumentsHTML(_ event: RunEvent, runbook: Runbook, secrets: [String]) -> String {
        // Logs before `kind` was written name an action only for checks.
        guard event.kind == "check" || (event.kind == nil && event.action != nil), let block = block(of: event, in: runbook), !block.arguments.isEmpty else { return "" }
        let values = start?.inputs ?? [:]
        var html = "<div class=\"used-values\"><span class=\"muted\">checked with</span><dl class=\"evidence\">"
        for argument in block.arguments {
            // An optional placeholder without a value drops out; a missing required one stays visible.
            let value = Template.expand(argument.value, values: values) ?? argument.value
            if value.isEmpty, !argument.value.isEmpty { continue }
            html += "<dt>\(escape(argument.key, secrets))</dt><dd><code>\(escape(value, secrets))</code></dd>"
        }
        return html + "</dl></div>"
    }

    /// The block an event reports on: `block` is the block's id (the step's own id for its first block).
    func block(of event: RunEvent, in runbook: Runbook) -> Block? {
        guard let id = event.step, let step = runbook.step(id) else { return nil }
        let blockID = event.block ?? id
        return step.blocks.first { $0.id == blockID } ?? (blockID == id ? step.blocks.first : nil)
    }

    /// A log's reason without its advice for the command line (`: give --vm …`, `(-i vm=...)`): the
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
