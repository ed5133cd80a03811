import RunbookCore

/// `ssh-login`: logs in with the system OpenSSH client in batch mode and runs `true`.
///
/// A failure is classified from ssh's standard error (refused, timed out, auth refused, host key
/// changed, ...), so the finding names the layer that broke the login.
struct SSHLogin: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "ssh-login",
            summary: "Logs in with the system ssh client in batch mode and runs `true`.",
            arguments: [
                ArgumentSpec("host", .string, required: true, help: "Host name or address to log in to."),
                ArgumentSpec("port", .port, default: "22", help: "SSH port."),
                ArgumentSpec("user", .string, help: "User to log in as (default: ssh's own choice)."),
                ArgumentSpec("identity", .string, help: "Private key file (`~` is expanded); only this key is offered."),
                ArgumentSpec("config", .string, help: "ssh client configuration file, passed as `ssh -F`."),
                ArgumentSpec("options", .list, help: "Extra `-o` options, comma-separated: `Ciphers=aes128-ctr,Compression=no`."),
            ],
            example: "check ssh-login host={{host}} user={{user}} port=22")
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let host = try arguments.string("host")
        let port = try arguments.port("port")
        let user = arguments.optional("user")
        try requireNotOption(host, argument: "host")
        if let user { try requireNotOption(user, argument: "user") }
        let identity = arguments.optional("identity").map(context.expandingTilde)

        let connectTimeout = context.timeoutSeconds
        var argv = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)"]
        for option in arguments.list("options") { argv += ["-o", option] }
        if let config = arguments.optional("config") { argv += ["-F", context.expandingTilde(config)] }
        if let identity { argv += ["-i", identity, "-o", "IdentitiesOnly=yes"] }
        argv += ["-p", String(port), user.map { "\($0)@\(host)" } ?? host, "true"]

        let target = "\(host):\(port)"
        var evidence = ["command": argv.joined(separator: " ")]
        let output: ProcessOutput
        switch await runCapturing(context.local, argv, timeout: .seconds(connectTimeout + 2)) {
        case .success(let finished):
            output = finished
        case .failure(.timedOut):
            evidence["reason"] = Reason.timedOut.rawValue
            return .fail("timed out logging in to \(target)", evidence: evidence)
        case .failure(.notFound):
            return .error("ssh (the OpenSSH client) is not installed", evidence: evidence)
        case .failure(let failure):
            return .error(failure.description, evidence: evidence)
        }
        if output.succeeded {
            return .pass("logged in to \(user.map { "\($0)@" } ?? "")\(target)", evidence: evidence)
        }
        let reason = Self.classify(output.standardError)
        let lines = Self.meaningfulLines(output.standardError)
        evidence["reason"] = reason.rawValue
        evidence["exit-code"] = String(output.exitCode)
        evidence["stderr"] = lines.suffix(3).joined(separator: "\n")
        return .fail(reason.summary(target: target, host: host, user: user, identity: identity, lastLine: lines.last),
                     evidence: evidence)
    }

    /// Why ssh could not log in, as told by its standard error.
    enum Reason: String, Sendable, CaseIterable {
        case refused = "refused"
        case timedOut = "timed out"
        case noRoute = "no route"
        case nameNotResolved = "name not resolved"
        case notSSH = "not ssh"
        case hostKeyChanged = "host key changed"
        case hostKeyUnknown = "host key unknown"
        case authRefused = "auth refused"
        case badKeyPermissions = "bad key permissions"
        case proxyFailed = "proxy failed"
        case other = "other"

        func summary(target: String, host: String, user: String?, identity: String?, lastLine: String?) -> String {
            switch self {
            case .refused: "connection refused by \(target)"
            case .timedOut: "timed out connecting to \(target)"
            case .noRoute: "no route to \(target)"
            case .nameNotResolved: "cannot resolve \(host)"
            case .notSSH: "\(target) answers, but not with SSH"
            case .hostKeyChanged: "host key of \(host) has changed (VM rebuilt, or someone in between)"
            case .hostKeyUnknown: "host key of \(host) is not known, and ssh may not ask in batch mode"
            case .authRefused: "\(target) refused the key\(user.map { " for \($0)" } ?? "") (Permission denied)"
            case .badKeyPermissions: "private key \(identity ?? "") is readable by others; ssh ignores it"
            case .proxyFailed: "the proxy to \(target) failed: \(lastLine ?? "no output")"
            case .other: "ssh failed: \(lastLine ?? "no output")"
            }
        }
    }

    /// Classifies OpenSSH's standard error; the order decides when several messages appear.
    static func classify(_ standardError: String) -> Reason {
        let text = standardError.lowercased()
        func has(_ phrase: String) -> Bool { text.contains(phrase.lowercased()) }
        if has("REMOTE HOST IDENTIFICATION HAS CHANGED") { return .hostKeyChanged }
        if has("Host key verification failed") { return .hostKeyUnknown }
        // ssh says "Permission denied" after ignoring the key, so the cause must win.
        if has("UNPROTECTED PRIVATE KEY FILE") { return .badKeyPermissions }
        if has("Permission denied") || has("Too many authentication failures") { return .authRefused }
        // Through a ProxyCommand or ProxyJump ssh sees only the proxy's pipe ("UNKNOWN port 65535").
        if has("Connection closed by UNKNOWN") || has("ProxyCommand") || has("proxy")
            && has("ssh_exchange_identification")
        {
            return .proxyFailed
        }
        if has("Could not resolve hostname") { return .nameNotResolved }
        if has("Connection refused") { return .refused }
        if has("timed out") { return .timedOut }
        if has("No route to host") || has("Network is unreachable") { return .noRoute }
        if has("kex_exchange_identification") || has("Connection closed by remote") || has("banner exchange")
            || has("ssh_exchange_identification") || has("invalid format") && !has("Load key")
        {
            return .notSSH
        }
        return .other
    }

    /// Standard error without the noise ssh adds (known-hosts notes, the banner of `@` signs).
    static func meaningfulLines(_ standardError: String) -> [String] {
        standardError.nonEmptyLines.filter { line in
            !line.hasPrefix("Warning: Permanently added") && !line.allSatisfy { $0 == "@" }
                && !line.hasPrefix("debug")
        }
    }
}
