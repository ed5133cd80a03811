/// An address prefix in CIDR notation (`10.0.0.0/16`); a bare address is a host prefix.
/// (The address type is `IPAddress` of `VM/SSHDMatch.swift`.)
struct IPPrefix: Sendable, Equatable, CustomStringConvertible {
    let address: IPAddress
    let length: Int

    init?(_ text: String) {
        let parts = text.trimmingCharacters(in: " ").split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length) else { return nil }
            self.length = length
        } else {
            self.length = maximum
        }
        self.address = address
    }

    /// Whether `other` lies in this prefix (never across address families).
    func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var remaining = length
        for index in address.bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if address.bytes[index] & mask != other.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    var description: String { "\(address.description)/\(length)" }

    /// The private and special-purpose ranges that are not on the internet: RFC 1918, shared
    /// address space (RFC 6598), loopback, link-local, and IPv6 unique-local and link-local.
    static let notInternet: [IPPrefix] = [
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "0.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128",
    ].compactMap(IPPrefix.init)

    /// RFC 1918: the address space a VNet uses unless its own is known.
    static let privateRanges: [IPPrefix] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap(IPPrefix.init)
}
