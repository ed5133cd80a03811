import ArgumentParser
import Foundation
import RunbookCore
import RunbookRunner

/// `runbook`: run, inspect and lint executable troubleshooting runbooks.
@main
struct RunbookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Run troubleshooting runbooks that check each layer for real and name the one that breaks.",
        discussion: """
            Runbooks are Markdown files in the knowledge base (./Runbooks, --kb DIR or RUNBOOK_PATH). \
            run, plan, graph and show name the runbook and the model the same way: \
            runbook COMMAND [RUNBOOK] [MODEL], or --runbook ID|PATH and --model MODEL. \
            Without a runbook they use the one marked default: true; without a model, the runbook's default-model.

            Examples:
              runbook run arm -i host=vm1.example.com -i user=azureuser
              runbook plan ssh-connection classic
              runbook lint Runbooks

            Exit codes: 0 healthy/resolved, 1 diagnosed/inconclusive (or lint errors), \
            2 bad usage or invalid runbook, 3 engine error, 130/143 interrupted.
            """,
        version: RunbookVersion.current,
        subcommands: [
            Run.self, Plan.self, List.self, Show.self, Lint.self, Actions.self, Check.self, New.self, Graph.self,
            Import.self,
            Render.self, Report.self, Site.self, Index.self, Search.self,
        ])

    /// Parses and runs, mapping every usage error to exit code 2 as FORMAT.md requires
    /// (swift-argument-parser's own default for validation errors is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            MallocTuning.apply(for: command, environment: ProcessInfo.processInfo.environment)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as any RunbookError {
            FileOutput.standardError.write(errorText(error) + "\n")
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                FileOutput.standardOutput.write(message + "\n")
                Foundation.exit(0)
            }
            FileOutput.standardError.write(errorText(message) + "\n")
            Foundation.exit(2)
        }
    }

    /// The one rendering of the engine's errors: `runbook: error: file:line:col: message` for bad
    /// input, `runbook: internal error: message` for a failure of the engine itself.
    static func errorText(_ error: any RunbookError) -> String {
        let kind = error.exitCode == RunbookErrorExit.engine ? "internal error" : "error"
        return "runbook: \(kind): \(error.located)"
    }

    /// swift-argument-parser's `Error: Missing expected argument …` (then its usage lines) in the
    /// style of every other error: `runbook: error: missing expected argument …`.
    static func errorText(_ message: String) -> String {
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard var first = lines.first else { return "runbook: error: " + message }
        if first.hasPrefix("Error: ") { first.removeFirst("Error: ".count) }
        if let initial = first.first, initial.isUppercase, first.dropFirst().first?.isLowercase == true {
            first = initial.lowercased() + first.dropFirst()
        }
        lines[0] = "runbook: error: " + first
        return lines.joined(separator: "\n")
    }
}
