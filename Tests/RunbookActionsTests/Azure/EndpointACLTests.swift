import Testing

@testable import RunbookActions

struct ACLCase: Sendable, CustomStringConvertible {
    var name: String
    /// `order action subnet`
    var rules: [String]
    var client: String
    /// `permit` or `deny`, with the deciding order or nil (the default decided).
    var verdict: String
    var order: Int?

    var description: String { name }

    var acl: EndpointACL {
        EndpointACL(
            rules: rules.map { text in
                let parts = text.split(separator: " ").map(String.init)
                return EndpointACL.Rule(
                    order: Int(parts[0])!, action: .init(rawValue: parts[1])!, remoteSubnet: parts[2])
            })
    }
}

let aclCases: [ACLCase] = [
    ACLCase(name: "no rules permit everyone", rules: [], client: "198.51.100.9", verdict: "permit"),
    ACLCase(
        name: "a permit rule holding the client", rules: ["100 permit 198.51.100.0/24"], client: "198.51.100.9",
        verdict: "permit", order: 100),
    ACLCase(
        name: "a permit rule not holding the client denies it", rules: ["100 permit 203.0.113.0/24"],
        client: "198.51.100.9", verdict: "deny"),
    ACLCase(
        name: "only deny rules, client not in them: permitted", rules: ["100 deny 203.0.113.0/24"],
        client: "198.51.100.9", verdict: "permit"),
    ACLCase(
        name: "a deny rule holding the client", rules: ["100 deny 198.51.100.0/24"], client: "198.51.100.9",
        verdict: "deny", order: 100),
    ACLCase(
        name: "deny first, then permit all: denied", rules: ["100 deny 198.51.100.0/24", "200 permit 0.0.0.0/0"],
        client: "198.51.100.9", verdict: "deny", order: 100),
    ACLCase(
        name: "deny a range, permit all: others permitted",
        rules: ["100 deny 198.51.100.0/24", "200 permit 0.0.0.0/0"], client: "203.0.113.7", verdict: "permit",
        order: 200),
    ACLCase(
        name: "permit a host before denying its subnet",
        rules: ["100 permit 198.51.100.9/32", "200 deny 198.51.100.0/24"], client: "198.51.100.9", verdict: "permit",
        order: 100),
    ACLCase(
        name: "its neighbours are denied", rules: ["100 permit 198.51.100.9/32", "200 deny 198.51.100.0/24"],
        client: "198.51.100.10", verdict: "deny", order: 200),
    ACLCase(
        name: "order decides, not document order", rules: ["200 permit 198.51.100.0/24", "100 deny 198.51.100.9/32"],
        client: "198.51.100.9", verdict: "deny", order: 100),
    ACLCase(
        name: "several permits, client in the second",
        rules: ["100 permit 203.0.113.0/24", "110 permit 198.51.100.0/24"], client: "198.51.100.9", verdict: "permit",
        order: 110),
    ACLCase(
        name: "several permits, client in none", rules: ["100 permit 203.0.113.0/24", "110 permit 192.0.2.0/24"],
        client: "198.51.100.9", verdict: "deny"),
    ACLCase(
        name: "mixed rules, client in none: the permit rule makes it deny",
        rules: ["100 deny 192.0.2.0/24", "110 permit 203.0.113.0/24"], client: "198.51.100.9", verdict: "deny"),
    ACLCase(
        name: "several denies, client in none", rules: ["100 deny 192.0.2.0/24", "110 deny 203.0.113.0/24"],
        client: "198.51.100.9", verdict: "permit"),
    ACLCase(
        name: "a /32 deny of exactly the client", rules: ["100 deny 198.51.100.9/32"], client: "198.51.100.9",
        verdict: "deny", order: 100),
    ACLCase(
        name: "permit 0.0.0.0/0 only", rules: ["100 permit 0.0.0.0/0"], client: "198.51.100.9", verdict: "permit",
        order: 100),
    ACLCase(
        name: "CIDR edge: last address of a /25", rules: ["100 permit 198.51.100.0/25"], client: "198.51.100.127",
        verdict: "permit", order: 100),
    ACLCase(
        name: "CIDR edge: first address after a /25", rules: ["100 permit 198.51.100.0/25"], client: "198.51.100.128",
        verdict: "deny"),
    // An IPv4-mapped IPv6 client is the IPv4 client Azure compares.
    ACLCase(
        name: "IPv4-mapped client in a permit /32", rules: ["100 permit 198.51.100.9/32"],
        client: "::ffff:198.51.100.9", verdict: "permit", order: 100),
    ACLCase(
        name: "IPv4-mapped client in a deny range", rules: ["100 deny 198.51.100.0/24", "200 permit 0.0.0.0/0"],
        client: "::ffff:198.51.100.9", verdict: "deny", order: 100),
    ACLCase(
        name: "IPv4-mapped client outside the permits", rules: ["100 permit 203.0.113.0/24"],
        client: "::ffff:198.51.100.9", verdict: "deny"),
]

@Suite("endpoint ACL evaluator")
struct EndpointACLTests {
    @Test(
        "table: first match by order decides; permit rules deny the rest; deny-only rules permit the rest",
        arguments: aclCases)
    func table(_ testCase: ACLCase) throws {
        let verdict = testCase.acl.evaluate(try #require(IPAddress(testCase.client)))
        switch verdict {
        case .permitted(let rule):
            #expect(testCase.verdict == "permit", "\(testCase.name)")
            #expect(rule?.order == testCase.order, "\(testCase.name)")
        case .denied(let rule):
            #expect(testCase.verdict == "deny", "\(testCase.name)")
            #expect(rule?.order == testCase.order, "\(testCase.name)")
        case .undecided(let reason):
            Issue.record("\(testCase.name): undecided: \(reason)")
        }
    }

    @Test("an unreadable RemoteSubnet is undecided, not a guess")
    func unreadable() {
        let acl = EndpointACL(rules: [.init(order: 1, action: .permit, remoteSubnet: "office")])
        #expect(
            acl.evaluate(IPAddress("198.51.100.9")!)
                == .undecided("rule 1 (permit office): 'office' is not an address range"))
    }

    @Test("the endpoint's public port is the one to use; the finding says so")
    func publicPort() {
        let endpoint = AzureEndpointACL.Endpoint(name: "SSH", publicPort: 52022, localPort: 22)
        let result = AzureEndpointACL.judge(
            endpoint: endpoint, port: 22, client: IPAddress("198.51.100.9")!, evidence: [:])
        #expect(result.status == .fail)
        #expect(result.summary == "use port 52022, not 22")
        #expect(
            result.finding
                == "Connect to public port 52022: endpoint SSH maps it to private port 22, and you used port 22")
        let right = AzureEndpointACL.judge(
            endpoint: endpoint, port: 52022, client: IPAddress("198.51.100.9")!, evidence: [:])
        #expect(right.status == .pass)
        #expect(right.summary == "endpoint SSH 52022→22, ACL permits 198.51.100.9")
    }

    @Test(
        "a denial provides the fix's values: the endpoint, a free order before the deny, the client's /32",
        arguments: [
            ("100 deny 198.51.100.0/24,200 permit 0.0.0.0/0", "99"),
            ("98 permit 203.0.113.0/24,99 deny 10.0.0.0/8,100 deny 198.51.100.0/24", "97"),
            ("10 permit 203.0.113.0/24,20 permit 192.0.2.0/24", "21"),
            ("0 deny 198.51.100.0/24", nil),
        ] as [(String, String?)])
    func provides(rules: String, order: String?) {
        let acl = EndpointACL(
            rules: rules.split(separator: ",").map { text in
                let parts = text.split(separator: " ").map(String.init)
                return EndpointACL.Rule(
                    order: Int(parts[0])!, action: .init(rawValue: parts[1])!, remoteSubnet: parts[2])
            })
        let endpoint = AzureEndpointACL.Endpoint(name: "SSH", publicPort: 22, localPort: 22, acl: acl)
        let result = AzureEndpointACL.judge(
            endpoint: endpoint, port: 22, client: IPAddress("198.51.100.9")!, evidence: [:])
        #expect(result.status == .fail)
        if let order {
            #expect(
                result.provides == [
                    "endpoint": "SSH", "new-endpoint": "no", "acl-order": order, "allowed-source": "198.51.100.9/32",
                ])
        } else {
            #expect(result.provides.isEmpty)
            #expect(result.finding?.contains("no ACL order before 0 is free") == true, "\(result.finding ?? "")")
        }
        // A wrong public port alone is the client's to change: nothing for a cloud fix.
        let open = AzureEndpointACL.Endpoint(name: "SSH", publicPort: 52022, localPort: 22)
        #expect(
            AzureEndpointACL.judge(endpoint: open, port: 22, client: IPAddress("198.51.100.9")!, evidence: [:]).provides
                .isEmpty)
    }
}
