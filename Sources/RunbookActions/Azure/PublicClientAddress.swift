import RunbookCore

/// The client's public address as the cloud sees it, which NSG and ACL rules are written for.
///
/// Decided in this order, never guessed:
/// 1. the argument `client-ip=` (or its synonym `source=`), typically the run's input `client-ip`;
/// 2. the argument `client-ip-command=`: a command run on the client (split into words, no shell)
///    whose first output line is the address, e.g. `client-ip-command="curl -s https://api.ipify.org"`;
/// 3. the client's environment variable `RUNBOOK_CLIENT_IP`.
/// With none of them the check is an `error` that says so. Behind NAT the local interface
/// addresses are not what Azure sees, so they are never used.
enum PublicClientAddress {
    static let environmentVariable = "RUNBOOK_CLIENT_IP"

    static let arguments: [ArgumentSpec] = [
        ArgumentSpec("client-ip", .string, help: "The client's public address as Azure sees it (the input client-ip)."),
        ArgumentSpec("source", .string, help: "Same as client-ip: the source address of the connection."),
        ArgumentSpec(
            "client-ip-command", .string,
            help:
                "A command (no shell) whose first output line is the client's public address, e.g. \"curl -s https://api.ipify.org\"; else RUNBOOK_CLIENT_IP."
        ),
    ]

    /// The address and how it was found (for the evidence).
    static func decide(_ arguments: Arguments, context: CheckContext) async throws(EarlyResult) -> (IPAddress, String) {
        let given = arguments.optional("client-ip")
        let source = arguments.optional("source")
        if let given, let source, given != source {
            throw EarlyResult(.error("client-ip=\(given) and source=\(source) disagree; give one"))
        }
        if let text = given ?? source {
            guard let address = IPAddress(text) else {
                throw EarlyResult(.error("client-ip: '\(text)' is not an IP address"))
            }
            return (address, given != nil ? "argument client-ip" : "argument source")
        }
        if let command = arguments.optional("client-ip-command") {
            let argv: [String]
            do { argv = try Words.split(command) } catch {
                throw EarlyResult(.error("client-ip-command: \(error)"))
            }
            guard !argv.isEmpty else { throw EarlyResult(.error("client-ip-command is empty")) }
            let output: ProcessOutput
            do {
                output = try await context.local.run(argv, timeout: context.timeout)
            } catch {
                throw EarlyResult(.error("could not decide the client's public address: \(command): \(error)"))
            }
            let line = output.standardOutput.nonEmptyLines.first ?? ""
            guard output.succeeded, let address = IPAddress(line) else {
                throw EarlyResult(
                    .error(
                        "could not decide the client's public address: \(command) exited \(output.exitCode) and printed '\(line.truncated(to: 60))'",
                        evidence: ["client-ip-command": command]))
            }
            return (address, "command: \(command)")
        }
        if let text = context.environment[environmentVariable], !text.isEmpty {
            guard let address = IPAddress(text) else {
                throw EarlyResult(.error("\(environmentVariable)='\(text)' is not an IP address"))
            }
            return (address, "environment \(environmentVariable)")
        }
        throw EarlyResult(
            .error(
                "could not decide the client's public address: give client-ip=ADDRESS, client-ip-command=\"curl -s https://api.ipify.org\" or set \(environmentVariable)"
            ))
    }
}
