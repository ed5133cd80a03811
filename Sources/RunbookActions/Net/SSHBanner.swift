import RunbookCore

/// `check ssh-banner host=H port=P`: does an SSH server answer, with its identification line?
///
/// An SSH server speaks first (`SSH-2.0-OpenSSH_9.2p1`); anything else on the port means
/// another program took it.
struct SSHBanner: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "ssh-banner",
            summary: "Connects and reads the server's identification line; tells what answered instead of SSH.",
            arguments: [
                ArgumentSpec("host", .string, required: true, help: "host name or address"),
                ArgumentSpec("port", .port, default: "22", help: "TCP port"),
            ],
            example: "check ssh-banner host={{host}} port={{port}} timeout=5s")
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        // A bad host or port ends the check as an error (StagedCheck says the argument's problem).
        let (host, port) = try arguments.hostAndPort()
        let box = LineBox()
        let outcome = await TCPProbe.connect(host: host, port: port, timeout: context.timeout) { fd, remaining in
            let line = await TCPProbe.readLine(fd, timeout: remaining)
            box.set(line.bytes, closed: line.closed)
        }
        guard case .open(let address) = outcome else {
            return .fail(
                "no connection to \(host):\(port): \(Self.describe(outcome))",
                evidence: ["state": Self.describe(outcome)])
        }
        let (bytes, closed) = box.get()
        let text = String(decoding: bytes, as: UTF8.self)
        let line = String(text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
        if line.hasPrefix("SSH-") {
            return .pass(line, evidence: ["banner": line, "address": address])
        }
        if bytes.isEmpty {
            let why = closed ? "closed the connection without a word" : "sent nothing"
            return .fail(
                "\(address) \(why); no SSH server identified itself",
                evidence: ["address": address, "received": ""])
        }
        let shown = String(line.prefix(80).map { $0.isASCII && !$0.isNewline && ($0.asciiValue ?? 0) >= 32 ? $0 : "?" })
        return .fail("not SSH: \(address) answered '\(shown)'", evidence: ["address": address, "received": shown])
    }

    static func describe(_ outcome: TCPProbe.Outcome) -> String {
        switch outcome {
        case .open: "open"
        case .refused: "refused"
        case .timedOut: "timed out"
        case .unreachable(_, let reason): "unreachable (\(reason))"
        case .resolveFailed(let message): "does not resolve (\(message))"
        }
    }
}

/// Carries bytes out of the probe's callback.
final class LineBox: @unchecked Sendable {
    private var bytes: [UInt8] = []
    private var closed = false
    private let lock = NSLockLike()

    func set(_ bytes: [UInt8], closed: Bool) {
        lock.withLock {
            self.bytes = bytes
            self.closed = closed
        }
    }

    func get() -> ([UInt8], Bool) { lock.withLock { (bytes, closed) } }
}
