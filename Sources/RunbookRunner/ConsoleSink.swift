public import RunbookCore

/// The text view of a run: one line per step, the finding and fix under a failure, and a summary.
///
/// Colour only when standard output is a terminal and `NO_COLOR` is not set.
public actor ConsoleSink: EventSink {
    private let output: FileOutput
    private let colour: Bool
    private var section: String?
    private var startLine: String?

    public init(output: FileOutput = .standardOutput, colour: Bool) {
        self.output = output
        self.colour = colour
    }

    /// Whether to colour: a terminal, and no `NO_COLOR` in the environment.
    public static func wantsColour(environment: [String: String], output: FileOutput = .standardOutput) -> Bool {
        output.isTerminal && environment["NO_COLOR"] == nil
    }

    public func receive(_ event: RunEvent, context: EventContext) async {
        switch event.event {
        case .runStart:
            var line = "\(context.runbook.id) · \(context.modelName)"
            if let log = context.logPath { line += " · log \(log)" }
            output.write(paint(line, .bold) + "\n")
        case .step:
            writeStep(event, context: context)
        case .runEnd:
            writeSummary(event, runbook: context.runbook)
        }
    }

    private func writeStep(_ event: RunEvent, context: EventContext) {
        guard let id = event.step, let status = event.status else { return }
        if let sectionID = event.section, sectionID != section {
            section = sectionID
            let (owner, localID) = context.resolve(sectionID)
            let title = owner.sections.first { $0.id == localID }?.title ?? localID
            let prefix = owner.id == context.runbook.id ? "" : "\(owner.id): "
            output.write(paint("  \(prefix)\(title)", .dim) + "\n")
        }
        let (owner, stepID) = context.resolve(id)
        let runbook = owner
        let title = runbook.step(stepID)?.title ?? ""
        let (mark, style) = Self.mark(status)
        let duration = event.durationMS.map { $0 > 0 ? DurationText.format(milliseconds: $0) : "" } ?? ""
        var detail = event.summary ?? event.reason ?? ""
        if event.after != nil { detail = "re-checked after \(event.after!): " + detail }
        if status == .skipped || status == .refused || status == .manual, let reason = event.reason {
            detail = "\(status.rawValue): \(reason)"
        }
        let line = paint(mark, style) + " " + Self.pad(id, 20) + " " + Self.pad(Self.clip(title, 34), 34) + " "
            + Self.pad(duration, 6, right: true) + "  " + detail
            + (event.symptom == true ? paint("  symptom", .dim) : "")
        output.write(line + "\n")
        if status == .fail, let finding = event.finding, finding != title {
            output.write("    finding: \(finding)\n")
        }
        if status == .fail, let fix = event.fix {
            let fixTitle = runbook.step(fix)?.title ?? fix
            output.write("    fix: \(fix) — \(fixTitle) (asks first; --yes to skip asking)\n")
        }
    }

    private func writeSummary(_ event: RunEvent, runbook: Runbook) {
        guard let outcome = event.outcome else { return }
        let style: Style =
            switch outcome {
            case .healthy, .resolved: .green
            case .diagnosed, .error, .interrupted: .red
            case .inconclusive: .yellow
            }
        var line = paint(outcome.rawValue, style)
        let causes = event.causes ?? []
        if !causes.isEmpty {
            let described = causes.map { id -> String in
                let stepID = id.split(separator: "/").last.map(String.init) ?? id
                return "\(id) — \(runbook.step(stepID)?.title ?? stepID)"
            }
            line += " · cause\(causes.count > 1 ? "s" : ""): " + described.joined(separator: "; ")
        } else if outcome == .inconclusive || outcome == .diagnosed {
            let findings = event.findings ?? []
            if !findings.isEmpty {
                line += " · symptoms only: \(findings.joined(separator: ", ")); no deeper layer explained them"
            }
            let unchecked = event.unchecked ?? []
            if !unchecked.isEmpty {
                line += "\n  not checked: \(unchecked.joined(separator: ", ")) (give the inputs or --vm they ask for)"
            }
        }
        output.write(line + "\n")
        if let log = event.log { output.write(paint("log: \(log)", .dim) + "\n") }
    }

    enum Style: String {
        case green = "32", red = "31", yellow = "33", dim = "2", bold = "1"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    static func mark(_ status: RunEvent.Status) -> (String, Style) {
        switch status {
        case .pass, .done: ("✓", .green)
        case .fail: ("✗", .red)
        case .error: ("!", .yellow)
        case .skipped, .refused, .interrupted: ("-", .dim)
        case .manual: ("?", .dim)
        }
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return text }
        let padding = String(repeating: " ", count: width - count)
        return right ? padding + text : text + padding
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
