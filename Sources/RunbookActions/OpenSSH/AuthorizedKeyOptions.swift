/// The options in front of a key in an authorized_keys line, parsed the way sshd parses them
/// (OpenSSH `auth-options.c`, `sshauthopt_parse`): flags matched case-insensitively by prefix
/// (`no-` negates the ones that allow it), `name="value"` options with `\"` inside the quotes,
/// options separated by commas, the list ending at a space or tab. A list sshd rejects makes it
/// skip the whole line ("bad key options: REASON"); ``parse(_:)`` gives that reason.
struct AuthorizedKeyOptions: Equatable {
    var restrict = false
    var certAuthority = false
    var portForwarding = true
    var agentForwarding = true
    var x11Forwarding = true
    var pty = true
    var userRC = true
    var touchRequired = true
    var verifyRequired = false
    var command: String?
    var principals: String?
    var from: String?
    /// The `expiry-time` values as written; sshd keeps the earliest.
    var expiryTimes: [String] = []
    var environment: [String] = []
    var permitOpen: [String] = []
    var permitListen: [String] = []
    var tunnel: String?

    /// The options of `text` (up to its first unquoted space or tab), or sshd's reason to reject them.
    static func parse(_ text: String) -> Result<AuthorizedKeyOptions, Rejection> {
        var options = AuthorizedKeyOptions()
        var rest = Substring(text)
        while let first = rest.first, first != " ", first != "\t" {
            if flag("restrict", negatable: false, &rest) != nil {
                options.restrict = true
                options.portForwarding = false
                options.agentForwarding = false
                options.x11Forwarding = false
                options.pty = false
                options.userRC = false
            } else if flag("cert-authority", negatable: false, &rest) != nil {
                options.certAuthority = true
            } else if let on = flag("port-forwarding", negatable: true, &rest) {
                options.portForwarding = on
            } else if let on = flag("agent-forwarding", negatable: true, &rest) {
                options.agentForwarding = on
            } else if let on = flag("x11-forwarding", negatable: true, &rest) {
                options.x11Forwarding = on
            } else if let on = flag("touch-required", negatable: true, &rest) {
                options.touchRequired = on
            } else if let on = flag("verify-required", negatable: true, &rest) {
                options.verifyRequired = on
            } else if let on = flag("pty", negatable: true, &rest) {
                options.pty = on
            } else if let on = flag("user-rc", negatable: true, &rest) {
                options.userRC = on
            } else if named("command", &rest) {
                guard options.command == nil else { return .failure(.init("multiple \"command\" clauses")) }
                switch dequote(&rest) {
                case .success(let value): options.command = value
                case .failure(let reason): return .failure(reason)
                }
            } else if named("principals", &rest) {
                guard options.principals == nil else { return .failure(.init("multiple \"principals\" clauses")) }
                switch dequote(&rest) {
                case .success(let value): options.principals = value
                case .failure(let reason): return .failure(reason)
                }
            } else if named("from", &rest) {
                guard options.from == nil else { return .failure(.init("multiple \"from\" clauses")) }
                switch dequote(&rest) {
                case .success(let value): options.from = value
                case .failure(let reason): return .failure(reason)
                }
            } else if named("expiry-time", &rest) {
                switch dequote(&rest) {
                case .success(let value):
                    guard let seconds = ExpiryTime(value), seconds.isValid else {
                        return .failure(.init("invalid expires time"))
                    }
                    options.expiryTimes.append(value)
                case .failure(let reason): return .failure(reason)
                }
            } else if named("environment", &rest) {
                switch dequote(&rest) {
                case .success(let value):
                    guard let equals = value.firstIndex(of: "="), validEnvironmentName(value[..<equals]) else {
                        return .failure(.init("invalid environment string"))
                    }
                    options.environment.append(value)
                case .failure(let reason): return .failure(reason)
                }
            } else if named("permitopen", &rest) {
                switch dequote(&rest) {
                case .success(let value): options.permitOpen.append(value)
                case .failure(let reason): return .failure(reason)
                }
            } else if named("permitlisten", &rest) {
                switch dequote(&rest) {
                case .success(let value): options.permitListen.append(value)
                case .failure(let reason): return .failure(reason)
                }
            } else if named("tunnel", &rest) {
                switch dequote(&rest) {
                case .success(let value): options.tunnel = value
                case .failure(let reason): return .failure(reason)
                }
            }
            // The next option follows a comma; anything else is an option sshd does not know.
            guard let next = rest.first, next != " ", next != "\t" else { break }
            guard next == "," else { return .failure(.init("unknown key option")) }
            rest = rest.dropFirst()
            if rest.isEmpty { return .failure(.init("unexpected end-of-options")) }
        }
        return .success(options)
    }

    /// Why sshd refuses an option list (its `errstr`).
    struct Rejection: Error, Equatable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// `opt_flag`: `name` or (when negatable) `no-name`, case-insensitive, matched as a prefix.
    private static func flag(_ name: String, negatable: Bool, _ rest: inout Substring) -> Bool? {
        var text = rest
        var negated = false
        if negatable, text.prefix(3).lowercased() == "no-" {
            text = text.dropFirst(3)
            negated = true
        }
        guard text.prefix(name.count).lowercased() == name else { return nil }
        rest = text.dropFirst(name.count)
        return !negated
    }

    /// `opt_match`: `name=` case-insensitive; leaves `rest` at the value.
    private static func named(_ name: String, _ rest: inout Substring) -> Bool {
        guard rest.prefix(name.count).lowercased() == name,
            rest.dropFirst(name.count).first == "="
        else { return false }
        rest = rest.dropFirst(name.count + 1)
        return true
    }

    /// `opt_dequote`: a double-quoted value in which `\"` stands for `"`.
    private static func dequote(_ rest: inout Substring) -> Result<String, Rejection> {
        guard rest.first == "\"" else { return .failure(.init("missing start quote")) }
        var text = rest.dropFirst()
        var value = ""
        while let character = text.first, character != "\"" {
            if character == "\\", text.dropFirst().first == "\"" {
                text = text.dropFirst()
            }
            value.append(text.removeFirst())
        }
        guard !text.isEmpty else { return .failure(.init("missing end quote")) }
        rest = text.dropFirst()
        return .success(value)
    }

    /// `valid_env_name`: letters, digits and `_`, not empty.
    private static func validEnvironmentName(_ name: Substring) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// What the options change for a session, for evidence: `from="10.0.0.1", no-pty, command="…"`.
    var restrictions: [String] {
        var words: [String] = []
        if let from { words.append("from=\"\(from)\"") }
        for expiry in expiryTimes { words.append("expiry-time=\"\(expiry)\"") }
        if restrict { words.append("restrict") }
        if let command { words.append("command=\"\(command)\" (every login runs only this command)") }
        if !pty && !restrict { words.append("no-pty") }
        if !portForwarding && !restrict { words.append("no-port-forwarding") }
        if !agentForwarding && !restrict { words.append("no-agent-forwarding") }
        if !x11Forwarding && !restrict { words.append("no-x11-forwarding") }
        if !userRC && !restrict { words.append("no-user-rc") }
        if restrict && pty { words.append("pty") }
        if restrict && portForwarding { words.append("port-forwarding") }
        if verifyRequired { words.append("verify-required") }
        if !permitOpen.isEmpty { words.append("permitopen=\(permitOpen.joined(separator: ","))") }
        if !permitListen.isEmpty { words.append("permitlisten=\(permitListen.joined(separator: ","))") }
        if !environment.isEmpty { words.append("environment=\(environment.joined(separator: ","))") }
        if let tunnel { words.append("tunnel=\"\(tunnel)\"") }
        if certAuthority { words.append("cert-authority") }
        if let principals { words.append("principals=\"\(principals)\"") }
        return words
    }
}

/// An `expiry-time` value as sshd's `parse_absolute_time` reads it: `YYYYMMDD`, `YYYYMMDDHHMM` or
/// `YYYYMMDDHHMMSS`, in the server's local time unless it ends in `Z` or `UTC` (any case).
struct ExpiryTime: Equatable {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    var isUTC: Bool

    init?(_ text: String) {
        var digits = Substring(text)
        isUTC = false
        if digits.count > 1, digits.suffix(1).lowercased() == "z" {
            digits = digits.dropLast()
            isUTC = true
        } else if digits.count > 3, digits.suffix(3).lowercased() == "utc" {
            digits = digits.dropLast(3)
            isUTC = true
        }
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        func number(_ from: Int, _ length: Int) -> Int {
            Int(digits.dropFirst(from).prefix(length))!
        }
        year = number(0, 4)
        month = number(4, 2)
        day = number(6, 2)
        hour = digits.count >= 12 ? number(8, 2) : 0
        minute = digits.count >= 12 ? number(10, 2) : 0
        second = digits.count == 14 ? number(12, 2) : 0
        // strptime's ranges (glibc: %S allows up to 61).
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...61).contains(second)
        else { return nil }
    }

    /// sshd rejects a time before or at the epoch (`valid_before == 0`, or `mktime` < 0).
    var isValid: Bool { seconds(utcOffset: 0) > 0 }

    /// Seconds since the epoch; `utcOffset` (seconds east of UTC) applies unless the value is UTC.
    /// Days past a month's end roll over, as `timegm`/`mktime` do.
    func seconds(utcOffset: Int) -> Int {
        let days = Self.daysFromCivil(year: year, month: month, day: 1) + day - 1
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return isUTC ? local : local - utcOffset
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
