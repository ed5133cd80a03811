public import RunbookCore
import RunbookMarkdown

extension RunbookApp {
    /// `runbook show`: the chosen runbook as text for a terminal `width` columns wide; every step
    /// without a model named, only that model's steps with one.
    public func show(_ choice: RunbookChoice, width: Int) throws(AppError) -> String {
        let selected = try choice.resolve(withoutModel: .none, command: "show")
        return ShowText.render(selected.runbook, model: selected.model, width: width)
    }
}

/// The text of `runbook show`.
public enum ShowText {
    public static func render(_ runbook: Runbook, model: String?, width: Int) -> String {
        var lines = ["\(runbook.id) — \(runbook.title)"]
        if !runbook.summary.isEmpty { lines.append(TerminalMarkdown.render(runbook.summary, width: width)) }
        if !runbook.models.isEmpty {
            lines.append(
                "models: "
                    + runbook.models.map { item in
                        let marks = [item.name] + (item.id == runbook.defaultModel ? ["default"] : [])
                        return "\(item.id) (\(marks.joined(separator: ", ")))"
                    }.joined(separator: ", "))
        }
        if let model { lines.append("shown for model: \(runbook.model(model)?.name ?? model)") }
        if let verify = runbook.verify { lines.append("verify: \(verify)") }
        if !runbook.inputs.isEmpty {
            lines.append("inputs:")
            for input in runbook.inputs {
                var flags: [String] = []
                if input.required { flags.append("required") }
                if let value = input.defaultValue { flags.append("default \(value)") }
                if input.secret { flags.append("secret") }
                let marks = flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))"
                lines.append("  \(input.name): \(input.description)\(marks)")
            }
        }
        // Sections and steps in document order.
        let sections = runbook.sections.filter { section in model.map { section.models?.contains($0) ?? true } ?? true }
        let steps = runbook.steps.filter { step in model.map(step.applies) ?? true }
        let parts: [(line: Int, text: [String])] =
            sections.map { ($0.location.line, heading($0.title, "=", width) + prose($0.introduction, width)) }
            + steps.map { step in
                var title = "\(step.title)  #\(step.id)"
                if model == nil, let models = step.models { title += "  [\(models.joined(separator: ", "))]" }
                return (step.location.line, heading(title, "-", width) + prose(step.text, width))
            }
        for part in parts.sorted(by: { $0.line < $1.line }) { lines += [""] + part.text }
        return lines.joined(separator: "\n")
    }

    static func heading(_ title: String, _ rule: Character, _ width: Int) -> [String] {
        [title, String(repeating: rule, count: min(title.count, width))]
    }

    static func prose(_ markdown: String, _ width: Int) -> [String] {
        let text = TerminalMarkdown.render(markdown, width: width)
        return text.isEmpty ? [] : [""] + text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
