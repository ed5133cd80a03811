#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// sshd's matching of a client against a `from="…"` list (OpenSSH `match.c` `match_host_and_ip`,
/// `match_pattern_list`, `match_pattern`; `addrmatch.c` `addr_match_list`; `addr.c`).
enum AddressPatterns {
    /// `match_host_and_ip`: 1 when the client may use the key, 0 when not (no pattern matched, or a
    /// negated one did), -1 when the list is invalid (sshd denies then too: "invalid from criteria").
    /// `host` is the name sshd knows the client by: its address unless `UseDNS yes`.
    static func matchHostAndIP(host: String?, ip: String?, patterns: String) -> Int {
        let addressMatch = addressMatchList(ip, patterns)
        if addressMatch == -2 { return -1 }
        guard let host, ip != nil, addressMatch != -1 else { return 0 }
        let hostMatch = matchPatternList(host.lowercased(), patterns, lowercase: true)
        if hostMatch == -1 { return 0 }
        if hostMatch == 0 && addressMatch == 0 { return 0 }
        return 1
    }

    /// `addr_match_list`: 1 a pattern matched, 0 none did, -1 a negated one did, -2 a malformed entry
    /// (empty, or a CIDR whose mask is too long or has host bits set).
    static func addressMatchList(_ address: String?, _ list: String) -> Int {
        var parsedAddress: Address?
        if let address {
            guard let parsed = Address(address) else { return 0 }
            parsedAddress = parsed
        }
        var result = 0
        for entry in list.split(separator: ",", omittingEmptySubsequences: false) {
            var pattern = Substring(entry)
            let negated = pattern.first == "!"
            if negated { pattern = pattern.dropFirst() }
            if pattern.isEmpty { return -2 }
            let matched: Bool
            switch Network(cidr: String(pattern)) {
            case .inconsistent:
                return -2
            case .network(let network):
                matched = parsedAddress.map(network.contains) ?? false
            case .notAnAddress:
                matched = address.map { matchPattern($0, String(pattern)) } ?? false
            }
            if matched {
                if negated { return -1 }
                result = 1
            }
        }
        return result
    }

    /// `match_pattern_list`: 1 a pattern matched, 0 none did, -1 a negated one did (which wins).
    /// Subpatterns are lowercased when `lowercase` (the host name is lowercased by the caller).
    static func matchPatternList(_ string: String, _ list: String, lowercase: Bool) -> Int {
        var gotPositive = false
        for entry in list.split(separator: ",", omittingEmptySubsequences: false) {
            var pattern = Substring(entry)
            let negated = pattern.first == "!"
            if negated { pattern = pattern.dropFirst() }
            if pattern.utf8.count >= 1023 { return 0 }
            let sub = lowercase ? String(pattern).lowercased() : String(pattern)
            if matchPattern(string, sub) {
                if negated { return -1 }
                gotPositive = true
            }
        }
        return gotPositive ? 1 : 0
    }

    /// `match_pattern`: `*` any run, `?` one character, everything else itself.
    static func matchPattern(_ string: String, _ pattern: String) -> Bool {
        matchPattern(Array(string.utf8)[...], Array(pattern.utf8)[...])
    }

    private static func matchPattern(_ s: ArraySlice<UInt8>, _ p: ArraySlice<UInt8>) -> Bool {
        var s = s
        var p = p
        while true {
            guard let head = p.first else { return s.isEmpty }
            if head == UInt8(ascii: "*") {
                while p.first == UInt8(ascii: "*") { p = p.dropFirst() }
                if p.isEmpty { return true }
                while true {
                    if matchPattern(s, p) { return true }
                    if s.isEmpty { return false }
                    s = s.dropFirst()
                }
            }
            guard let character = s.first else { return false }
            if head != UInt8(ascii: "?") && head != character { return false }
            s = s.dropFirst()
            p = p.dropFirst()
        }
    }

    /// An IPv4 or IPv6 address read as sshd reads it (`getaddrinfo` with `AI_NUMERICHOST`, so
    /// `10.1` is 10.0.0.1 as with inet_aton).
    struct Address: Equatable {
        var isIPv6: Bool
        var bytes: [UInt8]

        init?(_ text: String) {
            guard !text.isEmpty else { return nil }
            var hints = addrinfo()
            hints.ai_flags = AI_NUMERICHOST
            var info: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(text, nil, &hints, &info) == 0, let first = info else { return nil }
            defer { freeaddrinfo(info) }
            guard let socketAddress = first.pointee.ai_addr else { return nil }
            switch Int32(first.pointee.ai_family) {
            case AF_INET:
                isIPv6 = false
                bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                }
            case AF_INET6:
                isIPv6 = true
                bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
            default:
                return nil
            }
        }
    }

    /// An entry of a `from=` list read as CIDR (`addr_pton_cidr`).
    enum Network {
        case network(Prefix)
        /// Not an address: matched as a wildcard pattern instead.
        case notAnAddress
        /// An address, but the mask is too long for its family or host bits are set: the list is invalid.
        case inconsistent

        struct Prefix {
            var address: Address
            var length: Int

            func contains(_ other: Address) -> Bool {
                guard other.isIPv6 == address.isIPv6 else { return false }
                return zip(address.bytes, other.bytes).enumerated().allSatisfy { index, pair in
                    let bits = max(0, min(8, length - index * 8))
                    let mask: UInt8 = bits == 0 ? 0 : ~UInt8(0) << (8 - bits)
                    return pair.0 & mask == pair.1 & mask
                }
            }
        }

        init(cidr text: String) {
            guard text.utf8.count < 64 else { self = .notAnAddress; return }
            var addressText = Substring(text)
            var length: Int?
            if let slash = text.firstIndex(of: "/") {
                addressText = text[..<slash]
                let digits = text[text.index(after: slash)...]
                guard let first = digits.first, first.isASCII, first.isNumber,
                    digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits.prefix(9)),
                    digits.count < 10, value <= 128
                else { self = .notAnAddress; return }
                length = value
            }
            guard let address = Address(String(addressText)) else { self = .notAnAddress; return }
            let bits = address.isIPv6 ? 128 : 32
            let prefixLength = length ?? bits
            guard prefixLength <= bits else { self = .inconsistent; return }
            let prefix = Prefix(address: address, length: prefixLength)
            // Host bits must be zero: 10.0.0.1/8 is refused, not rounded.
            let zero = Address(address.isIPv6 ? "::" : "0.0.0.0")!
            var hostPart = address
            hostPart.bytes = address.bytes.enumerated().map { index, byte in
                let bits = max(0, min(8, prefixLength - index * 8))
                let mask: UInt8 = bits == 0 ? 0 : ~UInt8(0) << (8 - bits)
                return byte & ~mask
            }
            guard hostPart.bytes == zero.bytes else { self = .inconsistent; return }
            self = .network(prefix)
        }
    }
}
