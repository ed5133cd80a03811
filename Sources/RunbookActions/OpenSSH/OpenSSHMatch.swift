/// OpenSSH's pattern matching (`match.c`, `addrmatch.c`, `groupaccess.c`), the one port of it: sshd
/// applies it to `AllowUsers`, `DenyUsers`, `AllowGroups`, `DenyGroups` and to a key's `from="…"`.
///
/// Written from OpenSSH 9.x's behaviour and checked by the tests against the same cases (and, for
/// what makes an entry invalid, against the real `sshd -t`). Addresses are read as sshd reads them
/// (`getaddrinfo` with `AI_NUMERICHOST`, so `10.1` is 10.0.0.1). sshd hands these functions the
/// client's address already normalised (`ipv64_normalise_mapped`: `::ffff:10.0.0.1` is 10.0.0.1);
/// ``ClientAddress`` does the same.
enum OpenSSHMatch {
    /// The longest pattern of a list sshd reads: it copies each into a 1,024-byte buffer, and a pattern
    /// of 1,023 bytes or more makes the whole list "no match" (`match_pattern_list`).
    static let longestPattern = 1022

    /// `match_pattern`: `*` matches any run of characters, `?` one character, everything else itself
    /// (case-sensitive; `!` and `,` have no meaning here).
    static func pattern(_ string: String, _ pattern: String) -> Bool {
        glob(Array(string.utf8), 0, Array(pattern.utf8), 0)
    }

    private static func glob(_ s: [UInt8], _ si: Int, _ p: [UInt8], _ pi: Int) -> Bool {
        var si = si
        var pi = pi
        while true {
            if pi == p.count { return si == s.count }
            if p[pi] == UInt8(ascii: "*") {
                while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
                if pi == p.count { return true }
                var start = si
                while start <= s.count {
                    if glob(s, start, p, pi) { return true }
                    start += 1
                }
                return false
            }
            if si == s.count { return false }
            if p[pi] != UInt8(ascii: "?") && p[pi] != s[si] { return false }
            si += 1
            pi += 1
        }
    }

    /// `match_pattern_list`: comma-separated patterns, each optionally negated with `!`.
    /// 1 when a positive pattern matches and no negated one does, -1 when a negated one matches, else 0
    /// (also when a pattern is longer than ``longestPattern``). With `lowercase`, the patterns' ASCII
    /// letters are lower-cased first (the string is expected lower-case already).
    static func patternList(_ string: String, _ list: String, lowercase: Bool = false) -> Int {
        var positive = false
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            var sub = Substring(item)
            let negated = sub.first == "!"
            if negated { sub = sub.dropFirst() }
            if sub.utf8.count > longestPattern { return 0 }
            let text = lowercase ? asciiLowercased(sub) : String(sub)
            if pattern(string, text) {
                if negated { return -1 }
                positive = true
            }
        }
        return positive ? 1 : 0
    }

    /// `addr_match_list`: 1 when the address is in a (non-negated) entry, -1 when a negated entry holds
    /// it, 0 otherwise (also for an address sshd cannot read), -2 for an entry that is empty or a
    /// network whose mask is too long or has host bits set. Entries are CIDR networks or plain
    /// addresses first, wildcard patterns on the address text otherwise. A `nil` address only
    /// validates the list.
    static func addressList(_ address: String?, _ list: String) -> Int {
        var client: IPAddress?
        if let address {
            guard let parsed = IPAddress.numericHost(address) else { return 0 }
            client = parsed
        }
        var result = 0
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            var entry = Substring(item)
            let negated = entry.first == "!"
            if negated { entry = entry.dropFirst() }
            if entry.isEmpty { return -2 }
            let found: Bool
            switch network(String(entry)) {
            case .inconsistent: return -2
            case .network(let network): found = client.map(network.contains) ?? false
            case .notAnAddress: found = address.map { pattern($0, String(entry)) } ?? false
            }
            if found {
                if negated { return -1 }
                result = 1
            }
        }
        return result
    }

    /// An entry of an address list as `addr_pton_cidr` reads it.
    enum Network: Equatable {
        case network(IPPrefix)
        /// Not an address (or longer than sshd's 64-byte buffer): matched as a wildcard pattern.
        case notAnAddress
        /// An address whose mask is too long for its family or leaves host bits set: the list is invalid.
        case inconsistent
    }

    /// `addr_pton_cidr`: `ADDRESS` or `ADDRESS/BITS`, the length in decimal digits only (as `strtoul`
    /// reads them, with no sign or space).
    static func network(_ text: String) -> Network {
        guard text.utf8.count < 64 else { return .notAnAddress }
        var addressText = Substring(text)
        var length: Int?
        if let slash = text.firstIndex(of: "/") {
            addressText = text[..<slash]
            let digits = text.utf8[text.utf8.index(after: slash)...]
            let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
            guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return .notAnAddress }
            // strtoul saturates; anything past 128 is refused alike.
            let value = digits.reduce(0) { min($0 * 10 + Int($1 - UInt8(ascii: "0")), 1000) }
            guard value <= 128 else { return .notAnAddress }
            length = value
        }
        guard let address = IPAddress.numericHost(String(addressText)) else { return .notAnAddress }
        let width = address.bytes.count * 8
        let bits = length ?? width
        guard bits <= width else { return .inconsistent }
        let network = IPPrefix(address: address, length: bits)
        return network.hasHostBits ? .inconsistent : .network(network)
    }

    /// `match_host_and_ip`: 1 when the host name or the address matches the list and neither is
    /// negated, 0 when not, -1 for an invalid list. `host` is the name sshd knows the client by: its
    /// address unless `UseDNS yes`.
    static func hostAndAddress(host: String?, address: String?, _ list: String) -> Int {
        let byAddress = addressList(address, list)
        if byAddress == -2 { return -1 }
        guard let host, address != nil, byAddress != -1 else { return 0 }
        // `match_hostname`: the name lower-cased, the patterns too.
        let byHost = patternList(asciiLowercased(Substring(host)), list, lowercase: true)
        if byHost == -1 { return 0 }
        if byHost == 0 && byAddress == 0 { return 0 }
        return 1
    }

    /// `match_user`: a `USER` pattern, or `USER@HOST` where HOST is a pattern list or CIDR list matched
    /// against the client's host name and address (split at the first `@`). 1 match, 0 not, -1 invalid.
    static func user(_ user: String, host: String?, address: String?, _ entry: String) -> Int {
        guard let at = entry.firstIndex(of: "@") else { return pattern(user, entry) ? 1 : 0 }
        guard pattern(user, String(entry[..<at])) else { return 0 }
        return hostAndAddress(host: host, address: address, String(entry[entry.index(after: at)...]))
    }

    /// Whether an entry has a host part, so its outcome depends on the client.
    static func hasHostPart(_ entry: String) -> Bool { entry.contains("@") }

    /// `ga_match`: whether any of the user's groups matches any of the patterns (`match_pattern`, no
    /// negation). Returns the first group and pattern that match.
    static func groups(_ groups: [String], _ patterns: [String]) -> (group: String, pattern: String)? {
        for group in groups {
            for entry in patterns where pattern(group, entry) { return (group, entry) }
        }
        return nil
    }

    /// C's `tolower` in the C locale: only ASCII letters change.
    private static func asciiLowercased(_ text: Substring) -> String {
        String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
