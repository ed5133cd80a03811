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
            return ClientAddress(address: address.description, source: "given (client-ip)")
        }
        guard let host else { return nil }
        try requireNotOption(host, argument: "host")
        var target = IPAddress(host)
        if target == nil {
            let resolved = try await context.local.run(["getent", "ahosts", host], timeout: context.timeout)
            target = resolved.standardOutput.nonEmptyLines.lazy.compactMap { line in
                line.split(separator: " ").first.flatMap { IPAddress(String($0)) }
            }.first
        }
        guard let target else { return nil }
        // A literal address cannot be read as an option by `ip`.
        let route = try await context.local.run(["ip", "route", "get", target.description], timeout: context.timeout)
        guard route.succeeded, let source = Route.parse(route.standardOutput)?.source else { return nil }
        return ClientAddress(
            address: source,
            source: "source address of `ip route get \(target)` on the client (no NAT assumed)")
    }
}

/// The first line of `ip route get ADDRESS`: `10.0.0.1 dev eth0 src 10.0.0.4 uid 0` or
/// `local 127.0.0.1 dev lo src 127.0.0.1 uid 0`.
struct Route: Equatable, Sendable {
    var device: String?
    var source: String?
    var isLocal: Bool

    static func parse(_ text: String) -> Route? {
        guard let line = text.nonEmptyLines.first else { return nil }
        let words = line.split(separator: " ").map(String.init)
        func after(_ key: String) -> String? {
            guard let index = words.firstIndex(of: key), index + 1 < words.count else { return nil }
            return words[index + 1]
        }
        return Route(device: after("dev"), source: after("src"), isLocal: words.first == "local")
    }
}
