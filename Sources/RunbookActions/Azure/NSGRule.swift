/// One security rule, with the singular and plural fields merged into lists.
struct NSGRule: Sendable, Equatable {
    enum Access: String, Sendable {
        case allow = "Allow"
        case deny = "Deny"
    }
    enum Direction: String, Sendable {
        case inbound = "Inbound"
        case outbound = "Outbound"
    }

    var name: String
    var priority: Int
    var access: Access
    var direction: Direction
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*`.
    var protocolName: String
    var sourcePrefixes: [String]
    var sourcePorts: [String]
    var destinationPrefixes: [String]
    var destinationPorts: [String]
    var hasSourceASGs: Bool = false
    var hasDestinationASGs: Bool = false
    var isDefault: Bool = false

    init(
        name: String, priority: Int, access: Access, direction: Direction = .inbound, protocolName: String = "*",
        sourcePrefixes: [String] = ["*"], sourcePorts: [String] = ["*"], destinationPrefixes: [String] = ["*"],
        destinationPorts: [String] = ["*"], isDefault: Bool = false
    ) {
        self.name = name
        self.priority = priority
        self.access = access
        self.direction = direction
        self.protocolName = protocolName
        self.sourcePrefixes = sourcePrefixes
        self.sourcePorts = sourcePorts
        self.destinationPrefixes = destinationPrefixes
        self.destinationPorts = destinationPorts
        self.isDefault = isDefault
    }

    init(json: JSONValue, isDefault: Bool, position: Int) throws(NetworkSecurityGroup.Problem) {
        let name = json["name"]?.text ?? "rule #\(position + 1)"
        guard let priority = json.field("priority")?.integer else {
            throw .init(description: "rule '\(name)' has no priority")
        }
        guard let accessText = json.field("access")?.text,
            let access = Access.allCases.first(where: { $0.rawValue.lowercased() == accessText.lowercased() })
        else {
            throw .init(description: "rule '\(name)' has no access Allow or Deny")
        }
        guard let directionText = json.field("direction")?.text,
            let direction = Direction.allCases.first(where: { $0.rawValue.lowercased() == directionText.lowercased() })
        else {
            throw .init(description: "rule '\(name)' has no direction Inbound or Outbound")
        }
        self.init(
            name: name, priority: priority, access: access, direction: direction,
            protocolName: json.field("protocol")?.text ?? "*",
            sourcePrefixes: Self.list(json, "sourceAddressPrefix"),
            sourcePorts: Self.list(json, "sourcePortRange"),
            destinationPrefixes: Self.list(json, "destinationAddressPrefix"),
            destinationPorts: Self.list(json, "destinationPortRange"), isDefault: isDefault)
        hasSourceASGs = !(json.field("sourceApplicationSecurityGroups")?.array ?? []).isEmpty
        hasDestinationASGs = !(json.field("destinationApplicationSecurityGroups")?.array ?? []).isEmpty
    }

    /// The plural field (`destinationPortRanges`) when it has items, else the singular one.
    /// The CLI prints both, the unused one as `[]` or `null`.
    private static func list(_ json: JSONValue, _ singular: String) -> [String] {
        let plural = json.field(singular + "es")?.strings ?? json.field(singular + "s")?.strings ?? []
        if !plural.isEmpty { return plural }
        if let one = json.field(singular)?.text, !one.isEmpty { return [one] }
        return []
    }

    /// Azure's inbound default rules, present in every group (outbound ones do not matter here).
    static let builtInDefaults: [NSGRule] = [
        NSGRule(
            name: "AllowVnetInBound", priority: 65000, access: .allow, sourcePrefixes: ["VirtualNetwork"],
            destinationPrefixes: ["VirtualNetwork"], isDefault: true),
        NSGRule(
            name: "AllowAzureLoadBalancerInBound", priority: 65001, access: .allow,
            sourcePrefixes: ["AzureLoadBalancer"], isDefault: true),
        NSGRule(name: "DenyAllInBound", priority: 65500, access: .deny, isDefault: true),
    ]

    /// `AllowSSH (priority 1000, Allow)`.
    var label: String { "\(name) (priority \(priority), \(access.rawValue))" }
}

extension NSGRule.Access: CaseIterable {}
extension NSGRule.Direction: CaseIterable {}
