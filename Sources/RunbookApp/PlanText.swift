public import RunbookActions
public import RunbookCore

extension RunbookApp {
    /// The text of `runbook plan`: the steps a run of the chosen runbook and model would take, with
    /// the given input values (`-i`, `--inputs`) shown in the fixes' scripts.
    public func plan(_ choice: RunbookChoice, inputs: InputSources) throws(AppError) -> String {
        let chosen = try choice.resolve(withoutModel: .required, command: "plan")
        try chosen.requireValid(registry: registry)
        let graph: StepGraph
        do { graph = try chosen.graph() } catch { throw AppError(error) }
        let values = try inputs.shown(for: chosen.runbook)
        return PlanText.render(graph, registry: registry, values: values)
    }
}

/// The text of `runbook plan`.
public enum PlanText {
    /// - Parameter values: input values (defaults included) to show in the fixes' scripts.
    public static func render(_ graph: StepGraph, registry: ActionRegistry, values: [String: String] = [:]) -> String {
        let runbook = graph.runbook
        var lines = ["\(runbook.id) · \(runbook.model(graph.model)?.name ?? graph.model) — \(runbook.title)"]
        var ordered = graph.steps
        if let verify = graph.verify {
            ordered.removeAll { $0.id == verify.id }
            ordered.insert(verify, at: 0)
        }
        var section: String?
        for (number, step) in ordered.enumerated() {
            if let current = step.sectionPath.last, current != section {
                section = current
                lines.append("  " + (runbook.sections.first { $0.id == current }?.title ?? current))
            }
            let kind = graph.kind(of: step).rawValue
            var flags: [String] = []
            if step.isSymptom { flags.append("symptom") }
            // Only the required steps of this model: a run ignores the others (`requires=#a,#b`: whichever applies).
            let required = graph.requirements(of: step)
            if !required.isEmpty { flags.append("requires " + required.map { "#" + $0 }.joined(separator: ",")) }
            lines.append(
                "\(String(number + 1).leftPadded(3)). [\(kind)] \(step.id) — \(step.title)"
                    + (flags.isEmpty ? "" : "  (\(flags.joined(separator: ", ")))"))
            for block in step.blocks {
                switch block.kind {
                case .check(let action):
                    let arguments = block.arguments.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                    let vm = registry[action]?.schema.readsVM == true ? "  [needs --vm]" : ""
                    lines.append("       check \(action) \(arguments)\(vm)")
                case .run(let shell):
                    let place = block.place == .vm ? "in the VM through --vm" : "on this computer"
                    lines.append("       fix (\(shell), \(place), asks for consent):")
                    let shown = FixEnvironment.display(block.body, inputs: runbook.inputs, values: values)
                    for line in shown.split(separator: "\n") { lines.append("         \(line)") }
                case .call(let target):
                    lines.append("       call \(target)")
                }
                var jumps: [String] = []
                for key in ["on-pass", "on-fail", "fix", "timeout"] {
                    if let value = block.attribute(key) { jumps.append("\(key)=\(value)") }
                }
                if !jumps.isEmpty { lines.append("       " + jumps.joined(separator: " ")) }
            }
        }
        let needed = runbook.inputs.filter { input in
            graph.steps.contains { step in
                step.blocks.contains { block in
                    block.arguments.contains { Template.names(in: $0.value).contains(input.name) }
                        || !FixEnvironment.inputs(readBy: ShellScript(block.body), among: [input]).isEmpty
                }
            }
        }
        if !needed.isEmpty {
            lines.append("inputs:")
            for input in needed {
                var detail = input.description
                if input.required { detail += " (required)" }
                if let value = input.defaultValue { detail += " (default \(value))" }
                if input.secret { detail += " (secret)" }
                lines.append("  \(input.name): \(detail)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
