import RunbookCore

/// What the VM-side login checks share: the client's address as the VM sees it, and sshd's
/// effective settings for this user and that address.
struct LoginContext {
    /// The client's address as sshd sees it (`nil` when it could not be found out).
    var clientAddress: String?
    /// Where the address came from, for evidence.
    var clientAddressSource: String
    /// `sshd -T` keyword (lowercase) → values.
    var settings: [String: [String]]
    /// The configuration file the settings came from.
    var configFile: String

    /// The arguments every login check takes to build this context.
    static let arguments: [ArgumentSpec] = [
        ArgumentSpec("host", .string, help: "The VM's address or name as the client uses it; finds the client's source address when client-ip is not given."),
        ArgumentSpec("client-ip", .string, help: "The client's address as the VM sees it (after NAT); default: the source address of `ip route get HOST` on the client."),
        ArgumentSpec("config", .string, default: "/etc/ssh/sshd_config", help: "The sshd configuration file whose effective settings apply."),
    ]

    static func make(user: String, arguments: Arguments, context: CheckContext, vm: any Executor) async throws -> LoginContext {
        let (address, source) = try await clientAddress(arguments, context: context)
        let config = try arguments.string("config")
        try requireNotOption(config, argument: "config")
        let settings = try await effectiveSettings(vm: vm, config: config, user: user, address: address, context: context)
        return LoginContext(clientAddress: address, clientAddressSource: source, settings: settings, configFile: config)
    }

    /// The client's address: `client-ip`, or the source address this machine uses toward `host`
    /// (`ip route get`), which is what the VM sees when no NAT is in between.
    static func clientAddress(_ arguments: Arguments, context: CheckContext) async throws -> (String?, String) {
        if var given = arguments.optional("client-ip") {
            guard AddressPatterns.Address(given) != nil else {
                throw EarlyResult(.error("client-ip: '\(given)' is not an IP address"))
            }
            // sshd sees an IPv4 client of an IPv6 socket as IPv4 (ipv64_normalise_mapped).
            let mapped = given.lowercased()
            if mapped.hasPrefix("::ffff:"), mapped.dropFirst(7).contains("."),
                AddressPatterns.Address(String(mapped.dropFirst(7))) != nil
            {
                given = String(mapped.dropFirst(7))
            }
            return (given, "client-ip argument")
        }
        guard let host = arguments.optional("host") else { return (nil, "unknown (give host or client-ip)") }
        try requireNotOption(host, argument: "host")
        var target = host
        if AddressPatterns.Address(host) == nil {
            let resolved = try? await context.local.run(["getent", "ahosts", host], timeout: context.timeout)
            guard let first = resolved?.standardOutput.nonEmptyLines.first?.split(separator: " ").first else {
                return (nil, "unknown (\(host) does not resolve here)")
            }
            target = String(first)
        }
        let route = try? await context.local.run(["ip", "route", "get", target], timeout: context.timeout)
        let words = (route?.standardOutput ?? "").split(whereSeparator: \.isWhitespace)
        guard let index = words.firstIndex(of: "src"), index + 1 < words.count else {
            return (nil, "unknown (ip route get \(target) gave no source address)")
        }
        return (String(words[index + 1]), "source address of `ip route get \(target)` on the client (right unless NAT is in between)")
    }

    /// `sshd -T -f CONFIG -C user=U,host=ADDR,addr=ADDR`: the settings sshd applies to this login,
    /// `Match` blocks included. (With `UseDNS no`, the default, sshd's host is the address.)
    // replaced by RunningSSHD at merge
    private static func effectiveSettings(
        vm: any Executor, config: String, user: String, address: String?, context: CheckContext
    ) async throws -> [String: [String]] {
        guard !user.contains(",") else { throw EarlyResult(.error("user: '\(user)' must not contain ','")) }
        var spec = "user=\(user)"
        if let address { spec += ",host=\(address),addr=\(address)" }
        let output = try await vm.run(["sh", "-c", SSHDConfig.sshdScript, "sh", "-T", "-f", config, "-C", spec],
                                      timeout: context.timeout)
        if output.exitCode == 127 { throw EarlyResult(.error("sshd not found in the VM")) }
        guard output.succeeded else {
            let message = SSHDConfig.firstError(output.standardError, path: config)
            throw EarlyResult(.skipped("sshd cannot read \(config) (\(message)); the configuration check explains it"))
        }
        return SSHDConfig.parseEffective(output.standardOutput)
    }

    /// The words of a setting (`authorizedkeysfile` prints its files on one line).
    func words(_ keyword: String) -> [String] {
        (settings[keyword] ?? []).flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
    }

    func flag(_ keyword: String, default value: Bool) -> Bool {
        guard let word = words(keyword).first?.lowercased() else { return value }
        return word == "yes"
    }

    /// The files of `AuthorizedKeysFile` for this user, expanded as sshd's `expand_authorized_keys`
    /// does (`%h` home, `%u` user, `%U` uid, `%%` a percent; a relative path is under the home).
    /// `none` entries are skipped; an entry with an unknown `%` token is `nil` (sshd would stop).
    func authorizedKeysFiles(home: String, user: String, uid: Int) -> [String?] {
        words("authorizedkeysfile").filter { $0.lowercased() != "none" }.map {
            Self.expand($0, home: home, user: user, uid: uid)
        }
    }

    static func expand(_ pattern: String, home: String, user: String, uid: Int) -> String? {
        var result = ""
        var characters = Substring(pattern)
        while let character = characters.popFirst() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            switch characters.popFirst() {
            case "%": result.append("%")
            case "h": result += home
            case "u": result += user
            case "U": result += String(uid)
            default: return nil
            }
        }
        return result.hasPrefix("/") ? result : home + "/" + result
    }
}
