import ArgumentParser
import RunbookActions
import RunbookCore
import RunbookApp

extension RunbookCommand {
    struct Actions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the check actions with their arguments, types, defaults and an example.")

        @Argument(help: ArgumentHelp("Show only this action.", valueName: "name"))
        var name: String?

        func run() async throws {
            let registry = ActionRegistry.builtIn
            var names = registry.names
            if let name {
                guard registry[name] != nil else {
                    let close = EditDistance.suggestions(for: name, among: names)
                    throw AppError.badInput("no check action '\(name)'" + (close.isEmpty ? "" : "; did you mean '\(close[0])'?"))
                }
                names = [name]
            }
            for name in names {
                guard let schema = registry[name]?.schema else { continue }
                print("\(schema.name)\(schema.readsVM ? "  (inside the VM: needs --vm)" : "")")
                print("  \(schema.summary)")
                for argument in schema.arguments {
                    var detail = "\(argument.type)"
                    if argument.required { detail += ", required" }
                    if let value = argument.defaultValue { detail += ", default \(value)" }
                    print("    \(argument.name) (\(detail)): \(argument.help)")
                }
                if !schema.provides.isEmpty { print("  a failure provides, for the fixes' inputs not given:") }
                for value in schema.provides { print("    \(value.name): \(value.help)") }
                print("  example: ```\(schema.example)")
                print("")
            }
        }
    }
}
