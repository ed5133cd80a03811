/// Decides whether one inbound flow passes network security groups, the way Azure does.
///
/// Azure applies an NSG's rules by ascending priority number and the first rule that matches
/// decides (Allow or Deny); the default rules (65000 AllowVnetInBound, 65001
/// AllowAzureLoadBalancerInBound, 65500 DenyAllInBound) come last. Inbound traffic meets the
/// subnet's NSG first and then the NIC's; both must allow it, and a level without an NSG allows
/// everything. Outbound rules do not decide inbound connections (return traffic of an allowed
/// flow is allowed), so they are ignored. A rule whose match cannot be decided from what is known
/// (a service tag other than Internet, VirtualNetwork or AzureLoadBalancer, an application
/// security group, an unknown source port) stops the evaluation as undecided instead of guessing.
/// An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is the IPv4 client it stands for, as Azure sees it.
struct NSGEvaluator: Sendable {
    /// The connection to judge. The destination is the VM's private address: NSGs see traffic
    /// after the public IP's translation.
    struct Flow: Sendable, Equatable {
        var source: IPAddress
        var destination: IPAddress?
        var port: Int
        /// `tcp`, `udp` or `icmp` (lower case).
        var protocolName: String
        var sourcePort: Int?
    }

    /// The VNet's address space for the `VirtualNetwork` and `Internet` tags.
    var vnetPrefixes: [IPPrefix]
    /// The address space was not given or looked up: RFC 1918 was assumed.
    var vnetAssumed: Bool

    init(vnetPrefixes: [IPPrefix]?) {
        self.vnetPrefixes = vnetPrefixes ?? IPPrefix.privateRanges
        self.vnetAssumed = vnetPrefixes == nil
    }

    enum Match: Sendable, Equatable {
        case yes, no
        case unknown(String)
    }

    /// What one NSG decided.
    enum Verdict: Sendable, Equatable {
        case allowed(NSGRule)
        case denied(NSGRule)
        case undecided(NSGRule, reason: String)

        var rule: NSGRule {
            switch self {
            case .allowed(let rule), .denied(let rule), .undecided(let rule, _): rule
            }
        }
    }

    func evaluate(_ group: NetworkSecurityGroup, _ flow: Flow) -> Verdict {
        for rule in group.inboundRules {
            switch match(rule, flow) {
            case .yes: return rule.access == .allow ? .allowed(rule) : .denied(rule)
            case .no: continue
            case .unknown(let reason): return .undecided(rule, reason: reason)
            }
        }
        // Unreachable with default rules in place (DenyAllInBound matches everything).
        return .denied(NSGRule(name: "(no rule matched)", priority: 65536, access: .deny, isDefault: true))
    }

    /// Whether `rule` applies to `flow`: every part must match; one clear miss is a miss even
    /// when another part is unknown. ICMP has no ports: only rules whose port ranges are `*`
    /// (as Azure requires of ICMP rules) can match it.
    func match(_ rule: NSGRule, _ flow: Flow) -> Match {
        let parts: [Match] = [
            matchProtocol(rule.protocolName, flow.protocolName),
            flow.protocolName == "icmp"
                ? (rule.destinationPorts.contains("*") ? .yes : .no)
                : matchPorts(rule.destinationPorts, flow.port, rule: rule, what: "destination port"),
            flow.protocolName == "icmp"
                ? (rule.sourcePorts.isEmpty || rule.sourcePorts.contains("*") ? .yes : .no)
                : matchSourcePorts(rule, flow),
            rule.hasSourceASGs && rule.sourcePrefixes.isEmpty
                ? asgSource(rule, flow) : matchPrefixes(rule.sourcePrefixes, flow.source, rule: rule, side: .source),
            rule.hasDestinationASGs && rule.destinationPrefixes.isEmpty
                ? .unknown(
                    "rule \(rule.name) names application security groups as destination; their members are not known")
                : matchDestination(rule, flow),
        ]
        if parts.contains(.no) { return .no }
        if let unknown = parts.first(where: { $0 != .yes }) { return unknown }
        return .yes
    }

    func matchProtocol(_ ruleProtocol: String, _ flowProtocol: String) -> Match {
        let name = ruleProtocol.lowercased()
        return name == "*" || name == "any" || name == flowProtocol ? .yes : .no
    }

    /// `*`, `22`, `20-25`, each item of a list.
    func matchPorts(_ ranges: [String], _ port: Int, rule: NSGRule, what: String) -> Match {
        guard !ranges.isEmpty else { return .unknown("rule \(rule.name) has no \(what) range") }
        var unknown: Match?
        for item in ranges {
            let text = item.trimmingCharacters(in: " ")
            if text == "*" { return .yes }
            let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map {
                Int(String($0).trimmingCharacters(in: " "))
            }
            if bounds.count == 1, let single = bounds[0] {
                if single == port { return .yes }
            } else if bounds.count == 2, let low = bounds[0], let high = bounds[1] {
                if (low...max(low, high)).contains(port) { return .yes }
            } else {
                unknown = unknown ?? .unknown("rule \(rule.name): '\(text)' is not a port or range")
            }
        }
        return unknown ?? .no
    }

    func matchSourcePorts(_ rule: NSGRule, _ flow: Flow) -> Match {
        if rule.sourcePorts.isEmpty || rule.sourcePorts.contains("*") { return .yes }
        guard let sourcePort = flow.sourcePort else {
            return .unknown(
                "rule \(rule.name) allows only source ports \(rule.sourcePorts.joined(separator: ",")); the client's source port is not known (give source-port=)"
            )
        }
        return matchPorts(rule.sourcePorts, sourcePort, rule: rule, what: "source port")
    }

    enum Side { case source, destination }

    func matchDestination(_ rule: NSGRule, _ flow: Flow) -> Match {
        guard let destination = flow.destination else {
            let prefixes = rule.destinationPrefixes
            if prefixes.contains(where: { ["*", "virtualnetwork"].contains($0.lowercased()) }) { return .yes }
            return .unknown(
                "rule \(rule.name) limits destinations to \(prefixes.joined(separator: ",")); the VM's address is not known (give destination=)"
            )
        }
        return matchPrefixes(rule.destinationPrefixes, destination, rule: rule, side: .destination)
    }

    /// A client outside the VNet is never in an application security group (ASGs group NICs).
    func asgSource(_ rule: NSGRule, _ flow: Flow) -> Match {
        if !inVirtualNetwork(flow.source) { return .no }
        return .unknown("rule \(rule.name) names application security groups as source; their members are not known")
    }

    func matchPrefixes(_ prefixes: [String], _ address: IPAddress, rule: NSGRule, side: Side) -> Match {
        guard !prefixes.isEmpty else { return .unknown("rule \(rule.name) has no \(side) address prefix") }
        var unknown: Match?
        for item in prefixes {
            switch matchPrefix(item.trimmingCharacters(in: " "), address, rule: rule, side: side) {
            case .yes: return .yes
            case .no: continue
            case .unknown(let reason): unknown = unknown ?? .unknown(reason)
            }
        }
        return unknown ?? .no
    }

    /// One prefix: `*`, a CIDR or address, or one of the service tags Azure defines for NSGs.
    func matchPrefix(_ item: String, _ address: IPAddress, rule: NSGRule, side: Side) -> Match {
        switch item.lowercased() {
        case "*", "any":
            return .yes
        case "virtualnetwork":
            // The destination of inbound traffic is the VM's NIC, which is in its VNet by definition.
            return side == .destination || inVirtualNetwork(address) ? .yes : .no
        case "internet":
            return isInternet(address) ? .yes : .no
        case "azureloadbalancer":
            return address.unmapped == Self.azurePlatformAddress ? .yes : .no
        default:
            if let prefix = IPPrefix(item) { return prefix.containsUnmapped(address) ? .yes : .no }
            return .unknown("rule \(rule.name) uses '\(item)' (a service tag whose address ranges are not known here)")
        }
    }

    /// The VirtualNetwork tag: the VNet's address space and the host's virtual IP 168.63.129.16.
    func inVirtualNetwork(_ address: IPAddress) -> Bool {
        address.unmapped == Self.azurePlatformAddress || vnetPrefixes.contains { $0.containsUnmapped(address) }
    }

    /// The Internet tag: public address space outside the virtual network.
    func isInternet(_ address: IPAddress) -> Bool {
        !inVirtualNetwork(address) && !IPPrefix.notInternet.contains { $0.containsUnmapped(address) }
    }

    /// Azure's platform address: the load balancer's health probes and the host come from it.
    static let azurePlatformAddress = IPAddress("168.63.129.16")!

    /// Rules that would allow the port and protocol but from other sources: the near misses a
    /// person looks for when a deny wins ("SSH is allowed only from 203.0.113.0/24").
    func nearMisses(_ group: NetworkSecurityGroup, _ flow: Flow) -> [NSGRule] {
        group.inboundRules.filter { rule in
            rule.access == .allow && !rule.isDefault
                && matchProtocol(rule.protocolName, flow.protocolName) == .yes
                && (flow.protocolName == "icmp"
                    ? rule.destinationPorts.contains("*")
                    : matchPorts(rule.destinationPorts, flow.port, rule: rule, what: "port") == .yes)
                && matchPrefixes(rule.sourcePrefixes, flow.source, rule: rule, side: .source) == .no
        }
    }

    /// Allow rules that match the flow but come after the deny that decided: shadowed by it.
    func shadowedAllows(_ group: NetworkSecurityGroup, _ flow: Flow, after decisive: NSGRule) -> [NSGRule] {
        group.inboundRules.filter { rule in
            rule.access == .allow && rule.priority > decisive.priority && !rule.isDefault && match(rule, flow) == .yes
        }
    }
}
