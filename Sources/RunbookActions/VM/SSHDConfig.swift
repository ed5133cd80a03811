import RunbookCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sshd-config`: whether sshd accepts its configuration (`sshd -t`) and, from the effective settings
/// (`sshd -T`), whether it serves `port` and lets `user` in.
struct SSHDConfig: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "sshd-config",
            summary: "Validates sshd_config and checks the effective port and the user's access.",
            arguments: [
                ArgumentSpec("path", .string, default: "/etc/ssh/sshd_config", help: "The sshd configuration file."),
                ArgumentSpec("user", .string, help: "A user who must be allowed to log in."),
                ArgumentSpec("port", .port, help: "A port sshd must listen on."),
            ],
            example: "check sshd-config user={{user}} port=22",
            readsVM: true)
    }

    /// Runs sshd from PATH or its usual places with the arguments given after the script.
    static let sshdScript = #"""
        for s in sshd /usr/sbin/sshd /usr/local/sbin/sshd; do
          if command -v "$s" >/dev/null 2>&1; then exec "$s" "$@"; fi
        done
        echo "sshd not found" >&2
        exit 127
        """#

    static let reportedKeys = [
        "port", "listenaddress", "allowusers", "denyusers", "allowgroups", "denygroups", "permitrootlogin",
        "strictmodes", "authorizedkeysfile", "pubkeyauthentication", "passwordauthentication",
    ]

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let path = try arguments.string("path")
        let user = arguments.optional("user")
        let port = try arguments.optional("port").map { _ in try arguments.port("port") }
        if let user { try requireNotOption(user, argument: "user") }
        if let user, user.contains(",") { return .error("user: '\(user)' must not contain ','") }

        let test = try await vm.run(["sh", "-c", Self.sshdScript, "sh", "-t", "-f", path], timeout: context.timeout)
        if test.exitCode == 127 { return .error("sshd not found in the VM") }
        guard test.succeeded else {
            let message = Self.firstError(test.standardError, path: path)
            return .fail("\(path) is invalid: \(message)", evidence: ["error": message, "path": path])
        }

        var dump = ["sh", "-c", Self.sshdScript, "sh", "-T", "-f", path]
        if let user { dump += ["-C", "user=\(user),host=localhost,addr=127.0.0.1"] }
        let effective = try await vm.run(dump, timeout: context.timeout)
        guard effective.succeeded else {
            return .error("sshd -T failed: \(Self.firstError(effective.standardError, path: path))")
        }
        let settings = Self.parseEffective(effective.standardOutput)
        var evidence = ["path": path]
        for key in Self.reportedKeys { evidence[key] = settings[key]?.joined(separator: " ") ?? "" }

        let ports = Self.effectivePorts(settings)
        if let port, !ports.contains(port) {
            let configured = ports.map(String.init).joined(separator: ", ")
            return .fail("sshd is configured for port \(configured), not \(port)", evidence: evidence)
        }
        if let user {
            var groups: [String] = []
            if !(settings["allowgroups"] ?? []).isEmpty || !(settings["denygroups"] ?? []).isEmpty {
                let id = try await vm.run(["id", "-Gn", "--", user], timeout: context.timeout)
                guard id.succeeded else {
                    return .fail("user \(user) does not exist in the VM", evidence: evidence)
                }
                groups = id.standardOutput.split(whereSeparator: \.isWhitespace).map(String.init)
                evidence["groups"] = groups.joined(separator: " ")
            }
            if let refusal = Self.refusal(of: user, groups: groups, settings: settings) {
                return .fail(refusal, evidence: evidence)
            }
        }
        let portText = ports.map(String.init).joined(separator: ", ")
        return .pass("valid; port \(portText)\(user.map { ", \($0) allowed" } ?? "")", evidence: evidence)
    }

    /// `line 12: Bad configuration option: Foo` from `/etc/ssh/sshd_config: line 12: ...`.
    static func firstError(_ standardError: String, path: String) -> String {
        guard let line = standardError.nonEmptyLines.first else { return "sshd exited with an error" }
        return line.hasPrefix(path + ": ") ? String(line.dropFirst(path.count + 2)) : line
    }

    /// `sshd -T` lines (`key value...`), keys repeated for each value.
    static func parseEffective(_ text: String) -> [String: [String]] {
        var settings: [String: [String]] = [:]
        for line in text.nonEmptyLines {
            let parts = line.split(separator: " ", maxSplits: 1)
            settings[String(parts[0]).lowercased(), default: []].append(parts.count > 1 ? String(parts[1]) : "")
        }
        return settings
    }

    /// Ports sshd binds: those of `listenaddress` (which carry the port), else `port`.
    static func effectivePorts(_ settings: [String: [String]]) -> [Int] {
        var ports: [Int] = []
        for address in settings["listenaddress"] ?? [] {
            if let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
                !ports.contains(port)
            {
                ports.append(port)
            }
        }
        if ports.isEmpty { ports = (settings["port"] ?? []).compactMap { Int($0) } }
        return ports
    }

    /// Why sshd would refuse `user`, in the order sshd checks: root login, DenyUsers, AllowUsers,
    /// DenyGroups, AllowGroups. `user@host` patterns are matched on the user part only (the client's
    /// address is not known here).
    static func refusal(of user: String, groups: [String], settings: [String: [String]]) -> String? {
        if user == "root", settings["permitrootlogin"]?.first == "no" {
            return "PermitRootLogin no refuses root"
        }
        let denyUsers = settings["denyusers"] ?? []
        if let pattern = denyUsers.first(where: { matches(userPattern: $0, user) }) {
            return "DenyUsers (\(denyUsers.joined(separator: " "))) matches \(user) by \(pattern)"
        }
        let allowUsers = settings["allowusers"] ?? []
        if !allowUsers.isEmpty && !allowUsers.contains(where: { matches(userPattern: $0, user) }) {
            return "AllowUsers (\(allowUsers.joined(separator: " "))) does not include \(user)"
        }
        let denyGroups = settings["denygroups"] ?? []
        if let group = groups.first(where: { group in denyGroups.contains { fnmatch($0, group, 0) == 0 } }) {
            return "DenyGroups (\(denyGroups.joined(separator: " "))) matches \(user)'s group \(group)"
        }
        let allowGroups = settings["allowgroups"] ?? []
        if !allowGroups.isEmpty && !groups.contains(where: { group in allowGroups.contains { fnmatch($0, group, 0) == 0 } }) {
            return "AllowGroups (\(allowGroups.joined(separator: " "))) includes none of \(user)'s groups (\(groups.joined(separator: " ")))"
        }
        return nil
    }

    static func matches(userPattern: String, _ user: String) -> Bool {
        let userPart = userPattern.split(separator: "@", maxSplits: 1).first.map(String.init) ?? userPattern
        return fnmatch(userPart, user, 0) == 0
    }
}
