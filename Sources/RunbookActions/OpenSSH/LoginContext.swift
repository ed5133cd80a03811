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
        ArgumentSpec(
            "host", .string,
            help:
                "The VM's address or name as the client uses it; finds the client's source address when client-ip is not given."
        ),
        ArgumentSpec("client-ip", .string, help: ClientAddress.argumentHelp),
        ArgumentSpec(
            "port", .port, default: "22",
            help: "The SSH port: the sshd listening there is the one whose settings apply."),
        ArgumentSpec(
            "config", .string,
            help:
                "An sshd configuration file to read instead of the running sshd's own (`-f`, or /etc/ssh/sshd_config when none runs)."
        ),
    ]

    /// The client's address, then the settings of the sshd that serves `port` (its own `-f` file
    /// and `-o` options, `Match` blocks applied for this user and address; see ``RunningSSHD``).
    static func make(user: String, arguments: Arguments, context: CheckContext, vm: any Executor) async throws
        -> LoginContext
    {
        let client = try await ClientAddress.resolve(
            clientIP: arguments.optional("client-ip"), host: arguments.optional("host"), context: context)
        let config = arguments.optional("config")
        if let config { try requireNotOption(config, argument: "config") }
        let port = try arguments.port("port")
        let daemon = try await RunningSSHD.find(port: port, executor: vm, timeout: context.timeout)
        let effective: SSHDSettings
        do {
            effective = try await RunningSSHD.effectiveSettings(
                daemon: daemon, port: port, user: user, clientAddress: client?.address, executor: vm,
                timeout: context.timeout, configOverride: config)
        } catch let early as EarlyResult where early.result.status == .error && early.result.evidence["error"] != nil {
            // sshd cannot read its configuration: the configuration check names that cause.
            throw EarlyResult(
                .skipped(
                    "sshd cannot read its configuration (\(early.result.evidence["error"] ?? "")); the configuration check explains it"
                ))
        }
        return LoginContext(
            clientAddress: client?.address,
            clientAddressSource: client?.source ?? "unknown (give host or client-ip)",
            settings: effective.settings, configFile: effective.configPath)
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
