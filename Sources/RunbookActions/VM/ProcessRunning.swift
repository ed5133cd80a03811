import RunbookCore

/// `process-running`: whether a process of that name runs in the VM's network namespace.
///
/// `pgrep --ns $$ --nslist net` keeps to the executor shell's network namespace: the lab's "VM" is a
/// namespace on the same host, and `ip netns exec` shares the PID namespace, so a plain `pgrep` would
/// also find the host's own sshd.
struct ProcessRunning: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "process-running",
            summary: "Checks that a process of that exact name runs in the VM.",
            arguments: [ArgumentSpec("name", .string, default: "sshd", help: "Process name as pgrep -x matches it.")],
            example: "check process-running name=sshd",
            readsVM: true)
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let name = try arguments.string("name")
        let script = #"exec pgrep -a --ns $$ --nslist net -x -- "$1""#
        let output = try await vm.run(["sh", "-c", script, "sh", name], timeout: context.timeout)
        switch output.exitCode {
        case 0:
            let processes = Self.parse(output.standardOutput)
            let pids = processes.map(\.pid)
            return .pass(
                "\(name) running (pid \(pids.prefix(5).joined(separator: ", "))\(pids.count > 5 ? ", …" : ""))",
                evidence: [
                    "pids": pids.joined(separator: " "),
                    "commands": processes.map(\.command).joined(separator: "\n").truncated(to: 500),
                ])
        case 1:
            return .fail("no \(name) process running", evidence: ["name": name])
        default:
            return .error(
                "pgrep failed: \(output.standardError.trimmedLine)", evidence: ["exit-code": String(output.exitCode)])
        }
    }

    /// `pgrep -a` lines: `PID COMMAND LINE`.
    static func parse(_ text: String) -> [(pid: String, command: String)] {
        text.nonEmptyLines.map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }
}
