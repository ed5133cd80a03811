import RunbookCore

/// `check tcp-connect host=H port=P`: can a TCP connection be opened?
///
/// Tells apart open, refused (a host answered with a reset: nothing listens or a REJECT rule),
/// timed out (no answer at all: a DROP rule, a filtering NSG or a stopped VM) and unreachable.
struct TCPConnect: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "tcp-connect",
            summary: "Opens a TCP connection and tells open, refused, timed out and unreachable apart.",
            arguments: [
                ArgumentSpec("host", .string, required: true, help: "host name or address"),
                ArgumentSpec("port", .port, required: true, help: "TCP port"),
            ],
            example: "check tcp-connect host={{host}} port={{port}} timeout=5s")
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        // A bad host or port ends the check as an error (StagedCheck says the argument's problem).
        let (host, port) = try arguments.hostAndPort()
        let outcome = await TCPProbe.connect(host: host, port: port, timeout: context.timeout)
        switch outcome {
        case .open(let address):
            return .pass("open (\(address))", evidence: ["state": "open", "address": address])
        case .refused(let address):
            return .fail(
                "refused by \(address): nothing listens there, or a firewall rejects it",
                evidence: ["state": "refused", "address": address])
        case .timedOut(let address):
            return .fail(
                "no answer from \(address) within \(DurationText.format(milliseconds: context.timeout.milliseconds)) (filtered)",
                evidence: [
                    "state": "timed out", "address": address,
                    "timeout_ms": String(context.timeout.milliseconds),
                ])
        case .unreachable(let address, let reason):
            return .fail(
                "\(address) is unreachable: \(reason)",
                evidence: ["state": "unreachable", "address": address, "error": reason])
        case .resolveFailed(let message):
            return .fail("cannot resolve \(host): \(message)", evidence: ["state": "unresolved", "error": message])
        }
    }
}
