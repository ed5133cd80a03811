/// Runs the Azure CLI (`az` on the client's PATH) for the cloud checks, through the client's
/// executor and with argument arrays only.
///
/// Every failure becomes an `error` result that names the command that failed: the CLI missing,
/// not logged in (`az login`), a resource that does not exist, output that is not JSON.
struct AzureCLI: Sendable {
    var executor: any Executor
    var timeout: Duration

    init(context: CheckContext) {
        executor = context.local
        timeout = context.timeout
    }

    /// Runs `az ARGS` and returns its standard output.
    func text(_ arguments: [String]) async throws(EarlyResult) -> String {
        let argv = ["az"] + arguments
        let command = argv.joined(separator: " ")
        let output: ProcessOutput
        do {
            output = try await executor.run(argv, timeout: timeout)
        } catch {
            if case .notFound = error {
                throw EarlyResult(
                    .error(
                        "the Azure CLI (az) is not installed or not on PATH (needed for: \(command))",
                        evidence: ["command": command]))
            }
            throw EarlyResult(.error("\(command): \(error)", evidence: ["command": command]))
        }
        guard output.succeeded else {
            throw EarlyResult(Self.failure(command: command, output: output))
        }
        return output.standardOutput
    }

    /// Runs `az ARGS -o json` and parses the output.
    func json(_ arguments: [String]) async throws(EarlyResult) -> JSONValue {
        let argv = arguments + ["-o", "json"]
        let text = try await text(argv)
        do {
            return try JSONValue.parse(text)
        } catch {
            let command = (["az"] + argv).joined(separator: " ")
            throw EarlyResult(.error("\(command) printed no JSON: \(error)", evidence: ["command": command]))
        }
    }

    /// What a failed `az` call means, from its error text.
    static func failure(command: String, output: ProcessOutput) -> CheckResult {
        let message =
            output.standardError.nonEmptyLines.first { $0.hasPrefix("ERROR") }
            ?? output.standardError.nonEmptyLines.first ?? "exit \(output.exitCode)"
        var evidence = ["command": command, "exit": String(output.exitCode), "stderr": message.truncated(to: 300)]
        let lower = output.standardError.lowercased()
        if lower.contains("az login") {
            evidence["cause"] = "not-logged-in"
            return .error("not logged in to Azure: run az login (\(command) failed)", evidence: evidence)
        }
        if lower.contains("resourcenotfound") || lower.contains("was not found") || lower.contains("could not be found")
            || lower.contains("resourcegroupnotfound")
        {
            evidence["cause"] = "not-found"
            return .error("not found: \(message) (\(command))", evidence: evidence)
        }
        return .error("\(command) failed: \(message)", evidence: evidence)
    }

    /// Refuses a resource name or id that the CLI would read as an option.
    static func requireName(_ value: String, argument: String) throws(EarlyResult) {
        try requireNotOption(value, argument: argument)
    }
}

extension CheckContext {
    /// Reads a file on the client given as `from=`, `nsg=`…: the offline path of the cloud checks.
    func readClientFile(_ path: String, argument: String) async throws(EarlyResult) -> String {
        let expanded = expandingTilde(path)
        do {
            return try await local.readFile(expanded, timeout: timeout)
        } catch {
            throw EarlyResult(.error("\(argument)=\(path): \(error)", evidence: [argument: path]))
        }
    }

    /// Reads and parses a JSON file given as an argument.
    func readClientJSON(_ path: String, argument: String) async throws(EarlyResult) -> JSONValue {
        let text = try await readClientFile(path, argument: argument)
        do {
            return try JSONValue.parse(text)
        } catch {
            throw EarlyResult(.error("\(argument)=\(path): \(error)", evidence: [argument: path]))
        }
    }
}
