import RunbookCore

/// `proxy-env`: lists the proxy variables of the client's environment, credentials masked.
///
/// With `fail-if-set=true` it fails when a proxy applies to `host` (not excluded by `no_proxy`).
struct ProxyEnv: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "proxy-env",
            summary: "Lists http_proxy, https_proxy, all_proxy and no_proxy of the client's environment.",
            arguments: [
                ArgumentSpec("host", .string, help: "Host whose connections the proxies may affect."),
                ArgumentSpec("fail-if-set", .bool, default: "false", help: "Fail when a proxy applies to `host`."),
            ],
            example: "check proxy-env host={{host}} fail-if-set=true")
    }

    static let proxyNames = ["http_proxy", "https_proxy", "all_proxy"]

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let failIfSet = try arguments.bool("fail-if-set")
        let host = arguments.optional("host")
        // Any spelling counts (HTTP_PROXY, Https_Proxy); sorted so the summary is stable.
        let found = context.environment
            .filter { (Self.proxyNames + ["no_proxy"]).contains($0.key.lowercased()) && !$0.value.isEmpty }
            .sorted { $0.key < $1.key }
        guard !found.isEmpty else { return .pass("no proxy variables") }

        var evidence: [String: String] = [:]
        for (name, value) in found { evidence[name] = Self.maskingCredentials(value) }
        let listed = found.map { "\($0.key)=\(Self.maskingCredentials($0.value))" }.joined(separator: ", ")
        let noProxy = found.first { $0.key.lowercased() == "no_proxy" }?.value ?? ""
        let applying = found.filter { Self.proxyNames.contains($0.key.lowercased()) }
            .filter { _ in host.map { !Self.noProxy(noProxy, excludes: $0) } ?? true }
        if let host { evidence["host"] = host }
        evidence["applies"] = applying.isEmpty ? "no" : "yes"

        if failIfSet, let first = applying.first {
            return .fail(
                "\(first.key)=\(Self.maskingCredentials(first.value)) applies to \(host ?? "every host")",
                evidence: evidence)
        }
        return .pass(listed, evidence: evidence)
    }

    /// `http://user:secret@proxy:3128` → `http://***@proxy:3128`.
    static func maskingCredentials(_ value: String) -> String {
        let schemeEnd = value.range(of: "://")?.upperBound ?? value.startIndex
        let rest = value[schemeEnd...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return value }
        return String(value[..<schemeEnd]) + "***" + String(rest[at...])
    }

    /// Whether a `no_proxy` list excludes `host`: `*`, exact names, domain suffixes (`.example.com` or
    /// `example.com`), IPv4 addresses and IPv4 CIDR blocks. Ports in entries are ignored.
    static func noProxy(_ list: String, excludes host: String) -> Bool {
        let host = host.lowercased()
        for raw in list.split(separator: ",") {
            var entry = String(raw).trimmingCharacters(in: " ").lowercased()
            if entry == "*" { return true }
            if let colon = entry.lastIndex(of: ":"), !entry.contains("/"), entry.filter({ $0 == ":" }).count == 1 {
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("*.") { entry.removeFirst() }
            if entry.hasPrefix(".") { entry.removeFirst() }
            guard !entry.isEmpty else { continue }
            if host == entry || host.hasSuffix("." + entry) { return true }
            if entry.contains("/"), let block = IPPrefix(entry), block.address.isIPv4,
                let address = IPAddress(host), block.contains(address)
            {
                return true
            }
        }
        return false
    }
}
