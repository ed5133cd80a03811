import ArgumentParser
import RunbookCore

extension RunbookCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a runbook: its metadata, inputs and steps with their text.")

        @Argument(help: ArgumentHelp("Runbook id or path.", valueName: "id|path"))
        var runbook: String

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() async throws {
            let base = try knowledgeBase.load()
            let chosen = try knowledgeBase.runbook(runbook, in: base)
            print("\(chosen.id) — \(chosen.title)")
            if !chosen.summary.isEmpty { print(chosen.summary) }
            if !chosen.models.isEmpty {
                print("models: " + chosen.models.map { "\($0.id) (\($0.name))" }.joined(separator: ", "))
            }
            if let verify = chosen.verify { print("verify: \(verify)") }
            if !chosen.inputs.isEmpty {
                print("inputs:")
                for input in chosen.inputs {
                    var flags: [String] = []
                    if input.required { flags.append("required") }
                    if let value = input.defaultValue { flags.append("default \(value)") }
                    if input.secret { flags.append("secret") }
                    print("  \(input.name): \(input.description)\(flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))")")
                }
            }
            for step in chosen.steps {
                let models = step.models.map { " [\($0.joined(separator: " "))]" } ?? ""
                print("\n## \(step.title) {#\(step.id)}\(models)")
                if !step.text.isEmpty { print(step.text) }
            }
        }
    }
}
