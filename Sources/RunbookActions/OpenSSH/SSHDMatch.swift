#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// OpenSSH's pattern matching, as sshd applies it to `AllowUsers`, `DenyUsers`, `AllowGroups` and
/// `DenyGroups` (OpenSSH `match.c`, `addrmatch.c`, `groupaccess.c`; written from their behaviour,
/// checked by the tests against the same cases).
enum SSHDMatch {
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
    /// 1 when a positive pattern matches and no negated one does, -1 when a negated one matches, else 0.
    /// With `lowercase`, the patterns are lower-cased first (the string is expected lower-case already).
    static func patternList(_ string: String, _ list: String, lowercase: Bool = false) -> Int {
        var positive = false
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            var sub = Substring(item)
            let negated = sub.first == "!"
            if negated { sub = sub.dropFirst() }
            let text = lowercase ? sub.lowercased() : String(sub)
            if pattern(string, text) {
                if negated { return -1 }
                positive = true
            }
        }
        return positive ? 1 : 0
    }

    /// `addr_match_list`: 1 when the address is in a (non-negated) entry, -1 when a negated entry holds
    /// it, 0 otherwise, -2 for an entry that is empty or a network with host bits set. Entries are
    /// CIDR networks or plain addresses first, wildcard patterns on the address text otherwise.
    static func addressList(_ address: String?, _ list: String) -> Int {
        let tried = address.flatMap(IPAddress.init)
        if address != nil && tried == nil { return 0 }
        var result = 0
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            var entry = Substring(item)
            let negated = entry.first == "!"
            if negated { entry = entry.dropFirst() }
            if entry.isEmpty { return -2 }
            var found = false
            switch IPNetwork.parse(String(entry)) {
            case .invalidMask: return -2
            case .network(let network):
                if let tried, network.contains(tried) { found = true }
            case .notAnAddress:
                if let address, pattern(address, String(entry)) { found = true }
            }
            if found {
                if negated { return -1 }
                result = 1
            }
        }
        return result
    }

    /// `match_host_and_ip`: 1 when the host name or the address matches the list and neither is
    /// negated, 0 when not, -1 for an invalid list.
    static func hostAndAddress(host: String?, address: String?, _ list: String) -> Int {
        let byAddress = addressList(address, list)
        if byAddress == -2 { return -1 }
        guard let host, address != nil, byAddress != -1 else { return 0 }
        let byHost = patternList(host.lowercased(), list, lowercase: true)
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
}

/// An IPv4 or IPv6 address as 4 or 16 bytes (an IPv4-mapped IPv6 address is kept as IPv6, as
/// OpenSSH's `addr_pton` does).
struct IPAddress: Equatable, Sendable, CustomStringConvertible {
    var bytes: [UInt8]

    init?(_ text: String) {
        // A scope (`fe80::1%eth0`) is not part of the address.
        let plain = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        if plain.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, plain, &raw) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &raw) { Array($0) }
        } else {
            var raw = in_addr()
            guard plain.split(separator: ".").count == 4, inet_pton(AF_INET, plain, &raw) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &raw) { Array($0) }
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`), or the address itself.
    var unmapped: IPAddress {
        if bytes.count == 16 && bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return IPAddress(bytes: Array(bytes[12...]))
        }
        return self
    }

    var isLoopback: Bool {
        let plain = unmapped
        if plain.isIPv4 { return plain.bytes[0] == 127 }
        return plain.bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return ListeningSocket.formatIPv6(bytes)
    }
}

/// A network `ADDRESS/BITS` (or one address) as OpenSSH's `addr_pton_cidr` reads it.
struct IPNetwork: Equatable, Sendable {
    var address: IPAddress
    var bits: Int

    enum Parsed { case network(IPNetwork), invalidMask, notAnAddress }

    static func parse(_ text: String) -> Parsed {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return .notAnAddress }
        var bits = address.bytes.count * 8
        if parts.count == 2 {
            guard let value = Int(parts[1]), parts[1].allSatisfy(\.isNumber), value <= 128 else { return .notAnAddress }
            bits = value
        }
        if bits > address.bytes.count * 8 { return .invalidMask }
        let network = IPNetwork(address: address, bits: bits)
        // sshd refuses a network whose host bits are not all zero ("inconsistent mask length").
        if network.masked(address) != address { return .invalidMask }
        return .network(network)
    }

    func masked(_ other: IPAddress) -> IPAddress {
        var bytes = other.bytes
        for index in bytes.indices {
            let keep = max(0, min(8, bits - index * 8))
            bytes[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
        return IPAddress(bytes: bytes)
    }

    /// `addr_netmatch`: same family and same leading bits.
    func contains(_ other: IPAddress) -> Bool {
        other.bytes.count == address.bytes.count && masked(other) == address
    }
}
