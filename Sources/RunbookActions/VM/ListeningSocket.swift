/// A TCP socket in state LISTEN, as `/proc/net/tcp` and `/proc/net/tcp6` show it.
struct ListeningSocket: Equatable, Sendable {
    /// Dotted IPv4 (`0.0.0.0`) or IPv6 (`::`, `::1`) address.
    var address: String
    var port: Int
    var inode: String
    var isIPv6: Bool

    /// `0.0.0.0:22` or `[::]:22`.
    var endpoint: String { isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)" }

    /// The LISTEN sockets (state `0A`) of a `/proc/net/tcp` or `/proc/net/tcp6` text.
    ///
    /// A line reads `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`; the local address
    /// is hex in the kernel's byte order (little-endian words on x86 and arm64), the port hex in host order.
    static func parse(procNetTCP text: String) -> [ListeningSocket] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 10, fields[0].hasSuffix(":"), fields[3] == "0A" else { return nil }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, let port = Int(local[1], radix: 16),
                let (address, isIPv6) = decodeAddress(String(local[0]))
            else { return nil }
            return ListeningSocket(address: address, port: port, inode: String(fields[9]), isIPv6: isIPv6)
        }
    }

    static func decodeAddress(_ hex: String) -> (String, Bool)? {
        guard hex.count == 8 || hex.count == 32, hex.allSatisfy(\.isHexDigit) else { return nil }
        // Each 32-bit word is printed as a host-order integer: reverse its bytes to get network order.
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let end = hex.index(index, offsetBy: 8)
            let word = UInt32(hex[index..<end], radix: 16)!
            bytes += [UInt8(word & 0xff), UInt8(word >> 8 & 0xff), UInt8(word >> 16 & 0xff), UInt8(word >> 24)]
            index = end
        }
        if bytes.count == 4 { return (bytes.map(String.init).joined(separator: "."), false) }
        return (IPAddress.formatIPv6(bytes), true)
    }
}

extension ListeningSocket {
    enum Reach: Equatable, Sendable {
        /// The first socket the client reaches, as `0.0.0.0:22`.
        case reachable(String)
        case loopbackOnly
        case otherAddress
        case undecided(String)
    }

    /// Whether a client at `client` (as the VM sees it) reaches one of `sockets`. `route` is the VM's
    /// `ip route get CLIENT`: its `src` is the VM's address toward the client, the address the client's
    /// packets arrive for. `v6only` tells whether a `::` socket refuses IPv4.
    static func reachability(
        _ sockets: [ListeningSocket], client: IPAddress?, route: Route?, v6only: (ListeningSocket) -> Bool
    ) -> Reach {
        let client = client?.unmapped
        let vmAddress = route?.source?.unmapped
        var unknown: [String] = []
        for socket in sockets {
            guard let raw = IPAddress(socket.address) else { continue }
            let address = raw.unmapped
            if raw.isUnspecified {
                if !socket.isIPv6 {
                    if client.map(\.isIPv4) ?? true { return .reachable(socket.endpoint) }
                } else if let client {
                    if !client.isIPv4 || !v6only(socket) { return .reachable(socket.endpoint) }
                } else if !v6only(socket) {
                    return .reachable(socket.endpoint)
                } else {
                    unknown.append("\(socket.endpoint) takes IPv6 clients only")
                }
                continue
            }
            if address.isLoopback {
                if client?.isLoopback == true { return .reachable(socket.endpoint) }
                continue
            }
            guard let client else {
                unknown.append("\(socket.endpoint) is reachable only by clients routed to that address")
                continue
            }
            if address == vmAddress || (route?.isLocal == true && address == client) {
                return .reachable(socket.endpoint)
            }
        }
        if !unknown.isEmpty { return .undecided("client address unknown; " + unknown.joined(separator: "; ")) }
        let loopback = sockets.allSatisfy { IPAddress($0.address)?.unmapped.isLoopback == true }
        return loopback ? .loopbackOnly : .otherAddress
    }
}
