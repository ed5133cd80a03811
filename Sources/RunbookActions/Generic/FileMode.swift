import RunbookCore

/// `check file-mode path=P max=600`: is a file (or folder) no more open than it should be?
///
/// SSH refuses private keys that others can read, and sshd's StrictModes ignores keys in
/// folders others can write; this check finds both. With `ssh-host`, it checks the identity
/// files that `ssh -G` reports for that host (plus `path`, passed as `-i`) the way ssh loads them:
/// see ``SSHIdentities`` (owner and mode, missing, unreadable, a passphrase in batch mode).
struct FileMode: CheckAction {
    var schema: ActionSchema {
        ActionSchema(
            name: "file-mode",
            summary: "Checks that a file or folder exists and grants no more than the allowed permission bits.",
            arguments: [
                ArgumentSpec("path", .string, help: "file or folder (~ is the client's home)"),
                ArgumentSpec("max", .mode, help: "most permissive mode allowed, e.g. 600: no other bit may be set"),
                ArgumentSpec("exact", .mode, help: "the mode it must have"),
                ArgumentSpec(
                    "missing", .oneOf(["fail", "pass"]), default: "fail", help: "verdict when it does not exist"),
                ArgumentSpec(
                    "ssh-host", .string,
                    help: "check the identity files ssh -G lists for this host (path is added as -i) as ssh loads them"),
                ArgumentSpec("ssh-config", .string, help: "ssh client config for ssh -G (-F); default: the user's own"),
                ArgumentSpec("ssh-port", .port, help: "port for ssh -G (-p)"),
                ArgumentSpec("ssh-user", .string, help: "user for ssh -G (-l)"),
                ArgumentSpec("on", .oneOf(["client", "vm"]), default: "client", help: "where the file is"),
            ],
            example: "check file-mode path=~/.ssh max=700")
    }

    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        guard let executor = context.executor(on: arguments.optional("on")) else {
            return .error("needs --vm to look inside the VM")
        }
        var paths: [String] = []
        if let host = arguments.optional("ssh-host") {
            return await sshIdentities(host: host, arguments, context: context)
        } else if let path = arguments.optional("path") {
            paths = [context.expandingTilde(path)]
        } else {
            return .error("give path= or ssh-host=")
        }
        let maxMode: Int?
        let exactMode: Int?
        do {
            maxMode = arguments.optional("max") == nil ? nil : try arguments.mode("max")
            exactMode = arguments.optional("exact") == nil ? nil : try arguments.mode("exact")
        } catch {
            return .error(error.description)
        }
        var checked: [String] = []
        for path in paths {
            let output: ProcessOutput
            do {
                output = try await executor.run(["stat", "-L", "-c", "%a %U %F", "--", path], timeout: context.timeout)
            } catch {
                return .error("\(error)")
            }
            guard output.succeeded else {
                if output.standardError.contains("No such file") {
                    if arguments.optional("missing") == "pass" { continue }
                    return .fail("\(path) does not exist", evidence: ["path": path])
                }
                return .error("cannot stat \(path): \(output.standardError.trimmedLine)")
            }
            let fields = output.standardOutput.trimmingCharacters(in: "\n").split(separator: " ", maxSplits: 2)
            guard fields.count == 3, let mode = Int(fields[0], radix: 8) else {
                return .error("unexpected stat output: \(output.standardOutput)")
            }
            let shown = String(fields[0])
            let evidence = ["path": path, "mode": shown, "owner": String(fields[1]), "type": String(fields[2])]
            if let exactMode, mode & 0o7777 != exactMode {
                return .fail("\(path) is mode \(shown), expected \(String(exactMode, radix: 8))", evidence: evidence)
            }
            if let maxMode, mode & ~maxMode & 0o777 != 0 {
                return .fail("\(path) is mode \(shown); allow at most \(String(maxMode, radix: 8))", evidence: evidence)
            }
            checked.append("\(path) \(shown)")
        }
        return .pass(checked.joined(separator: ", "), evidence: ["checked": checked.joined(separator: "; ")])
    }

    /// The identity files ssh would load for `host`, judged by ssh's own rules.
    func sshIdentities(host: String, _ arguments: Arguments, context: CheckContext) async -> CheckResult {
        do {
            let port = try arguments.optional("ssh-port").map { _ in try arguments.port("ssh-port") }
            let config = try await SSHEffectiveConfig.read(
                host: host, port: port, user: arguments.optional("ssh-user"), config: arguments.optional("ssh-config"),
                identity: arguments.optional("path"), context: context)
            let (finding, checked) = try await SSHIdentities.inspect(config, context: context)
            if let finding { return .fail(finding.summary, evidence: finding.evidence) }
            return .pass(checked.joined(separator: ", "), evidence: ["checked": checked.joined(separator: "; ")])
        } catch let stop as EarlyResult {
            return stop.result
        } catch {
            return .error("\(error)")
        }
    }
}
