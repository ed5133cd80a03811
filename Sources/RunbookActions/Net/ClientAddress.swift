import RunbookCore

/// The client's address as the VM sees it, an input of the checks that evaluate sshd's rules and its
/// listening address.
///
/// Given as `client-ip`, it is used as it is. Otherwise it is the source address the client's kernel
/// picks for the VM (`ip route get ADDRESS` run on the client, its `src`): right when no NAT lies
/// between the two (a private network, a VPN, the lab). Behind NAT the VM sees the NAT's public
/// address instead, so give `client-ip`. When neither works it is `nil`, and the checks say that they
/// could not decide what depends on it; it is never guessed.
struct ClientAddress: Sendable, Equatable {
    var address: String
    /// How it was found, for the evidence.
    var source: String

    static let argumentHelp =
        "The client's address as the VM sees it (default: the source address of `ip route get HOST` on the client, right when no NAT lies between)."

    static func resolve(
        clientIP: String?, host: String?, context: CheckContext
    ) async throws -> ClientAddress? {
        if let clientIP {
            guard let address = IPAddress(clientIP) else {
                throw EarlyResult(.error("client-ip: '\(clientIP)' is not an IP address"))
            }
            // The VM's sshd, kernel and firewall see an IPv4 client of a dual-stack socket as IPv4
            // (sshd's `ipv64_normalise_mapped`), so `::ffff:10.0.0.1` is the client 10.0.0.1.
            return ClientAddress(address: address.unmapped.description, source: "given (client-ip)")
        }
        guard let host else { return nil }
        try requireNotOption(host, argument: "host")
        guard let target = try await IPAddress.resolve(host, on: context.local, timeout: context.timeout),
            let source = try await Route.get(to: target, on: context.local, timeout: context.timeout)?.source
        else { return nil }
        return ClientAddress(
            address: source.description,
            source: "source address of `ip route get \(target)` on the client (no NAT assumed)")
    }
}
