/// An address prefix: the addresses whose first `length` bits equal those of `address`
/// (`10.0.0.0/16`; a bare address is a host prefix).
///
/// Containment never crosses address families; callers that model a component reading an
/// IPv4-mapped IPv6 address as IPv4 (Azure, sshd, netfilter) compare ``unmapped`` values.
struct IPPrefix: Sendable, Equatable, CustomStringConvertible {
    let address: IPAddress
    let length: Int

    /// A prefix of `length` bits, held to `0...` the family's width (as the firewalls read a length).
    init(address: IPAddress, length: Int) {
        self.address = address
        self.length = max(0, min(length, address.bytes.count * 8))
    }

    /// Reads CIDR text as Azure and `no_proxy` lists write it (`10.0.0.0/8`, `2001:db8::/32`, or one
    /// address). Host bits may be set (`10.0.0.1/8` is 10.0.0.0/8); a length past the family's width
    /// is refused.
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

    /// Whether `other` lies in this prefix (OpenSSH's `addr_netmatch`): same family, same leading bits.
    func contains(_ other: IPAddress) -> Bool {
        other.bytes.count == address.bytes.count && masked(other) == masked(address)
    }

    /// Whether `other` lies in this prefix when an IPv4-mapped IPv6 address or prefix is read as the
    /// IPv4 one it stands for: `::ffff:1.2.3.4` is in `1.2.3.4/32`, as Azure compares a client.
    func containsUnmapped(_ other: IPAddress) -> Bool { unmapped.contains(other.unmapped) }

    /// Whether the address has host bits set past the prefix (`10.0.0.1/8`), which sshd refuses.
    var hasHostBits: Bool { masked(address) != address }

    /// `other` with the bits past the prefix cleared.
    func masked(_ other: IPAddress) -> IPAddress {
        var bytes = other.bytes
        for index in bytes.indices {
            let keep = max(0, min(8, length - index * 8))
            bytes[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
        return IPAddress(bytes: bytes)
    }

    /// An IPv4-mapped IPv6 prefix of at least 96 bits (`::ffff:10.0.0.0/104`) as the IPv4 prefix it
    /// stands for (`10.0.0.0/8`); any other prefix as it is.
    var unmapped: IPPrefix {
        guard address.isMapped && length >= 96 else { return self }
        return IPPrefix(address: address.unmapped, length: length - 96)
    }

    var description: String { "\(address.description)/\(length)" }

    /// The private and special-purpose ranges that are not on the internet: RFC 1918, shared
    /// address space (RFC 6598), loopback, link-local, and IPv6 unique-local and link-local.
    static let notInternet: [IPPrefix] = [
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "0.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128",
    ].compactMap(IPPrefix.init)

    /// RFC 1918: the address space a VNet uses unless its own is known.
    static let privateRanges: [IPPrefix] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        .compactMap(IPPrefix.init)
}
