import Testing

@testable import RunbookActions

@Suite("firewall-allows with a canned listing")
struct FirewallAllowsMappedTests {
    @Test("an IPv4-mapped client-ip is the IPv4 packet iptables sees (it was judged as IPv6 and passed)")
    func mappedClient() async {
        let listing = """
            @@runbook-section nft-json missing
            @@runbook-section nft-list missing
            @@runbook-section nft-save 0
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -s 10.232.0.1/32 -p tcp -m tcp --dport 22 -j DROP
            COMMIT
            @@runbook-section legacy-save missing

            """
        let context = CheckContext(timeout: testTimeout, vm: CannedExecutor(output: listing))
        for client in ["10.232.0.1", "::ffff:10.232.0.1"] {
            let result = await FirewallAllows().run(["client-ip": client], context: context)
            #expect(result.status == .fail, "\(client): \(result)")
            #expect(result.evidence["source"] == "10.232.0.1 (client-ip)", "\(client): \(result.evidence)")
        }
    }
}
