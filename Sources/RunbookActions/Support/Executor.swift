/// Runs commands and reads files somewhere: this machine, inside a namespace, over SSH, or
/// through Azure's run-command. VM-side checks use it so the same check works everywhere.
public protocol Executor: Sendable, CustomStringConvertible {
    /// Runs `argv` there. A non-zero exit is a result, not an error.
    func run(_ argv: [String], timeout: Duration) async throws(ExecutorError) -> ProcessOutput

    /// Runs a fix's script there with `shell`, `environment` exported and each of `files` (variable
    /// name → content) written to a private file whose path the variable holds, removed afterwards.
    ///
    /// Script, values and file contents go on the standard input of `sh -s` (see
    /// ``ScriptPayload``), so none of them shows in a process list, except where
    /// ``scriptTravelsInArgv`` says otherwise.
    func runScript(
        _ script: String, shell: String, environment: [String: String], files: [String: String], timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput

    /// Whether the script (and so every value in it) ends up in a command's argv on this machine.
    var scriptTravelsInArgv: Bool { get }
}

extension Executor {
    public var scriptTravelsInArgv: Bool { false }

    /// Executors that do not know how to pass a script on standard input cannot run fixes.
    public func runScript(
        _ script: String, shell: String, environment: [String: String], files: [String: String], timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput {
        throw .failedToStart(command: shell, reason: "\(self) cannot run fixes")
    }
}

extension Executor {
    /// Reads a text file there (with `cat`, so it works through any executor).
    public func readFile(_ path: String, timeout: Duration) async throws(ExecutorError) -> String {
        let output = try await run(["cat", "--", path], timeout: timeout)
        guard output.succeeded else {
            throw .unreadable(path: path, reason: output.standardError.trimmedLine)
        }
        return output.standardOutput
    }
}

/// Runs commands on this machine.
public struct LocalExecutor: Executor {
    public var environment: [String: String]

    public init(environment: [String: String] = [:]) { self.environment = environment }

    public func run(_ argv: [String], timeout: Duration) async throws(ExecutorError) -> ProcessOutput {
        try await ProcessRunner.run(argv, environment: environment, timeout: timeout)
    }

    public func runScript(
        _ script: String, shell: String, environment values: [String: String], files: [String: String],
        timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput {
        try await ProcessRunner.run(
            ["sh", "-s"], environment: environment,
            input: ScriptPayload.make(script, shell: shell, environment: values, files: files), timeout: timeout)
    }

    public var description: String { "local" }
}

/// Runs commands behind a prefix, such as `ip netns exec lab-vm` or `sudo`.
public struct PrefixExecutor: Executor {
    public var prefix: [String]

    public init(prefix: [String]) { self.prefix = prefix }

    public func run(_ argv: [String], timeout: Duration) async throws(ExecutorError) -> ProcessOutput {
        try await ProcessRunner.run(prefix + argv, timeout: timeout)
    }

    public func runScript(
        _ script: String, shell: String, environment: [String: String], files: [String: String], timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput {
        try await ProcessRunner.run(
            prefix + ["sh", "-s"],
            input: ScriptPayload.make(script, shell: shell, environment: environment, files: files), timeout: timeout)
    }

    public var description: String { "exec:" + prefix.joined(separator: " ") }
}

/// Runs commands over another SSH connection that still works (`ssh:[user@]host[:port]`).
public struct SSHExecutor: Executor {
    public var destination: String
    public var port: Int?
    public var options: [String]

    public init(destination: String, port: Int? = nil, options: [String] = []) {
        self.destination = destination
        self.port = port
        self.options = options
    }

    public func run(_ argv: [String], timeout: Duration) async throws(ExecutorError) -> ProcessOutput {
        var command = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(max(1, timeout.milliseconds / 1000))"]
        if let port { command += ["-p", String(port)] }
        command += options + [destination, "--", argv.map(ShellQuote.quote).joined(separator: " ")]
        return try await ProcessRunner.run(command, timeout: timeout)
    }

    public func runScript(
        _ script: String, shell: String, environment: [String: String], files: [String: String], timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput {
        var command = [
            "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(max(1, min(30, timeout.milliseconds / 1000)))",
        ]
        if let port { command += ["-p", String(port)] }
        // ssh hands its standard input to the remote command: the payload never is an argument.
        command += options + [destination, "--", "sh -s"]
        return try await ProcessRunner.run(
            command, input: ScriptPayload.make(script, shell: shell, environment: environment, files: files),
            timeout: timeout)
    }

    public var description: String { "ssh:\(destination)\(port.map { ":\($0)" } ?? "")" }
}

/// Runs commands through `az vm run-command invoke` (Resource Manager VMs).
public struct AzureRunCommandExecutor: Executor {
    public var resourceGroup: String
    public var vm: String

    public init(resourceGroup: String, vm: String) {
        self.resourceGroup = resourceGroup
        self.vm = vm
    }

    public func run(_ argv: [String], timeout: Duration) async throws(ExecutorError) -> ProcessOutput {
        try await invoke(
            argv.map(ShellQuote.quote).joined(separator: " ") + "; echo \"__runbook_exit=$?\"", timeout: timeout)
    }

    /// Run-command takes the script as `--scripts TEXT`, an argument of `az` on this machine: the
    /// exported values and secret files of the payload are in az's argv, visible to `ps`. The
    /// runner therefore refuses to send a fix that reads a secret input this way
    /// (``scriptTravelsInArgv``).
    public func runScript(
        _ script: String, shell: String, environment: [String: String], files: [String: String], timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput {
        let payload = ScriptPayload.make(
            script, shell: shell, environment: environment, files: files, trailer: "echo \"__runbook_exit=$?\"")
        return try await invoke(payload, timeout: timeout)
    }

    public var scriptTravelsInArgv: Bool { true }

    private func invoke(_ script: String, timeout: Duration) async throws(ExecutorError) -> ProcessOutput {
        let output = try await ProcessRunner.run(
            [
                "az", "vm", "run-command", "invoke", "--resource-group", resourceGroup, "--name", vm,
                "--command-id", "RunShellScript", "--scripts", script, "--query", "value[0].message", "-o", "tsv",
            ], timeout: timeout)
        guard output.succeeded else { return output }
        // The message holds "[stdout]\n...\n[stderr]\n...".
        let message = output.standardOutput
        let stdoutPart = message.components(after: "[stdout]", before: "[stderr]")
        let stderrPart = message.components(after: "[stderr]", before: nil)
        var code: Int32 = 0
        var lines = stdoutPart.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.lastIndex(where: { $0.hasPrefix("__runbook_exit=") }) {
            code = Int32(lines[index].dropFirst("__runbook_exit=".count)) ?? 0
            lines.remove(at: index)
        }
        return ProcessOutput(exitCode: code, standardOutput: lines.joined(separator: "\n"), standardError: stderrPart)
    }

    public var description: String { "az:\(resourceGroup)/\(vm)" }
}

/// Quotes words for a POSIX shell, for executors that must hand a command line to a remote shell.
public enum ShellQuote {
    public static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0)) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
