import Foundation
import RunbookCore

/// `ssh-host-key`: is the server's host key the one the client's known_hosts expects?
///
/// Learns the keys the server offers (`ssh-keyscan -p PORT -T N -- HOST`), looks the host up in the
/// known_hosts files `ssh -G` reports (`ssh-keygen -F NAME -f FILE`, which reads hashed entries; NAME is
/// `HostKeyAlias` or the host name, `[name]:port` for a port other than 22) and decides as
/// `check_host_key` in OpenSSH's sshconnect.c: a known key that matches passes; known keys none of
/// which the server offers mean the key changed ("REMOTE HOST IDENTIFICATION HAS CHANGED"); no entry
/// means the key is unknown, which fails only when StrictHostKeyChecking makes ssh refuse it (`yes`, or
/// `ask` in batch mode) — not a fault of the VM.
struct SSHHostKey: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "ssh-host-key",
            summary: "Compares the server's host key with the client's known_hosts, as ssh does.",
            arguments: [
                ArgumentSpec("host", .string, required: true, help: "Host as the user types it after ssh."),
                ArgumentSpec("port", .port, help: "SSH port (ssh -G -p)."),
                ArgumentSpec("user", .string, help: "Login user (ssh -G -l; Match blocks may use it)."),
                ArgumentSpec("config", .string, help: "ssh client configuration file (-F); default: the user's own."),
            ],
            example: "check ssh-host-key host={{host}} port={{port}}")
    }

    /// A known_hosts entry `ssh-keygen -F` found.
    struct KnownEntry: Equatable {
        var file: String
        var line: Int
        var type: String
        var blob: String
        var marker: String?
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let host = try arguments.string("host")
        let wantedPort = try arguments.optional("port").map { _ in try arguments.port("port") }
        let config = try await SSHEffectiveConfig.read(
            host: host, port: wantedPort, user: arguments.optional("user"), config: arguments.optional("config"),
            identity: nil, context: context)
        let hostName = config.hostName.isEmpty ? host : config.hostName
        try requireNotOption(hostName, argument: "HostName")
        let port = config.port
        let name = config.optional("hostkeyalias") ?? hostName
        let lookup = port == 22 ? name : "[\(name)]:\(port)"
        let files = config.knownHostsFiles
        let strict = config.first("stricthostkeychecking").lowercased()
        var evidence = [
            "name": lookup, "known-hosts-files": files.joined(separator: " "), "stricthostkeychecking": strict,
        ]

        // The keys the server offers.
        let seconds = max(1, min(3, context.timeoutSeconds - 1))
        // -T bounds ssh-keyscan itself; the process gets the step's whole time (a loaded machine is slow to start it).
        let scan: ProcessOutput?
        switch await runCapturing(
            context.local, ["ssh-keyscan", "-p", String(port), "-T", String(seconds), "--", hostName],
            timeout: max(.seconds(seconds + 2), context.timeout))
        {
        case .success(let output): scan = output
        case .failure(.timedOut): scan = nil
        case .failure(.notFound): return .error("ssh-keyscan (the OpenSSH client) is not installed")
        case .failure(let failure): return .error("ssh-keyscan: \(failure.description)")
        }
        let offered = Self.parseKeys(scan?.standardOutput ?? "")
        guard !offered.isEmpty else {
            let via = config.optional("proxyjump") ?? config.optional("proxycommand")
            return .skipped(
                "could not learn the host key: no SSH server answered ssh-keyscan on \(hostName):\(port)"
                    + (via.map { " (ssh goes through the proxy \($0), which ssh-keyscan cannot use)" } ?? ""),
                evidence: evidence)
        }
        evidence["offered"] = offered.map { "\($0.type) \($0.blob.suffix(8))" }.joined(separator: ", ")

        // The entries known for this name in each file.
        var known: [KnownEntry] = []
        for file in files {
            let found = try await context.local.run(["ssh-keygen", "-F", lookup, "-f", file], timeout: context.timeout)
            known += Self.parseFound(found.standardOutput, file: file)
        }
        let usable = known.filter { $0.marker == nil }
        if let revoked = known.first(where: { $0.marker == "@revoked" && offered.map(\.blob).contains($0.blob) }) {
            evidence["known-entry"] = "\(revoked.file):\(revoked.line)"
            return .fail(
                "the server's \(revoked.type) host key is marked @revoked in \(revoked.file):\(revoked.line)",
                evidence: evidence)
        }
        if let match = usable.first(where: { entry in offered.contains { $0.blob == entry.blob } }) {
            evidence["known-entry"] = "\(match.file):\(match.line)"
            let fingerprint = await Self.fingerprints(of: [(match.type, match.blob)], context: context).first ?? ""
            evidence["fingerprint"] = fingerprint
            return .pass("known: \(match.type) \(fingerprint) (\(match.file):\(match.line))", evidence: evidence)
        }
        if let stale = usable.first {
            // ssh compares the key it negotiated; prefer the offered key of the known type.
            let offer = offered.first { $0.type == stale.type } ?? offered[0]
            let prints = await Self.fingerprints(
                of: [(stale.type, stale.blob), (offer.type, offer.blob)], context: context)
            evidence["class"] = "host key changed"
            evidence["known-entry"] = "\(stale.file):\(stale.line)"
            evidence["known-fingerprint"] = "\(stale.type) \(prints.first ?? "")"
            evidence["offered-fingerprint"] = "\(offer.type) \(prints.last ?? "")"
            evidence["remove"] = "ssh-keygen -f \(stale.file) -R '\(lookup)'"
            return .fail(
                "the host key of \(lookup) has changed (REMOTE HOST IDENTIFICATION HAS CHANGED): \(stale.file):\(stale.line)"
                    + " holds \(stale.type) \(prints.first ?? ""), the server offers \(offer.type) \(prints.last ?? "")."
                    + " If the VM was rebuilt or redeployed, check the new fingerprint, then remove the old entry"
                    + " (ssh-keygen -f \(stale.file) -R '\(lookup)'); otherwise someone may be in between",
                evidence: evidence)
        }
        // Unknown: which key ssh would add (its preference: ed25519, ecdsa, rsa among those offered).
        let preferred = [
            "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512",
            "ssh-rsa",
        ]
        let offer = preferred.lazy.compactMap { type in offered.first { $0.type == type } }.first ?? offered[0]
        let fingerprint = await Self.fingerprints(of: [(offer.type, offer.blob)], context: context).first ?? ""
        let userFile =
            config.first("userknownhostsfile").split(separator: " ").first.map(String.init) ?? "~/.ssh/known_hosts"
        let keyscanType = Self.keyscanType(offer.type)
        let accept = "ssh-keyscan -p \(port) -t \(keyscanType) -- \(hostName) >> \(userFile)"
        evidence["class"] = "host key unknown"
        evidence["fingerprint"] = "\(offer.type) \(fingerprint)"
        evidence["accept"] = accept
        if ["no", "false", "off", "accept-new"].contains(strict) {
            return .pass(
                "not known yet: \(offer.type) \(fingerprint); ssh adds it at the first login (StrictHostKeyChecking \(strict))",
                evidence: evidence)
        }
        return .fail(
            "the host key of \(lookup) is not known yet (not a fault of the VM): the server offers \(offer.type) \(fingerprint)."
                + " Check that fingerprint with the VM's owner (on the VM: ssh-keygen -lf /etc/ssh/ssh_host_\(keyscanType)_key.pub),"
                + " then accept it: \(accept), or log in once interactively (ssh -p \(port) \(config.user)@\(host))",
            evidence: evidence)
    }

    /// `ssh-keyscan`'s key lines: `name type blob` (comments start with `#`).
    static func parseKeys(_ text: String) -> [(type: String, blob: String)] {
        text.nonEmptyLines.compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let words = line.split(separator: " ")
            return words.count >= 3 ? (String(words[1]), String(words[2])) : nil
        }
    }

    /// `ssh-keygen -F NAME -f FILE`: `# Host NAME found: line N` followed by the entry.
    static func parseFound(_ text: String, file: String) -> [KnownEntry] {
        var entries: [KnownEntry] = []
        var line: Int?
        for row in text.nonEmptyLines {
            if row.hasPrefix("#") {
                if let range = row.range(of: "found: line ") {
                    line = Int(row[range.upperBound...].prefix(while: \.isNumber))
                }
                continue
            }
            guard let number = line else { continue }
            var words = row.split(separator: " ").map(String.init)
            var marker: String?
            if words.first?.hasPrefix("@") == true { marker = words.removeFirst() }
            if words.count >= 3 {
                entries.append(KnownEntry(file: file, line: number, type: words[1], blob: words[2], marker: marker))
            }
            line = nil
        }
        return entries
    }

    /// The `-t` word of ssh-keyscan (and the host key file's name) for a key type.
    static func keyscanType(_ type: String) -> String {
        if type == "ssh-ed25519" { return "ed25519" }
        if type.hasPrefix("ecdsa-") { return "ecdsa" }
        if type.hasPrefix("rsa") || type == "ssh-rsa" { return "rsa" }
        return type
    }

    /// SHA256 fingerprints (`ssh-keygen -l`) of public keys, in order; empty strings when unknown.
    static func fingerprints(of keys: [(type: String, blob: String)], context: CheckContext) async -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-keys-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = keys.map { "\($0.type) \($0.blob)\n" }.joined()
        guard (try? text.write(toFile: path, atomically: false, encoding: .utf8)) != nil,
            let output = try? await context.local.run(["ssh-keygen", "-l", "-f", path], timeout: context.timeout),
            output.succeeded
        else { return keys.map { _ in "" } }
        let prints = output.standardOutput.nonEmptyLines.map { line in
            line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        }
        return keys.indices.map { $0 < prints.count ? prints[$0] : "" }
    }
}
