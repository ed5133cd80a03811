import Foundation
import Testing

@testable import RunbookActions

/// A rule of a test table, written once and printed in each JSON shape Azure uses.
struct TestRule: Sendable, CustomStringConvertible {
    var name: String
    var priority: Int
    var access = "Allow"
    var direction = "Inbound"
    var proto = "Tcp"
    var source: [String] = ["*"]
    var sourcePorts: [String] = ["*"]
    var destination: [String] = ["*"]
    var ports: [String] = ["22"]
    var destinationASG = false
    var sourceASG = false

    var description: String { "\(name)@\(priority)" }

    /// The fields of a rule; `cli` prints both singular and plural fields as `az` does.
    func fields(cli: Bool) -> [String: Any] {
        var fields: [String: Any] = ["access": access, "direction": direction, "priority": priority, "protocol": proto]
        func put(_ singular: String, _ plural: String, _ values: [String]) {
            if values.count == 1 {
                fields[singular] = values[0]
                if cli { fields[plural] = [String]() }
            } else {
                fields[plural] = values
                if cli { fields[singular] = NSNull() }
            }
        }
        put("sourceAddressPrefix", "sourceAddressPrefixes", source)
        put("sourcePortRange", "sourcePortRanges", sourcePorts)
        put("destinationAddressPrefix", "destinationAddressPrefixes", destination)
        put("destinationPortRange", "destinationPortRanges", ports)
        let asg: [[String: Any]] = [
            ["id": "/subscriptions/0/resourceGroups/rg1/providers/Microsoft.Network/applicationSecurityGroups/web"]
        ]
        if destinationASG {
            fields["destinationApplicationSecurityGroups"] = asg
            fields.removeValue(forKey: "destinationAddressPrefix")
            if cli { fields["destinationAddressPrefix"] = NSNull() }
        }
        if sourceASG {
            fields["sourceApplicationSecurityGroups"] = asg
            fields.removeValue(forKey: "sourceAddressPrefix")
            if cli { fields["sourceAddressPrefix"] = NSNull() }
        }
        return fields
    }

    func json(cli: Bool, group: String, isDefault: Bool = false) -> [String: Any] {
        let id =
            "/subscriptions/0/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/\(group)/"
            + (isDefault ? "defaultSecurityRules/" : "securityRules/") + name
        if cli {
            var all = fields(cli: true)
            all["name"] = name
            all["id"] = id
            all["provisioningState"] = "Succeeded"
            all["resourceGroup"] = "rg1"
            return all
        }
        return [
            "name": name, "id": id,
            "properties": fields(cli: false).merging(["provisioningState": "Succeeded"]) { a, _ in a },
        ]
    }
}

enum Shape: String, CaseIterable, Sendable {
    /// `az network nsg show -o json`, default rules included in the document.
    case cli
    /// The ARM REST shape (`properties`), without `defaultSecurityRules`: the built-in ones apply.
    case rest
}

/// An NSG document of `rules` in `shape`.
func nsgDocument(_ name: String, _ rules: [TestRule], shape: Shape) throws -> JSONValue {
    let custom = rules.map { $0.json(cli: shape == .cli, group: name) }
    var document: [String: Any]
    switch shape {
    case .cli:
        let defaults = [
            TestRule(
                name: "AllowVnetInBound", priority: 65000, proto: "*", source: ["VirtualNetwork"],
                destination: ["VirtualNetwork"], ports: ["*"]),
            TestRule(
                name: "AllowAzureLoadBalancerInBound", priority: 65001, proto: "*", source: ["AzureLoadBalancer"],
                ports: ["*"]),
            TestRule(name: "DenyAllInBound", priority: 65500, access: "Deny", proto: "*", ports: ["*"]),
            TestRule(
                name: "AllowVnetOutBound", priority: 65000, direction: "Outbound", proto: "*",
                source: ["VirtualNetwork"], destination: ["VirtualNetwork"], ports: ["*"]),
            TestRule(
                name: "AllowInternetOutBound", priority: 65001, direction: "Outbound", proto: "*",
                destination: ["Internet"], ports: ["*"]),
            TestRule(
                name: "DenyAllOutBound", priority: 65500, access: "Deny", direction: "Outbound", proto: "*",
                ports: ["*"]),
        ].map { $0.json(cli: true, group: name, isDefault: true) }
        document = [
            "name": name, "resourceGroup": "rg1", "securityRules": custom, "defaultSecurityRules": defaults,
            "type": "Microsoft.Network/networkSecurityGroups",
        ]
    case .rest:
        document = [
            "name": name, "location": "westeurope",
            "properties": ["securityRules": custom, "provisioningState": "Succeeded"],
            "type": "Microsoft.Network/networkSecurityGroups",
        ]
    }
    let data = try JSONSerialization.data(withJSONObject: document)
    return try JSONValue.parse(String(decoding: data, as: UTF8.self))
}

struct NSGCase: Sendable, CustomStringConvertible {
    var name: String
    var subnet: [TestRule]?
    var nic: [TestRule]?
    var source = "198.51.100.9"
    var destination: String? = "10.0.0.4"
    var port = 22
    var proto = "tcp"
    var sourcePort: Int?
    var vnet: [String]?
    /// `pass`, `fail` or `error`.
    var status: String
    /// For a fail: `level/rule` that denied; for a pass: `level/rule` that allowed at the NIC (or subnet).
    var decidedBy: String?

    var description: String { name }
}

let allowSSH = TestRule(name: "default-allow-ssh", priority: 1000)

let nsgCases: [NSGCase] = [
    NSGCase(
        name: "NIC allows SSH from anywhere", subnet: nil, nic: [allowSSH], status: "pass",
        decidedBy: "nic/default-allow-ssh"),
    NSGCase(name: "no NSG at either level allows", subnet: nil, nic: nil, status: "pass"),
    NSGCase(
        name: "NIC NSG with only default rules denies internet", subnet: nil, nic: [], status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "NIC allows but subnet NSG has only defaults", subnet: [], nic: [allowSSH], status: "fail",
        decidedBy: "subnet/DenyAllInBound"),
    NSGCase(
        name: "subnet allows, NIC denies at 100", subnet: [allowSSH],
        nic: [TestRule(name: "Deny22", priority: 100, access: "Deny")], status: "fail", decidedBy: "nic/Deny22"),
    NSGCase(
        name: "deny at 100 above allow at 200", subnet: nil,
        nic: [TestRule(name: "DenyAll22", priority: 100, access: "Deny"), TestRule(name: "AllowSSH", priority: 200)],
        status: "fail", decidedBy: "nic/DenyAll22"),
    NSGCase(
        name: "allow at 100 above deny at 200", subnet: nil,
        nic: [TestRule(name: "AllowSSH", priority: 100), TestRule(name: "DenyAll22", priority: 200, access: "Deny")],
        status: "pass", decidedBy: "nic/AllowSSH"),
    NSGCase(
        name: "priority order, not document order", subnet: nil,
        nic: [TestRule(name: "AllowSSH", priority: 300), TestRule(name: "Deny22", priority: 200, access: "Deny")],
        status: "fail", decidedBy: "nic/Deny22"),
    NSGCase(
        name: "allow only from another CIDR", subnet: nil,
        nic: [TestRule(name: "office", priority: 1000, source: ["203.0.113.0/24"])], status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "allow from the client's CIDR", subnet: nil,
        nic: [TestRule(name: "office", priority: 1000, source: ["198.51.100.0/24"])], status: "pass",
        decidedBy: "nic/office"),
    NSGCase(
        name: "allow from the client's address", subnet: nil,
        nic: [TestRule(name: "me", priority: 1000, source: ["198.51.100.9"])], status: "pass", decidedBy: "nic/me"),
    NSGCase(
        name: "allow from another /32", subnet: nil,
        nic: [TestRule(name: "other", priority: 1000, source: ["198.51.100.10/32"])], status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "source prefix list holding the client", subnet: nil,
        nic: [TestRule(name: "list", priority: 1000, source: ["203.0.113.0/24", "198.51.100.0/25"])], status: "pass",
        decidedBy: "nic/list"),
    NSGCase(
        name: "source prefix list without the client", subnet: nil,
        nic: [TestRule(name: "list", priority: 1000, source: ["203.0.113.0/24", "198.51.100.128/25"])], status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "deny list holding the client above an allow", subnet: nil,
        nic: [
            TestRule(name: "blocked", priority: 100, access: "Deny", source: ["192.0.2.0/24", "198.51.100.9/32"]),
            allowSSH,
        ], status: "fail", decidedBy: "nic/blocked"),
    NSGCase(
        name: "0.0.0.0/0 is every IPv4 source", subnet: nil,
        nic: [TestRule(name: "all", priority: 1000, source: ["0.0.0.0/0"])], status: "pass", decidedBy: "nic/all"),
    NSGCase(
        name: "port range holding 22", subnet: nil, nic: [TestRule(name: "range", priority: 1000, ports: ["20-25"])],
        status: "pass", decidedBy: "nic/range"),
    NSGCase(
        name: "port range without 22", subnet: nil, nic: [TestRule(name: "range", priority: 1000, ports: ["23-30"])],
        status: "fail", decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "port list holding 22", subnet: nil,
        nic: [TestRule(name: "web-ssh", priority: 1000, ports: ["80", "443", "22"])], status: "pass",
        decidedBy: "nic/web-ssh"),
    NSGCase(
        name: "port list without 22", subnet: nil, nic: [TestRule(name: "web", priority: 1000, ports: ["80", "443"])],
        status: "fail", decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "port list of ranges and ports", subnet: nil,
        nic: [TestRule(name: "mixed", priority: 1000, ports: ["1000-2000", "2222", "20-22"])], status: "pass",
        decidedBy: "nic/mixed"),
    NSGCase(
        name: "any port", subnet: nil, nic: [TestRule(name: "any", priority: 1000, ports: ["*"])], status: "pass",
        decidedBy: "nic/any"),
    NSGCase(
        name: "custom port 2222 asked, rule opens 22", subnet: nil, nic: [allowSSH], port: 2222, status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "UDP rule does not allow TCP", subnet: nil, nic: [TestRule(name: "udp", priority: 1000, proto: "Udp")],
        status: "fail", decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "UDP rule allows UDP", subnet: nil, nic: [TestRule(name: "udp", priority: 1000, proto: "Udp")],
        proto: "udp", status: "pass", decidedBy: "nic/udp"),
    NSGCase(
        name: "protocol * allows TCP", subnet: nil, nic: [TestRule(name: "any-proto", priority: 1000, proto: "*")],
        status: "pass", decidedBy: "nic/any-proto"),
    NSGCase(
        name: "ICMP rule allows ping whatever the port", subnet: nil,
        nic: [TestRule(name: "ping", priority: 1000, proto: "Icmp", ports: ["*"])], proto: "icmp", status: "pass",
        decidedBy: "nic/ping"),
    NSGCase(
        name: "ICMP has no ports: a rule of any protocol limited to port 22 does not match it", subnet: nil,
        nic: [TestRule(name: "ssh-any", priority: 1000, proto: "*")], proto: "icmp", status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "ICMP rule does not allow TCP", subnet: nil,
        nic: [TestRule(name: "ping", priority: 1000, proto: "Icmp", ports: ["*"])], status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "Internet tag holds a public client", subnet: nil,
        nic: [TestRule(name: "internet", priority: 1000, source: ["Internet"])], status: "pass",
        decidedBy: "nic/internet"),
    NSGCase(
        name: "a VNet client is not Internet; AllowVnetInBound lets it in", subnet: nil,
        nic: [TestRule(name: "internet-deny", priority: 100, access: "Deny", source: ["Internet"])],
        source: "10.0.1.7", status: "pass", decidedBy: "nic/AllowVnetInBound"),
    NSGCase(
        name: "Internet deny blocks a public client", subnet: nil,
        nic: [TestRule(name: "internet-deny", priority: 100, access: "Deny", source: ["Internet"]), allowSSH],
        status: "fail", decidedBy: "nic/internet-deny"),
    NSGCase(
        name: "VirtualNetwork tag with the given address space", subnet: nil,
        nic: [TestRule(name: "vnet", priority: 1000, source: ["VirtualNetwork"])],
        source: "10.0.5.5", vnet: ["10.0.0.0/16"], status: "pass", decidedBy: "nic/vnet"),
    NSGCase(
        name: "outside the given VNet and private: neither VNet nor Internet", subnet: nil,
        nic: [TestRule(name: "vnet", priority: 1000, source: ["VirtualNetwork"])],
        source: "10.9.0.1", vnet: ["10.0.0.0/16"], status: "fail", decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "a public VNet address space is not Internet", subnet: nil,
        nic: [TestRule(name: "internet", priority: 1000, source: ["Internet"])],
        source: "20.50.1.9", vnet: ["20.50.0.0/16"], status: "pass", decidedBy: "nic/AllowVnetInBound"),
    NSGCase(
        name: "the platform address 168.63.129.16 is in VirtualNetwork: AllowVnetInBound first", subnet: [], nic: [],
        source: "168.63.129.16", status: "pass", decidedBy: "nic/AllowVnetInBound"),
    NSGCase(
        name: "AzureLoadBalancer tag holds 168.63.129.16", subnet: nil,
        nic: [TestRule(name: "lb", priority: 100, source: ["AzureLoadBalancer"])], source: "168.63.129.16",
        status: "pass", decidedBy: "nic/lb"),
    NSGCase(
        name: "AzureLoadBalancer tag does not hold a client", subnet: nil,
        nic: [TestRule(name: "lb", priority: 100, source: ["AzureLoadBalancer"])], status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "destination /32 of the VM", subnet: nil,
        nic: [TestRule(name: "vm", priority: 1000, destination: ["10.0.0.4/32"])], status: "pass", decidedBy: "nic/vm"),
    NSGCase(
        name: "destination another subnet", subnet: nil,
        nic: [TestRule(name: "other", priority: 1000, destination: ["10.0.1.0/24"])], status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "destination list holding the VM", subnet: nil,
        nic: [TestRule(name: "list", priority: 1000, destination: ["10.0.1.0/24", "10.0.0.0/24"])], status: "pass",
        decidedBy: "nic/list"),
    NSGCase(
        name: "destination VirtualNetwork", subnet: nil,
        nic: [TestRule(name: "vnet-dst", priority: 1000, destination: ["VirtualNetwork"])], status: "pass",
        decidedBy: "nic/vnet-dst"),
    NSGCase(
        name: "destination unknown, rule names a CIDR: undecided", subnet: nil,
        nic: [TestRule(name: "cidr", priority: 1000, destination: ["10.0.0.4"])],
        destination: nil, status: "error", decidedBy: "nic/cidr"),
    NSGCase(
        name: "outbound deny of 22 is ignored", subnet: nil,
        nic: [TestRule(name: "out", priority: 100, access: "Deny", direction: "Outbound"), allowSSH], status: "pass",
        decidedBy: "nic/default-allow-ssh"),
    NSGCase(
        name: "unknown service tag that could match: undecided", subnet: nil,
        nic: [TestRule(name: "storage", priority: 100, access: "Deny", source: ["Storage.WestEurope"]), allowSSH],
        status: "error", decidedBy: "nic/storage"),
    NSGCase(
        name: "unknown service tag on another port: a clear miss", subnet: nil,
        nic: [
            TestRule(name: "storage", priority: 100, access: "Deny", source: ["AzureCloud"], ports: ["443"]), allowSSH,
        ],
        status: "pass", decidedBy: "nic/default-allow-ssh"),
    NSGCase(
        name: "source port range, client port unknown: undecided", subnet: nil,
        nic: [TestRule(name: "ephemeral", priority: 1000, sourcePorts: ["1024-65535"])], status: "error",
        decidedBy: "nic/ephemeral"),
    NSGCase(
        name: "source port range holding the client's port", subnet: nil,
        nic: [TestRule(name: "ephemeral", priority: 1000, sourcePorts: ["1024-65535"])], sourcePort: 50123,
        status: "pass", decidedBy: "nic/ephemeral"),
    NSGCase(
        name: "source port range without the client's port", subnet: nil,
        nic: [TestRule(name: "ephemeral", priority: 1000, sourcePorts: ["1024-65535"])], sourcePort: 80, status: "fail",
        decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "subnet denies, NIC allows", subnet: [TestRule(name: "block", priority: 100, access: "Deny")],
        nic: [allowSSH], status: "fail", decidedBy: "subnet/block"),
    NSGCase(
        name: "subnet allows, no NIC NSG", subnet: [allowSSH], nic: nil, status: "pass",
        decidedBy: "subnet/default-allow-ssh"),
    NSGCase(
        name: "IPv6 client against an IPv4 rule", subnet: nil,
        nic: [TestRule(name: "v4", priority: 1000, source: ["198.51.100.0/24"])], source: "2001:db8::9",
        destination: "fd00::4", status: "fail", decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "IPv6 client in an IPv6 rule", subnet: nil,
        nic: [TestRule(name: "v6", priority: 1000, source: ["2001:db8::/32"])], source: "2001:db8::9",
        destination: "fd00::4", status: "pass", decidedBy: "nic/v6"),
    NSGCase(
        name: "lower-case access and protocol", subnet: nil,
        nic: [TestRule(name: "lower", priority: 1000, access: "allow", proto: "tcp")], status: "pass",
        decidedBy: "nic/lower"),
    NSGCase(
        name: "destination application security group: undecided", subnet: nil,
        nic: [TestRule(name: "asg", priority: 1000, destinationASG: true)], status: "error", decidedBy: "nic/asg"),
    NSGCase(
        name: "source application security group never holds an internet client", subnet: nil,
        nic: [TestRule(name: "asg", priority: 1000, sourceASG: true)], status: "fail", decidedBy: "nic/DenyAllInBound"),
    // An IPv4-mapped IPv6 client (`::ffff:a.b.c.d`) is the IPv4 client Azure compares (the old
    // evaluator compared 16 bytes with 4 and let no IPv4 rule hold it).
    NSGCase(
        name: "IPv4-mapped client in an IPv4 /32 rule", subnet: nil,
        nic: [TestRule(name: "one", priority: 1000, source: ["203.0.113.7/32"])],
        source: "::ffff:203.0.113.7", status: "pass", decidedBy: "nic/one"),
    NSGCase(
        name: "IPv4-mapped client beside an IPv4 /32 rule", subnet: nil,
        nic: [TestRule(name: "one", priority: 1000, source: ["203.0.113.7/32"])],
        source: "::ffff:203.0.113.8", status: "fail", decidedBy: "nic/DenyAllInBound"),
    NSGCase(
        name: "IPv4-mapped client denied by an IPv4 deny rule", subnet: nil,
        nic: [
            TestRule(name: "deny", priority: 100, access: "Deny", source: ["203.0.113.0/24"]),
            TestRule(name: "all", priority: 200),
        ],
        source: "::ffff:203.0.113.7", status: "fail", decidedBy: "nic/deny"),
    NSGCase(
        name: "IPv4-mapped public client is Internet", subnet: nil,
        nic: [TestRule(name: "internet", priority: 1000, source: ["Internet"])],
        source: "::ffff:198.51.100.9", status: "pass", decidedBy: "nic/internet"),
    NSGCase(
        name: "IPv4-mapped VNet client is VirtualNetwork", subnet: nil,
        nic: [TestRule(name: "internet-deny", priority: 100, access: "Deny", source: ["Internet"])],
        source: "::ffff:10.0.0.9", status: "pass", decidedBy: "nic/AllowVnetInBound"),
]

@Suite("NSG evaluator")
struct NSGEvaluatorTests {
    @Test(
        "table: subnet then NIC, lowest priority number first, default rules, tags, ranges, lists", arguments: nsgCases,
        Shape.allCases)
    func table(_ testCase: NSGCase, shape: Shape) throws {
        let subnet = try testCase.subnet.map {
            try NetworkSecurityGroup(json: nsgDocument("subnet-nsg", $0, shape: shape), fallbackName: "x")
        }
        let nic = try testCase.nic.map {
            try NetworkSecurityGroup(json: nsgDocument("nic-nsg", $0, shape: shape), fallbackName: "x")
        }
        let flow = NSGEvaluator.Flow(
            source: try #require(IPAddress(testCase.source)), destination: testCase.destination.flatMap(IPAddress.init),
            port: testCase.port, protocolName: testCase.proto, sourcePort: testCase.sourcePort)
        let evaluator = NSGEvaluator(vnetPrefixes: testCase.vnet?.compactMap(IPPrefix.init))
        let result = AzureNSGAllows.judge(subnet: subnet, nic: nic, flow: flow, evaluator: evaluator, evidence: [:])
        #expect(
            result.status.rawValue == testCase.status,
            "\(testCase.name) [\(shape)]: \(result.summary) \(result.evidence)")
        guard let decidedBy = testCase.decidedBy else { return }
        let parts = decidedBy.split(separator: "/").map(String.init)
        if result.status == .pass {
            #expect(result.evidence["\(parts[0])-rule"] == parts[1], "\(testCase.name) [\(shape)]: \(result.evidence)")
        } else {
            #expect(result.evidence["deciding-rule"] == parts[1], "\(testCase.name) [\(shape)]: \(result.evidence)")
            #expect(
                result.evidence["deciding-nsg"] == "\(parts[0])-nsg", "\(testCase.name) [\(shape)]: \(result.evidence)")
        }
        if result.status == .fail {
            let finding = try #require(result.finding)
            #expect(
                finding.contains(parts[1]) && finding.contains("priority") && finding.contains("Deny"), "\(finding)")
        }
    }

    @Test("the finding names the near miss and the shadowed allow")
    func findingDetail() throws {
        let flow = NSGEvaluator.Flow(
            source: IPAddress("198.51.100.9")!, destination: IPAddress("10.0.0.4"), port: 22, protocolName: "tcp")
        let other = try NetworkSecurityGroup(
            json: nsgDocument(
                "vm1NSG", [TestRule(name: "office", priority: 1000, source: ["203.0.113.0/24"])], shape: .cli),
            fallbackName: "x")
        let missed = AzureNSGAllows.judge(
            subnet: nil, nic: other, flow: flow, evaluator: NSGEvaluator(vnetPrefixes: nil), evidence: [:])
        #expect(
            missed.finding?.contains("allowed only from other sources: office (1000) from 203.0.113.0/24") == true,
            "\(missed.finding ?? "")")
        let shadow = try NetworkSecurityGroup(
            json: nsgDocument(
                "vm1NSG",
                [
                    TestRule(name: "DenyAll22", priority: 100, access: "Deny"),
                    TestRule(name: "AllowSSH", priority: 200),
                ], shape: .rest), fallbackName: "x")
        let shadowed = AzureNSGAllows.judge(
            subnet: nil, nic: shadow, flow: flow, evaluator: NSGEvaluator(vnetPrefixes: nil), evidence: [:])
        #expect(shadowed.summary == "denied by vm1NSG/DenyAll22 (priority 100) at the NIC")
        #expect(shadowed.evidence["shadowed-allow"] == "AllowSSH (priority 200, Allow)")
        let defaults = try NetworkSecurityGroup(json: nsgDocument("subnet-nsg", [], shape: .cli), fallbackName: "x")
        let onlyDefaults = AzureNSGAllows.judge(
            subnet: defaults, nic: nil, flow: flow, evaluator: NSGEvaluator(vnetPrefixes: nil), evidence: [:])
        #expect(
            onlyDefaults.finding?.hasSuffix("(the group has only the default rules)") == true,
            "\(onlyDefaults.finding ?? "")")
    }

    @Test(
        "a denial provides the fix's values: the NSG, a free priority just before the deny (or room made), the client",
        arguments: [
            (
                [
                    TestRule(name: "DenyAll22", priority: 100, access: "Deny"),
                    TestRule(name: "AllowSSH", priority: 200),
                ], "100", "DenyAll22:101"
            ),
            ([TestRule(name: "office", priority: 1000, source: ["203.0.113.0/24"])], "4096", ":"),
            (
                [
                    TestRule(name: "Deny", priority: 500, access: "Deny"),
                    TestRule(name: "other", priority: 499, ports: ["80"]),
                ], "498", ":"
            ),
            (
                [
                    TestRule(name: "Deny", priority: 100, access: "Deny"),
                    TestRule(name: "next", priority: 101, ports: ["80"]),
                ], nil, nil
            ),
        ] as [([TestRule], String?, String?)])
    func provides(rules: [TestRule], priority: String?, move: String?) throws {
        let flow = NSGEvaluator.Flow(
            source: IPAddress("198.51.100.9")!, destination: IPAddress("10.0.0.4"), port: 22, protocolName: "tcp")
        let group = try NetworkSecurityGroup(json: nsgDocument("vm1NSG", rules, shape: .cli), fallbackName: "x")
        let result = AzureNSGAllows.judge(
            subnet: nil, nic: group, flow: flow, evaluator: NSGEvaluator(vnetPrefixes: nil), evidence: [:])
        #expect(result.status == .fail)
        #expect(result.provides["nsg"] == "vm1NSG")
        #expect(result.provides["nsg-resource-group"] == "rg1")
        #expect(result.provides["allowed-source"] == "198.51.100.9")
        #expect(result.provides["nsg-priority"] == priority, "\(result.provides)")
        let moved = result.provides["nsg-move-rule"].map { "\($0):\(result.provides["nsg-move-priority"] ?? "")" }
        #expect(moved == move)
        if priority == nil {
            #expect(result.finding?.contains("no priority before 100 is free") == true, "\(result.finding ?? "")")
        }
    }

    @Test("a rule list alone (az network nsg rule list) gets the default rules; a bad document is an error")
    func shapes() throws {
        let list = try JSONValue.parse(
            #"[{"name": "ssh", "priority": 1000, "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}]"#
        )
        let group = try NetworkSecurityGroup(json: list, fallbackName: "rules.json")
        #expect(
            group.rules.map(\.name) == ["ssh", "AllowVnetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInBound"])
        #expect(!group.defaultsFromDocument)
        #expect(throws: NetworkSecurityGroup.Problem.self) {
            try NetworkSecurityGroup(json: JSONValue.parse(#"{"name": "x"}"#), fallbackName: "x")
        }
        #expect(throws: NetworkSecurityGroup.Problem.self) {
            try NetworkSecurityGroup(
                json: JSONValue.parse(
                    #"{"securityRules": [{"name": "r", "access": "Allow", "direction": "Inbound"}]}"#),
                fallbackName: "x")
        }
    }

    @Test(
        "CIDR arithmetic",
        arguments: [
            ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false),
            ("198.51.100.0/25", "198.51.100.127", true),
            ("198.51.100.0/25", "198.51.100.128", false), ("0.0.0.0/0", "203.0.113.5", true),
            ("172.16.0.0/12", "172.31.255.255", true),
            ("172.16.0.0/12", "172.32.0.0", false), ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("10.0.0.4", "10.0.0.4", true), ("10.0.0.0/8", "::ffff:10.0.0.1", false),
        ])
    func cidr(prefix: String, address: String, inside: Bool) throws {
        let range = try #require(IPPrefix(prefix))
        #expect(range.contains(try #require(IPAddress(address))) == inside)
    }
}
