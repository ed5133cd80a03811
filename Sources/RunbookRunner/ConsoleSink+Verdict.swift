import Foundation
import RunbookActions
import RunbookCore
import RunbookMarkdown

/// The verdict block that ends the console: at most ``verdictRows`` rows of the width, read first.
///
/// ```
/// ✗ diagnosed: The SSH daemon (sshd) is not running on the VM (#sshd-running)
///   evidence: no process named sshd runs
///   next: #reset-sshd (Reset the SSH configuration):
///     runbook run arm --again 6f0c1a2b --yes
///   report: runbook report 6f0c1a2b · logs in ~/.local/state/runbook/runs
/// ```
///
/// The commands are whole, each on one line, so that they work when pasted: the next run takes
/// this run's inputs from its log (`--again`, ``RunLogs``), the report names the run by its log.
/// The rows they leave go to the outcome's lines: each one's first row, then their second rows;
/// what does not fit is cut at a word with `…` (the log, the report and `--verbose` have it all).
extension ConsoleSink {
    /// The most rows the verdict takes at the width, unless a command alone is longer.
    static let verdictRows = 5

    func verdict(_ end: RunEvent, context: EventContext) -> [String] {
        guard let outcome = end.outcome else { return [] }
        let next =
            outcome == .diagnosed || outcome == .inconclusive
            ? next(causes: end.causes ?? [], findings: end.findings ?? [], context: context) : []
        let tail = logLines(end)
        let parts = outcomeParts(end, outcome: outcome, context: context)
        return fit(parts, rows: Self.verdictRows - rows(next) - rows(tail)) + next + tail
    }

    /// A piece of the verdict: its text, wrapped into at most `lines` lines.
    struct VerdictPart {
        var text: String
        var lines: Int
        var indent = "  "
        var style: Style?
        /// On a headline over a list (the parts after it): how many items the list has in all.
        var items: Int?
    }

    /// The outcome and what explains it: the first part is the headline.
    private func outcomeParts(_ end: RunEvent, outcome: RunEvent.Outcome, context: EventContext) -> [VerdictPart] {
        let causes = end.causes ?? []
        let finding = { (id: String) -> String in
            end.causeFindings?[id] ?? self.failures[id]?.detail ?? id
        }
        switch outcome {
        case .healthy:
            return [VerdictPart(text: "✓ healthy", lines: 1, indent: "", style: .green)]
        case .resolved:
            let fix = verifyRow?.after ?? fixRows.last { $0.status == .done }?.id
            let title = fix.flatMap { fixTitle($0, context: context) }
            let head = "✓ resolved" + (fix.map { " by #\($0)" + (title.map { " (\($0))" } ?? "") } ?? "")
            return [VerdictPart(text: head, lines: 1, indent: "", style: .green)]
                + (causes.isEmpty
                    ? []
                    : [
                        VerdictPart(
                            text: "was: " + causes.map { "\(finding($0)) (#\($0))" }.joined(separator: "; "), lines: 2)
                    ])
        case .diagnosed where causes.count == 1:
            let id = causes[0]
            return [VerdictPart(text: "✗ diagnosed: \(finding(id)) (#\(id))", lines: 2, indent: "", style: .red)]
                + (evidence(id, finding: finding(id)).map { [VerdictPart(text: "evidence: " + $0, lines: 2)] } ?? [])
        case .diagnosed, .inconclusive:
            let symptomsOnly = causes.isEmpty
            let head = symptomsOnly ? "symptoms only; no deeper check explained them" : "\(causes.count) causes"
            let shown = symptomsOnly ? (end.findings ?? []) : causes
            let headline = VerdictPart(
                text: "✗ \(outcome.rawValue): \(head)", lines: 1, indent: "",
                style: outcome == .diagnosed ? .red : .yellow,
                items: symptomsOnly ? nil : causes.count)
            return [headline]
                + shown.prefix(3).map { id in
                    let text = finding(id) + (evidence(id, finding: finding(id)).map { " — \($0)" } ?? "")
                    return VerdictPart(text: "\(id): \(text)", lines: 1)
                }
        case .interrupted:
            return [
                VerdictPart(
                    text: "- interrupted: the run was stopped before it had a verdict", lines: 1, indent: "",
                    style: .yellow)
            ]
                + (causes.isEmpty
                    ? []
                    : [
                        VerdictPart(
                            text: "found so far: " + causes.map { "\(finding($0)) (#\($0))" }.joined(separator: "; "),
                            lines: 2)
                    ])
        case .error:
            return [VerdictPart(text: "! error: the run could not finish", lines: 1, indent: "", style: .yellow)]
        }
    }

    /// `parts` in `rows` rows (the headline always gets one): first one row each, in order, then
    /// more rows each, in order, while rows are left. A headline over a list says how many of its
    /// items are shown when not all are (`3 causes (2 shown; all in the report)`).
    private func fit(_ parts: [VerdictPart], rows: Int) -> [String] {
        var parts = parts
        let wanted = parts.map {
            min($0.lines, TerminalMarkdown.wrap($0.text, width: width, first: $0.indent, rest: $0.indent + "  ").count)
        }
        var given = parts.indices.map { $0 == 0 ? 1 : 0 }
        var left = rows - 1
        var grew = true
        while left > 0, grew {
            grew = false
            for index in parts.indices where left > 0 && given[index] < wanted[index] {
                given[index] += 1
                left -= 1
                grew = true
            }
        }
        let shown = given.dropFirst().filter { $0 > 0 }.count
        if let items = parts.first?.items, shown < items { parts[0].text += " (\(shown) shown; all in the report)" }
        return parts.indices.flatMap { index -> [String] in
            let part = parts[index]
            guard given[index] > 0 else { return [] }
            return wrapped(
                shortened(part, lines: given[index]), indent: part.indent, lines: given[index], style: part.style)
        }
    }

    /// A part's text that ends in a path (`… is not in /home/u/.ssh/authorized_keys`) and does not
    /// fit its lines keeps the path's end, the longest that fits (`…/.ssh/authorized_keys`),
    /// rather than being cut before it; other texts are cut by ``wrapped(_:indent:lines:style:)``.
    private func shortened(_ part: VerdictPart, lines: Int) -> String {
        let fits = { (text: String) in
            TerminalMarkdown.wrap(text, width: self.width, first: part.indent, rest: part.indent + "  ").count <= lines
        }
        guard !fits(part.text), let space = part.text.lastIndex(of: " ") else { return part.text }
        let path = part.text[part.text.index(after: space)...]
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.contains("/"), components.count > 2 else { return part.text }
        for kept in stride(from: components.count - 2, through: 1, by: -1) {
            let text = part.text[...space] + "…/" + components.suffix(kept).joined(separator: "/")
            if fits(text) { return text }
        }
        return part.text
    }

    /// The log's path and the command that makes its report, on one row when they fit; else the
    /// report command alone, which names the log (by its path, or by the run's short id and then
    /// with the logs' folder, `~/.local/state/runbook/runs`, when that fits too). A path is never cut.
    private func logLines(_ end: RunEvent) -> [String] {
        guard let log = end.log else { return [] }
        let reference = logReference ?? ShellQuote.quote(log)
        let both = "  log: \(log) · report: runbook report \(reference)"
        if both.count <= width { return [paint(both, .dim)] }
        let report = "  report: runbook report \(reference)"
        guard reference != ShellQuote.quote(log) else { return [paint(report, .dim)] }
        let withFolder = report + " · logs in " + (logFolder ?? (log as NSString).deletingLastPathComponent)
        return [paint(withFolder.count <= width ? withFolder : report, .dim)]
    }

    /// The rows `lines` take at the width (a line longer than the width wraps on the terminal).
    func rows(_ lines: [String]) -> Int {
        lines.reduce(0) { total, line in
            let visible = line.replacing(/\u{1B}\[[0-9;]*m/, with: "").count
            return total + max(1, (visible + width - 1) / width)
        }
    }

    /// The one piece of evidence of a cause: its check's summary, when it says more than the finding.
    private func evidence(_ id: String, finding: String) -> String? {
        guard let row = failures[id], let summary = row.summary, !summary.isEmpty, summary != finding else {
            return nil
        }
        return summary
    }

    private func fixTitle(_ id: String, context: EventContext) -> String? {
        let (owner, local) = context.resolve(id)
        return owner.step(local)?.title
    }

    /// The next thing to do: the fix a cause (or, without causes, a symptom) points to (`fix=`),
    /// with the command that runs it and the inputs it still needs; else what to give to check more;
    /// else the manual action the runbook describes.
    private func next(causes: [String], findings: [String], context: EventContext) -> [String] {
        // The causes' fixes; with symptoms only, the fixes the symptoms point to.
        let pointed = Set((causes.isEmpty ? findings : causes).compactMap { failures[$0]?.fix })
        let open = fixRows.filter { row in
            switch row.status {
            case .refused: true
            case .skipped: row.reasonCode?.leavesFixUnwanted != true && row.reasonCode != .dryRun
            default: false
            }
        }
        if let fix = open.first(where: { pointed.contains($0.id) }) {
            let title = fixTitle(fix.id, context: context).map { " (\($0))" } ?? ""
            let needed = fix.inputNames
            if fix.status == .skipped, needed.isEmpty {
                return wrapped("next: #\(fix.id)\(title) \(fix.reason ?? "could not run here")", lines: 2)
            }
            let flags = needed.map { " -i \($0)=…" }.joined()
            let command = (rerun ?? "runbook run \(model)") + flags + " --yes"
            let label = "next: #\(fix.id)\(title):"
            // The command is never cut nor broken: pasted, it must run.
            if 2 + label.count + 1 + command.count <= width { return [line("  \(label) \(command)")] }
            return wrapped(label, lines: 1) + ["    " + command]
        }
        if causes.isEmpty, let enabling = folds.enabling {
            return wrapped("next: check the skipped layers too: give \(enabling)", lines: 2)
        }
        guard let cause = causes.first else { return [] }
        return wrapped("next: by hand; 'runbook show \(context.runbook.id)' explains #\(cause)", lines: 2)
    }

    /// `text` wrapped at words into at most `lines` lines of the width, continuation indented;
    /// what does not fit is cut at a word with `…`.
    private func wrapped(_ text: String, indent: String = "  ", lines limit: Int, style: Style? = nil) -> [String] {
        var result = TerminalMarkdown.wrap(text, width: width, first: indent, rest: indent + "  ")
        if result.count > limit {
            let rest = result[(limit - 1)...].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            result = Array(result[..<(limit - 1)]) + [line((limit == 1 ? indent : indent + "  ") + rest)]
        }
        guard let style, let first = result.first else { return result }
        return [line(first, style, markOnly: true)] + result.dropFirst()
    }
}
