#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as 4 or 16 bytes.
///
/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is kept as IPv6, as OpenSSH's `addr_pton` does;
/// ``unmapped`` is the IPv4 address it stands for, the client that sshd (`ipv64_normalise_mapped`),
/// netfilter and Azure see.
struct IPAddress: Equatable, Sendable, CustomStringConvertible {
    var bytes: [UInt8]

    /// Reads an address strictly: four dotted decimal parts, or IPv6 text (`inet_pton`). A scope
    /// (`fe80::1%eth0`) is not part of the address.
    init?(_ text: String) {
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

    /// Reads an address as sshd does (`addr_pton`: `getaddrinfo` with `AI_NUMERICHOST`), so `10.1` is
    /// 10.0.0.1 and `10` is 0.0.0.10, as with `inet_aton`.
    static func numericHost(_ text: String) -> IPAddress? {
        guard !text.isEmpty else { return nil }
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(text, nil, &hints, &info) == 0, let first = info else { return nil }
        defer { freeaddrinfo(info) }
        guard let socketAddress = first.pointee.ai_addr else { return nil }
        switch Int32(first.pointee.ai_family) {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                IPAddress(bytes: withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) })
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                IPAddress(bytes: withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) })
            }
        default:
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isIPv4: Bool { bytes.count == 4 }

    /// Whether this is an IPv4-mapped IPv6 address (`::ffff:0:0/96`).
    var isMapped: Bool {
        bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`), or the address itself.
    var unmapped: IPAddress { isMapped ? IPAddress(bytes: Array(bytes[12...])) : self }

    var isLoopback: Bool {
        let plain = unmapped
        if plain.isIPv4 { return plain.bytes[0] == 127 }
        return plain.bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return Self.formatIPv6(bytes)
    }

    /// RFC 5952 text: lower-case groups, the longest run of two or more zero groups as `::`.
    static func formatIPv6(_ bytes: [UInt8]) -> String {
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        let text = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return text.joined(separator: ":") }
        let head = text[..<best.start].joined(separator: ":")
        let tail = text[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
