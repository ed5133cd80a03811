import ArgumentParser
import RunbookActions
import RunbookCore
import RunbookRunner

extension RunbookCommand {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the steps a run would take for a model, with their checks, fixes and inputs.",
            discussion: """
                Without a runbook, the one marked default: true; without a model, the runbook's default-model \
                (or its only model).

                Examples:
                  runbook plan classic
                  runbook plan ssh-connection classic -i host=mysvc.cloudapp.net
                """)

        @OptionGroup var target: RunbookArguments

        @Option(name: [.customShort("i"), .customLong("input")], help: ArgumentHelp("An input value to show in the fixes' commands (secrets as ***); repeat for more.", valueName: "name=value"))
        var inputs: [String] = []

        @Option(name: .customLong("inputs"), help: ArgumentHelp("A YAML file of input values (name: value).", valueName: "file"))
        var inputsFile: String?

        func run() async throws {
            let registry = ActionRegistry.builtIn
            let selected = try target.resolve(withoutModel: .required, command: "plan")
            let (base, chosen) = (selected.knowledgeBase, selected.runbook)
            try target.knowledgeBase.requireValid(chosen, knowledgeBase: base, registry: registry)
            let graph = try target.knowledgeBase.graph(chosen, model: selected.model ?? "default")
            var given: [(String, String)] = []
            if let inputsFile { given += try Run.readInputsFile(inputsFile) }
            do {
                given += try InputResolver.parse(inputs)
            } catch {
                throw UsageError(error.description)
            }
            var values: [String: String] = [:]
            for input in chosen.inputs { values[input.name] = input.defaultValue }
            for (name, value) in given {
                guard chosen.input(name) != nil else {
                    throw UsageError(InputResolver.Problem.unknownInput(
                        name, runbook: chosen.id, known: chosen.inputs.map(\.name)).description)
                }
                values[name] = value
            }
            print(PlanText.render(graph, registry: registry, values: values))
        }
    }
}

/// The text of `runbook plan`.
enum PlanText {
    /// - Parameter values: input values (defaults included) to show in the fixes' scripts.
    static func render(_ graph: StepGraph, registry: ActionRegistry, values: [String: String] = [:]) -> String {
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
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
