import RunbookCore

/// `check file-mode path=P max=600`: is a file (or folder) no more open than it should be?
///
/// SSH refuses private keys that others can read, and sshd's StrictModes ignores keys in
/// folders others can write; this check finds both. With no `path`, it checks the identity
/// files that `ssh -G` reports for `ssh-host`.
struct FileMode: CheckAction {
    var schema: ActionSchema {
        ActionSchema(
            name: "file-mode",
            summary: "Checks that a file or folder exists and grants no more than the allowed permission bits.",
            arguments: [
                ArgumentSpec("path", .string, help: "file or folder (~ is the client's home)"),
                ArgumentSpec("max", .mode, help: "most permissive mode allowed, e.g. 600: no other bit may be set"),
                ArgumentSpec("exact", .mode, help: "the mode it must have"),
                ArgumentSpec("missing", .oneOf(["fail", "pass"]), default: "fail", help: "verdict when it does not exist"),
                ArgumentSpec("ssh-host", .string, help: "without path: check the identity files ssh -G lists for this host"),
                ArgumentSpec("ssh-config", .string, help: "ssh client config for ssh -G (-F)"),
                ArgumentSpec("on", .oneOf(["client", "vm"]), default: "client", help: "where the file is"),
            ],
            example: "check file-mode path=~/.ssh max=700")
    }

    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        guard let executor = context.executor(on: arguments.optional("on")) else {
            return .error("needs --vm to look inside the VM")
        }
        var paths: [String] = []
        if let path = arguments.optional("path") {
            paths = [context.expandingTilde(path)]
        } else if let host = arguments.optional("ssh-host") {
            do {
                paths = try await identityFiles(host: host, config: arguments.optional("ssh-config"), context: context)
            } catch {
                return .error("ssh -G failed: \(error)")
            }
            if paths.isEmpty { return .pass("no identity file exists; ssh will offer none", evidence: [:]) }
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

    func identityFiles(host: String, config: String?, context: CheckContext) async throws -> [String] {
        var argv = ["ssh", "-G"]
        if let config { argv += ["-F", context.expandingTilde(config)] }
        argv.append(host)
        let output = try await context.local.run(argv, timeout: context.timeout)
        var files: [String] = []
        for line in output.standardOutput.split(separator: "\n") where line.hasPrefix("identityfile ") {
            let path = context.expandingTilde(String(line.dropFirst("identityfile ".count)))
            let exists = try await context.local.run(["test", "-e", path], timeout: context.timeout)
            if exists.succeeded { files.append(path) }
        }
        return files
    }
}
