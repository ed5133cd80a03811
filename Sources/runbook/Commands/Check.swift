import ArgumentParser
import Foundation
import RunbookApp
import RunbookRunner

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

        @Option(
            help: ArgumentHelp(
                "How VM-side checks reach the VM: local, exec:PREFIX, ssh:[user@]host[:port], az:RESOURCE_GROUP/VM.",
                valueName: "spec"))
        var vm: String?

        @Option(help: "Output: text, or json (one object with status, summary, finding, evidence)")
        var format: OutputFormat = .text

        @Option(help: ArgumentHelp("How long the check may take", valueName: "duration"))
        var timeout: String = "30s"

        func run() async throws {
            let request = CheckRequest(
                action: action, arguments: values, vm: vm, timeout: timeout,
                environment: ProcessInfo.processInfo.environment)
            let result = try await RunbookApp().check(request)
            FileOutput.standardOutput.write(
                format == .json
                    ? CheckOutput.json(result, action: action) : CheckOutput.text(result, action: action))
            throw ExitCode(CheckOutput.exitCode(result.status))
        }
    }
}
