import Foundation
import RunbookCore
import RunbookMarkdown

/// The verdict block that ends the console: 3–5 lines a person reads first.
///
/// ```
/// ✗ diagnosed: The SSH daemon (sshd) is not running on the VM (#sshd-running)
///   evidence: no process named sshd runs
///   next: #reset-sshd (Reset the SSH configuration): runbook run arm -i host=… -i
///     resource-group=… -i vm=… --yes
///   log: /root/.local/state/runbook/runs/….jsonl · report: runbook report LOG
/// ```
extension ConsoleSink {
    func verdict(_ end: RunEvent, context: EventContext) -> [String] {
        guard let outcome = end.outcome else { return [] }
        var lines: [String] = []
        let causes = end.causes ?? []
        let finding = { (id: String) -> String in
            end.causeFindings?[id] ?? self.failures[id]?.detail ?? id
        }
        switch outcome {
        case .healthy:
            lines.append(line("✓ healthy", .green, markOnly: true))
        case .resolved:
            let fix = verifyRow?.after ?? fixRows.last { $0.status == .done }?.id
            let title = fix.flatMap { fixTitle($0, context: context) }
            lines.append(line("✓ resolved" + (fix.map { " by #\($0)" + (title.map { " (\($0))" } ?? "") } ?? ""), .green, markOnly: true))
            if !causes.isEmpty {
                lines += wrapped("was: " + causes.map { "\(finding($0)) (#\($0))" }.joined(separator: "; "), lines: 2)
            }
        case .diagnosed where causes.count == 1:
            let id = causes[0]
            lines += wrapped("✗ diagnosed: \(finding(id)) (#\(id))", indent: "", lines: 2, style: .red)
            if let evidence = evidence(id, finding: finding(id)) { lines += wrapped("evidence: " + evidence, lines: 2) }
        case .diagnosed, .inconclusive:
            let symptomsOnly = causes.isEmpty
            let head = symptomsOnly ? "symptoms only; no deeper check explained them" : "\(causes.count) causes"
            lines.append(line("✗ \(outcome.rawValue): \(head)", outcome == .diagnosed ? .red : .yellow, markOnly: true))
            let shown = symptomsOnly ? (end.findings ?? []) : causes
            for id in shown.prefix(3) {
                let text = finding(id) + (evidence(id, finding: finding(id)).map { " — \($0)" } ?? "")
                lines += wrapped("\(id): \(text)", lines: 1)
            }
        case .interrupted:
            lines.append(line("- interrupted: the run was stopped before it had a verdict", .yellow, markOnly: true))
            if !causes.isEmpty {
                lines += wrapped("found so far: " + causes.map { "\(finding($0)) (#\($0))" }.joined(separator: "; "), lines: 2)
            }
        case .error:
            lines.append(line("! error: the run could not finish", .yellow, markOnly: true))
        }
        if outcome == .diagnosed || outcome == .inconclusive {
            lines += next(causes: causes, findings: end.findings ?? [], context: context)
        }
        if let log = end.log {
            let both = "log: \(log) · report: runbook report \(log)"
            // Paths are never cut: a person copies them.
            lines += both.count + 2 <= width
                ? [paint("  " + both, .dim)]
                : [paint("  log: \(log)", .dim), paint("  report: runbook report \(log)", .dim)]
        }
        return lines
    }

    /// The one piece of evidence of a cause: its check's summary, when it says more than the finding.
    private func evidence(_ id: String, finding: String) -> String? {
        guard let row = failures[id], let summary = row.summary, !summary.isEmpty, summary != finding else { return nil }
        return summary
    }

    private func fixTitle(_ id: String, context: EventContext) -> String? {
        let (owner, local) = context.resolve(id)
        return owner.step(local)?.title
    }

    /// The next thing to do: the fix a cause (or, without causes, a symptom) points to (`fix=`), with the command that runs it
    /// and the inputs it still needs; else what to give to check more; else the manual action
    /// the runbook describes.
    private func next(causes: [String], findings: [String], context: EventContext) -> [String] {
        // The causes' fixes; with symptoms only, the fixes the symptoms point to.
        let pointed = Set((causes.isEmpty ? findings : causes).compactMap { failures[$0]?.fix })
        let open = fixRows.filter { row in
            switch row.status {
            case .refused: true
            case .skipped: !(row.reason ?? "").hasPrefix("not needed") && !(row.reason ?? "").hasPrefix("already offered")
                && !(row.reason ?? "").hasPrefix("dry run") && !(row.reason ?? "").hasPrefix("requires")
            default: false
            }
        }
        if let fix = open.first(where: { pointed.contains($0.id) }) {
            let title = fixTitle(fix.id, context: context).map { " (\($0))" } ?? ""
            let needed = SkipFolds.inputNames(in: fix.reason ?? "")
            if fix.status == .skipped, needed.isEmpty {
                return wrapped("next: #\(fix.id)\(title) \(fix.reason ?? "could not run here")", lines: 2)
            }
            let flags = needed.map { " -i \($0)=…" }.joined()
            let command = (rerun ?? "runbook run \(model)") + flags + " --yes"
            return wrapped("next: #\(fix.id)\(title): \(command)", lines: 3)
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
