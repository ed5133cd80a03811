import Foundation
import RunbookCore

/// `azure-boot-diagnostics`: the VM's serial log scanned for lines that explain why it does not
/// answer (see ``BootLogScanner`` for the patterns).
///
/// Live: `az vm boot-diagnostics get-boot-log --resource-group RG --name VM` (boot diagnostics must
/// be enabled on the VM). Offline: the saved log as `from=`.
struct AzureBootDiagnostics: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "azure-boot-diagnostics",
            summary:
                "Scans the VM's serial log (boot diagnostics) for kernel panics, fsck or emergency mode, a full disk, sshd without host keys, cloud-init or agent failures.",
            arguments: [
                ArgumentSpec("resource-group", .string, help: "Resource group of the VM (live with az)."),
                ArgumentSpec("vm", .string, help: "Name of the VM (live with az)."),
                ArgumentSpec("from", .string, help: "A saved serial log instead of az."),
            ],
            example: "check azure-boot-diagnostics resource-group={{resource-group}} vm={{vm}}")
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        var evidence: [String: String] = [:]
        var log: String
        if let path = arguments.optional("from") {
            log = try await context.readClientFile(path, argument: "from")
            evidence["from"] = path
        } else if let group = arguments.optional("resource-group"), let vm = arguments.optional("vm") {
            try AzureCLI.requireName(group, argument: "resource-group")
            try AzureCLI.requireName(vm, argument: "vm")
            let command = ["vm", "boot-diagnostics", "get-boot-log", "--resource-group", group, "--name", vm]
            log = try await AzureCLI(context: context).text(command)
            evidence["command"] = "az " + command.joined(separator: " ")
            // Some CLI versions print the log as one JSON string.
            if log.hasPrefix("\""), case .string(let text)? = try? JSONValue.parse(log) { log = text }
        } else {
            return .error("give resource-group= and vm= (live with az) or from=FILE")
        }
        return Self.judge(log, evidence: evidence)
    }

    static func judge(_ log: String, evidence base: [String: String] = [:]) -> CheckResult {
        var evidence = base
        let lines = BootLogScanner.clean(log)
        guard lines.contains(where: { !$0.trimmingCharacters(in: " ").isEmpty }) else {
            return .error("the serial log is empty", evidence: evidence)
        }
        let start = BootLogScanner.lastBootStart(lines)
        evidence["last-boot-from-line"] = String(start + 1)
        evidence["lines"] = String(lines.count)
        let matches = BootLogScanner.scan(log)
        guard let first = matches.first else {
            return .pass(
                "no known failure in the serial log (\(lines.count - start) lines of the last boot)", evidence: evidence
            )
        }
        evidence["pattern"] = first.pattern
        evidence["line"] = "line \(first.lineNumber): \(first.line)"
        evidence["matched"] = matches.map(\.pattern).joined(separator: ",")
        for match in matches.dropFirst() { evidence[match.pattern] = "line \(match.lineNumber): \(match.line)" }
        return .fail(
            "\(first.pattern): \(first.line.truncated(to: 100))", evidence: evidence,
            finding: "\(first.finding) (serial log line \(first.lineNumber): \(first.line.truncated(to: 160)))")
    }
}
