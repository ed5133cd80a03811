import RunbookCore

/// `sshd-config`: the configuration of the sshd that runs in the VM (found from the SSH port, its
/// `-f` and `-o` options; `/etc/ssh/sshd_config` only when no sshd runs).
///
/// Without `user`: whether sshd accepts that configuration (`sshd -t`). A daemon that runs from an
/// earlier load of a file that is broken now still serves connections: that passes, with the warning.
/// With `user`: whether sshd's own rules let that user in from the client's address (see
/// ``SSHDLoginRules``), on the effective settings `sshd -T -C user=…,addr=…` so `Match` blocks apply.
struct SSHDConfig: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "sshd-config",
            summary: "Validates the running sshd's configuration, or checks that its rules let the user in.",
            arguments: [
                ArgumentSpec(
                    "path", .string,
                    help:
                        "Read this file instead of the running sshd's (default: its -f file, or /etc/ssh/sshd_config when none runs)."
                ),
                ArgumentSpec("user", .string, help: "Check that sshd's rules let this user in from the client."),
                ArgumentSpec(
                    "port", .port, default: "22", help: "The SSH port the client connects to; finds the running sshd."),
                ArgumentSpec(
                    "host", .string, help: "The VM's address or name as the client uses it (finds the client address)."),
                ArgumentSpec("client-ip", .string, help: ClientAddress.argumentHelp),
            ],
            example: "check sshd-config user={{user}} port={{port}} host={{host}}",
            readsVM: true)
    }

    static let reportedKeys = [
        "port", "listenaddress", "allowusers", "denyusers", "allowgroups", "denygroups", "permitrootlogin",
        "strictmodes", "authorizedkeysfile", "pubkeyauthentication", "passwordauthentication", "authenticationmethods",
        "usedns",
    ]

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let port = try arguments.port("port")
        let override = arguments.optional("path")
        let user = arguments.optional("user")
        if let override { try requireNotOption(override, argument: "path") }
        if let user { try requireNotOption(user, argument: "user") }

        let daemon = try await RunningSSHD.find(port: port, executor: vm, timeout: context.timeout)
        if let user {
            return try await loginAllowed(
                user: user, port: port, daemon: daemon, override: override, arguments: arguments, context: context)
        }
        return try await valid(port: port, daemon: daemon, override: override, vm: vm, context: context)
    }

    // MARK: sshd -t

    func valid(
        port: Int, daemon: RunningSSHD?, override: String?, vm: any Executor, context: CheckContext
    ) async throws -> CheckResult {
        var evidence = RunningSSHD.describe(daemon, port: port)
        let path = override ?? daemon?.configPath ?? RunningSSHD.defaultConfig
        evidence["config"] = path
        if let override, let daemon, daemon.configPath != override {
            evidence["config-source"] = "given as path (the running sshd reads \(daemon.configPath))"
        }
        let arguments = override == nil ? (daemon?.configArguments ?? ["-f", path]) : ["-f", path]
        let stale = try await RunningSSHD.staleness(daemon, configPath: path, executor: vm, timeout: context.timeout)
        if let stale { evidence["stale"] = stale }
        let test = try await vm.run(RunningSSHD.sshdCommand(daemon, ["-t"] + arguments), timeout: context.timeout)
        if test.exitCode == 127 { return .error("sshd not found in the VM", evidence: evidence) }
        let running = daemon.map { " (sshd pid \($0.pid) listens on \($0.endpoints))" } ?? " (no sshd runs)"
        guard test.succeeded else {
            let message = RunningSSHD.firstError(test.standardError, path: path)
            evidence["error"] = message
            if let daemon, override == nil || override == daemon.configPath {
                // It serves connections from what it loaded before; a restart would fail.
                evidence["warning"] =
                    "\(path) is invalid now: \(message); sshd (pid \(daemon.pid)) runs from an "
                    + "earlier load, and a restart or reboot would fail"
                return .pass(
                    "sshd (pid \(daemon.pid)) runs from an earlier load on \(daemon.endpoints); warning: \(path) is "
                        + "invalid now (\(message)), a restart would fail", evidence: evidence)
            }
            return .fail("\(path) is invalid: \(message)\(running)", evidence: evidence)
        }
        var summary = "valid: \(path)\(running)"
        if stale != nil { summary += "; edited after sshd started, not restarted" }
        return .pass(summary, evidence: evidence)
    }

    // MARK: sshd's rules for the user

    func loginAllowed(
        user: String, port: Int, daemon: RunningSSHD?, override: String?, arguments: Arguments, context: CheckContext
    ) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let client = try await ClientAddress.resolve(
            clientIP: arguments.optional("client-ip"), host: arguments.optional("host"), context: context)
        var settings = try await RunningSSHD.effectiveSettings(
            daemon: daemon, port: port, user: user, clientAddress: client?.address, executor: vm,
            timeout: context.timeout, configOverride: override)
        var evidence = settings.evidence
        for key in Self.reportedKeys { evidence[key] = settings[key].joined(separator: " ") }
        evidence["client-address"] = client.map { "\($0.address) (\($0.source))" } ?? "unknown"

        // With UseDNS yes sshd matches host patterns against the client's name (reverse lookup in the VM).
        var hostName: String?
        if let client, settings["usedns"].first == "yes" {
            hostName = try await SSHDRemoteHost.name(of: client.address, on: vm, timeout: context.timeout)
            evidence["client-name"] = hostName ?? "none (UseDNS yes, no reverse name: sshd uses the address)"
        }

        var groups: [String] = []
        if SSHDLoginRules.needsGroups(settings.settings) {
            // getgrouplist(user, primary gid): the primary group and every group listing the user.
            let id = try await vm.run(["id", "-Gn", "--", user], timeout: context.timeout)
            guard id.succeeded else {
                return .fail(
                    "user \(user) does not exist in the VM (needed for AllowGroups/DenyGroups)", evidence: evidence)
            }
            groups = id.standardOutput.split(whereSeparator: \.isWhitespace).map(String.init)
            evidence["groups"] = groups.joined(separator: " ")
        }
        let verdict = SSHDLoginRules.evaluate(
            user: user, groups: groups, settings: settings.settings, address: client?.address, hostName: hostName)
        if !verdict.notes.isEmpty { evidence["notes"] = verdict.notes.joined(separator: "; ") }
        if !verdict.refusals.isEmpty {
            evidence["refusals"] = verdict.refusals.map(\.summary).joined(separator: "\n")
            evidence["directive"] = verdict.refusals[0].directive
            evidence["value"] = verdict.refusals[0].value
        }
        let source = daemon == nil ? " (no sshd runs: rules of \(settings.configPath), the file sshd would read)" : ""
        if let first = verdict.refusals.first {
            // The file changed after sshd started: its rules are not the ones the running sshd
            // applies, so they cannot name the cause; say what to do instead.
            if let stale = settings.staleNote {
                return .skipped(
                    "\(stale); the file on disk would refuse (\(first.summary)), but the running sshd has not loaded it: restart sshd to apply the file",
                    evidence: evidence)
            }
            return .fail(first.summary + source, evidence: evidence)
        }
        if let stale = settings.staleNote {
            evidence["stale"] = stale
        }
        if !verdict.undecided.isEmpty {
            evidence["undecided"] = verdict.undecided.joined(separator: "\n")
            return .error(
                "could not decide without the client's address as the VM sees it (give client-ip): "
                    + verdict.undecided.joined(separator: "; "), evidence: evidence)
        }
        if client == nil, let match = try await addressMatchBlocks(settings: &settings, vm: vm, context: context) {
            evidence["undecided"] = match
            return .error(
                "could not decide without the client's address as the VM sees it (give client-ip): \(match)",
                evidence: evidence)
        }
        let note = verdict.notes.isEmpty ? "" : "; " + verdict.notes.joined(separator: "; ")
        return .pass(
            "sshd's rules let \(user) in\(client.map { " from \($0.address)" } ?? "")\(source)\(note)",
            evidence: evidence)
    }

    /// A `Match` line on an address or host in the config file: its settings would apply only to some
    /// clients, so without the client's address the verdict is not known.
    func addressMatchBlocks(settings: inout SSHDSettings, vm: any Executor, context: CheckContext) async throws
        -> String?
    {
        guard let text = try? await vm.readFile(settings.configPath, timeout: context.timeout) else { return nil }
        for line in text.nonEmptyLines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }
            if words.first == "match",
                words.contains(where: {
                    $0 == "address" || $0 == "host" || $0.hasPrefix("address=") || $0.hasPrefix("host=")
                })
            {
                return "\(settings.configPath) has `\(line)`, whose settings depend on the client"
            }
        }
        return nil
    }
}
