import Foundation
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
                ArgumentSpec(
                    "identity", .string, help: "Private key file (`~` is expanded); only this key is offered."),
                ArgumentSpec("config", .string, help: "ssh client configuration file, passed as `ssh -F`."),
                ArgumentSpec(
                    "options", .list, help: "Extra `-o` options, comma-separated: `Ciphers=aes128-ctr,Compression=no`."),
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
        let config = arguments.optional("config").map(context.expandingTilde)
        let clock = ContinuousClock()
        let deadline = clock.now + context.timeout

        // Without -F, ssh reads the user's own ~/.ssh/config (home from passwd), then /etc/ssh/ssh_config.
        let connectTimeout = context.timeoutSeconds
        var options = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)"]
        for option in arguments.list("options") { options += ["-o", option] }
        if let config { options += ["-F", config] }
        if let identity { options += ["-i", identity, "-o", "IdentitiesOnly=yes"] }
        options += ["-p", String(port)]
        if let user { options += ["-l", user] }
        // ssh keeps the first value of an option: `extra` (the retry's) goes before the caller's.
        func command(_ extra: [String] = []) -> [String] { ["ssh"] + extra + options + ["--", host, "true"] }

        let target = "\(host):\(port)"
        let argv = command()
        var evidence = ["command": argv.joined(separator: " ")]
        let output: ProcessOutput
        switch await runCapturing(context.local, argv, timeout: .seconds(connectTimeout + 2)) {
        case .success(let finished):
            output = finished
        case .failure(.timedOut):
            evidence["reason"] = Reason.timedOut.rawValue
            evidence["class"] = Reason.timedOut.rawValue
            return .fail("timed out logging in to \(target)", evidence: evidence)
        case .failure(.notFound):
            return .error("ssh (the OpenSSH client) is not installed", evidence: evidence)
        case .failure(let failure):
            return .error(failure.description, evidence: evidence)
        }
        if output.succeeded {
            return .pass("logged in to \(user.map { "\($0)@" } ?? "")\(target)", evidence: evidence)
        }
        var reason = Self.classify(output.standardError)
        let lines = Self.meaningfulLines(output.standardError)
        evidence["exit-code"] = String(output.exitCode)
        evidence["stderr"] = lines.suffix(3).joined(separator: "\n")
        var summary = reason.summary(
            target: target, host: host, user: user, identity: identity ?? Self.unprotectedKey(output.standardError),
            lastLine: lines.last)

        // Refused keys: ssh skips a key with a passphrase in batch mode without a word, so look at the keys.
        if reason == .authRefused,
            let settings = try? await SSHEffectiveConfig.read(
                host: host, port: port, user: user, config: config, identity: identity, context: context),
            let finding = try? await SSHIdentities.inspect(settings, context: context).finding,
            let refined = Reason(rawValue: finding.problem.rawValue)
        {
            reason = refined
            summary = "\(target) refused the login: \(finding.summary)"
            evidence["file"] = finding.file
        }
        evidence["reason"] = reason.rawValue
        evidence["class"] = reason.rawValue

        // An unknown host key hides whatever comes after it: try once more with a throw-away known_hosts.
        if reason == .hostKeyUnknown {
            let left = deadline - clock.now
            if left < .seconds(1) {
                evidence["retry"] = "not tried: no time left"
            } else {
                let retry = await Self.retryAcceptingHostKey(
                    command, seconds: max(1, left.milliseconds / 1000), context: context)
                evidence.merge(retry.evidence) { _, new in new }
                summary += retry.summary
            }
        }
        return .fail(summary, evidence: evidence)
    }

    /// The login once more with an empty, temporary known_hosts and `StrictHostKeyChecking=accept-new`:
    /// tells whether anything besides the unknown host key stands in the way.
    static func retryAcceptingHostKey(
        _ command: ([String]) -> [String], seconds: Int, context: CheckContext
    ) async -> (summary: String, evidence: [String: String]) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("runbook-known-hosts-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            return ("", ["retry": "not tried: \(error)"])
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let argv = command([
            "-o", "UserKnownHostsFile=\(directory)/known_hosts", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "StrictHostKeyChecking=accept-new",
        ])
        var evidence = ["retry-command": argv.joined(separator: " ")]
        switch await runCapturing(context.local, argv, timeout: .seconds(seconds + 1)) {
        case .success(let output) where output.succeeded:
            evidence["retry"] = "logged in"
            return ("; with the key accepted (a throw-away known_hosts) the login works", evidence)
        case .success(let output):
            let retried = classify(output.standardError)
            let lines = meaningfulLines(output.standardError)
            evidence["retry"] = retried.rawValue
            evidence["retry-stderr"] = lines.suffix(3).joined(separator: "\n")
            return ("; with the key accepted the login still fails: \(lines.last ?? retried.rawValue)", evidence)
        case .failure(.timedOut):
            evidence["retry"] = Reason.timedOut.rawValue
            return ("; with the key accepted the login timed out", evidence)
        case .failure(let failure):
            evidence["retry"] = "not tried: \(failure.description)"
            return ("", evidence)
        }
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
        case identityMissing = "identity missing"
        case identityUnreadable = "identity unreadable"
        case passphrase = "key needs passphrase"
        case identityUnusable = "identity unusable"
        case noIdentity = "no identity"
        case configBadPermissions = "config bad permissions"
        case configSyntax = "config syntax error"
        case configUnreadable = "config unreadable"
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
            case .identityMissing: "an identity file does not exist, and the server refused the rest: \(lastLine ?? "")"
            case .identityUnreadable: "ssh cannot read a private key: \(lastLine ?? "")"
            case .passphrase: "a private key needs its passphrase, which ssh cannot ask for in batch mode"
            case .identityUnusable: "ssh cannot load a private key: \(lastLine ?? "")"
            case .noIdentity: "ssh has no private key to offer"
            case .configBadPermissions: "ssh refuses its configuration file: \(lastLine ?? "")"
            case .configSyntax: "ssh cannot read its configuration: \(lastLine ?? "")"
            case .configUnreadable: "ssh cannot open its configuration: \(lastLine ?? "")"
            case .proxyFailed: "the proxy to \(target) failed: \(lastLine ?? "no output")"
            case .other: "ssh failed: \(lastLine ?? "no output")"
            }
        }
    }

    /// Classifies OpenSSH's standard error; the order decides when several messages appear.
    static func classify(_ standardError: String) -> Reason {
        let text = standardError.lowercased()
        func has(_ phrase: String) -> Bool { text.contains(phrase.lowercased()) }
        // ssh stops before connecting when it cannot read its configuration (readconf.c).
        if let problem = SSHEffectiveConfig.problem(in: standardError) {
            switch problem.kind {
            case .badPermissions: return .configBadPermissions
            case .syntax: return .configSyntax
            case .unreadable: return .configUnreadable
            }
        }
        if has("REMOTE HOST IDENTIFICATION HAS CHANGED") { return .hostKeyChanged }
        if has("Host key verification failed") || has("host key is known for") && has("strict checking") {
            return .hostKeyUnknown
        }
        // ssh says "Permission denied" after ignoring the key, so the cause must win.
        if has("UNPROTECTED PRIVATE KEY FILE") { return .badKeyPermissions }
        if text.contains("\": permission denied") && has("Load key") { return .identityUnreadable }
        if has("Load key") && has("incorrect passphrase") { return .passphrase }
        if has("no such identity:") && has("Permission denied") { return .identityMissing }
        if has("Permission denied") || has("Too many authentication failures") { return .authRefused }
        // Through a ProxyCommand or ProxyJump ssh sees only the proxy's pipe ("UNKNOWN port 65535").
        if has("Connection closed by UNKNOWN") || has("ProxyCommand")
            || has("proxy")
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

    /// The key file named by "Permissions 0644 for 'FILE' are too open."
    static func unprotectedKey(_ standardError: String) -> String? {
        for line in standardError.nonEmptyLines where line.hasPrefix("Permissions ") && line.hasSuffix("are too open.")
        {
            guard let open = line.firstIndex(of: "'"), let close = line.lastIndex(of: "'"), open < close else {
                continue
            }
            return String(line[line.index(after: open)..<close])
        }
        return nil
    }

    /// Standard error without the noise ssh adds (known-hosts notes, the banner of `@` signs).
    static func meaningfulLines(_ standardError: String) -> [String] {
        standardError.nonEmptyLines.filter { line in
            !line.hasPrefix("Warning: Permanently added") && !line.allSatisfy { $0 == "@" }
                && !line.hasPrefix("debug")
        }
    }
}
