import ArgumentParser
import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import RunbookApp

extension RunbookCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one check action outside any runbook and print its result.",
            discussion: """
                Prints the status, summary, finding, evidence and the values a failure provides for fixes. \
                Exit codes: 0 pass (or skipped), 1 fail, 3 error (could not decide), \
                2 bad usage (unknown action or argument, bad value).

                Examples:
                  runbook check tcp-connect host=10.0.0.4 port=22
                  runbook check azure-nsg-allows subnet-nsg=subnet.json \\
                      nic-nsg=nic.json source=198.51.100.9 destination=10.0.0.4 \\
                      port=22 protocol=tcp --format json
                  runbook check sshd-config --vm ssh:admin@10.0.0.4
                """)

        @Argument(help: ArgumentHelp("The check action (see runbook actions).", valueName: "action"))
        var action: String

        @Argument(help: ArgumentHelp("The action's arguments.", valueName: "key=value"))
        var values: [String] = []

        @Option(help: ArgumentHelp("How VM-side checks reach the VM: local, exec:PREFIX, ssh:[user@]host[:port], az:RESOURCE_GROUP/VM.", valueName: "spec"))
        var vm: String?

        @Option(help: "Output: text, or json (one object with status, summary, finding, evidence)")
        var format: OutputFormat = .text

        @Option(help: ArgumentHelp("How long the check may take", valueName: "duration"))
        var timeout: String = "30s"

        func run() async throws {
            let registry = ActionRegistry.builtIn
            guard let checkAction = registry[action] else {
                let close = EditDistance.suggestions(for: action, among: registry.names)
                throw AppError.badInput("no check action '\(action)'" + (close.isEmpty ? "" : "; did you mean '\(close[0])'?"))
            }
            guard let limit = DurationText.parse(timeout) else {
                throw AppError.badInput("--timeout '\(timeout)' is not a duration (write 500ms, 5s or 2m)")
            }
            let schema = checkAction.schema
            let given = try Self.parse(values, schema: schema)
            var executor: (any Executor)?
            if let vm {
                executor = try VMSpec.executor(from: vm)
            }
            let context = CheckContext(
                timeout: limit, vm: executor, local: LocalExecutor(), environment: ProcessInfo.processInfo.environment)
            let arguments = Arguments(given, schema: schema)
            let result: CheckResult
            do {
                result = try await withTimeout(limit + .seconds(2)) { await checkAction.run(arguments, context: context) }
            } catch {
                result = .error("did not finish within \(DurationText.format(milliseconds: limit.milliseconds))")
            }
            FileOutput.standardOutput.write(format == .json ? Self.json(result, action: action) : Self.text(result, action: action))
            throw ExitCode(Self.exitCode(result.status))
        }

        /// `key=value` words checked against the action's schema: unknown names (with a close
        /// one suggested), values of the wrong type, missing required arguments.
        static func parse(_ words: [String], schema: ActionSchema) throws -> [String: String] {
            var values: [String: String] = [:]
            for word in words {
                guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                    throw AppError.badInput("'\(word)' needs the form key=value")
                }
                let key = String(word[..<equals])
                let value = String(word[word.index(after: equals)...])
                guard let spec = schema.argument(key) else {
                    let close = EditDistance.suggestions(for: key, among: schema.arguments.map(\.name))
                    throw AppError.badInput(
                        "\(schema.name) has no argument '\(key)'"
                            + (close.isEmpty ? "; it takes: \(schema.arguments.map(\.name).joined(separator: ", "))" : "; did you mean '\(close[0])'?"))
                }
                if let problem = spec.type.problem(with: value) {
                    throw AppError.badInput("\(key): \(problem)")
                }
                values[key] = value
            }
            for spec in schema.arguments where spec.required && values[spec.name] == nil {
                throw AppError.badInput("\(schema.name) needs the argument '\(spec.name)'")
            }
            return values
        }

        static func exitCode(_ status: CheckResult.Status) -> Int32 {
            switch status {
            case .pass, .skipped: 0
            case .fail: 1
            case .error: 3
            }
        }

        static func text(_ result: CheckResult, action: String) -> String {
            var output = "\(result.status.rawValue)  \(action)  \(result.summary)\n"
            if let finding = result.finding { output += "finding: \(finding)\n" }
            if !result.evidence.isEmpty {
                output += "evidence:\n"
                for key in result.evidence.keys.sorted() { output += "  \(key): \(result.evidence[key] ?? "")\n" }
            }
            if !result.provides.isEmpty {
                output += "provides (for a fix's inputs not given):\n"
                for key in result.provides.keys.sorted() { output += "  \(key)=\(result.provides[key] ?? "")\n" }
            }
            return output
        }

        static func json(_ result: CheckResult, action: String) -> String {
            var object: [String: Any] = [
                "action": action, "status": result.status.rawValue, "summary": result.summary, "evidence": result.evidence,
            ]
            if let finding = result.finding { object["finding"] = finding }
            if !result.provides.isEmpty { object["provides"] = result.provides }
            guard
                let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
                let text = String(data: data, encoding: .utf8)
            else { return "{\"status\":\"error\"}\n" }
            return text + "\n"
        }
    }
}
