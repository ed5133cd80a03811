import Testing

@testable import RunbookActions

/// The one JSON value type, read by the cloud checks (az, ARM) and the VM checks (`nft -j`). Numbers
/// that once trapped (SIGILL on a whole number of 2^63 or more) are read or refused, never fatal.
@Suite("JSON values")
struct JSONValueTests {
    @Test(
        "numbers: whole ones in Int's range are int, others double; int and text never trap",
        arguments: [
            ("7", "int", 7, "7"),
            ("-7", "int", -7, "-7"),
            ("-9223372036854775808", "int", Int.min, "-9223372036854775808"),
            ("9223372036854775807", "int", Int.max, "9223372036854775807"),
            ("9223372036854775808", "double", nil, "9.223372036854776e+18"),
            ("-1e19", "double", nil, "-1e+19"),
            ("18446744073709551616", "double", nil, "1.8446744073709552e+19"),
            ("1.5", "double", nil, "1.5"),
            ("-0.25", "double", nil, "-0.25"),
            ("1e3", "int", 1000, "1000"),
            ("-1.5e2", "int", -150, "-150"),
            ("1e300", "double", nil, "1e+300"),
        ] as [(String, String, Int?, String)])
    func numbers(text: String, kind: String, int: Int?, shown: String) throws {
        let value = try JSONValue.parse(text)
        switch value {
        case .int: #expect(kind == "int", "\(text) read as \(value)")
        case .double: #expect(kind == "double", "\(text) read as \(value)")
        default: Issue.record("\(text) read as \(value)")
        }
        #expect(value.int == int, "\(text)")
        #expect(value.text == shown, "\(text)")
        #expect(value.string == nil)
    }

    @Test(
        "a number beyond Double (1e400) refuses the document with a reason, anywhere in it",
        arguments: [
            "1e400", "-1e400", #"{"a": [1, 1e400]}"#,
        ])
    func huge(text: String) {
        #expect {
            try JSONValue.parse(text)
        } throws: { error in
            "\(error)".hasPrefix("not valid JSON: a number too large for a Double")
        }
    }

    @Test("Azure's views: numbers written as strings, leaves as text, properties flattened or not")
    func azureViews() throws {
        let value = try JSONValue.parse(#"{"a": " 100 ", "b": true, "properties": {"c": 1.0}, "d": ["x", 2, null]}"#)
        #expect(value["a"]?.integer == 100)
        #expect(value["a"]?.int == nil)
        #expect(value["b"]?.text == "true")
        #expect(value.field("c")?.integer == 1)
        #expect(value["d"]?.strings == ["x", "2"])
        #expect(value["d"]?[1]?.int == 2)
        #expect(value["d"]?[3] == nil)
        #expect(value.compact == #"{"a":" 100 ","b":true,"d":["x",2,null],"properties":{"c":1}}"#)
    }

    // MARK: - Through the public checks

    static func nsg(priority: String) -> String {
        #"{"name": "nsg1", "securityRules": [{"name": "ssh", "priority": \#(priority), "access": "Allow", "#
            + #""direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "#
            + #""destinationAddressPrefix": "*", "destinationPortRange": "22", "weight": 9223372036854775808, "#
            + #""ratio": -1.5e-3}]}"#
    }

    @Test(
        "cloud JSON: big, negative, fractional and exponent numbers in an NSG file",
        arguments: [
            ("1000", "pass"), ("1e3", "pass"), ("-5", "pass"), ("\"1000\"", "pass"),
            ("9223372036854775808", "error"), ("100.5", "error"), ("1e400", "error"),
        ])
    func cloudJSON(priority: String, status: String) async throws {
        let directory = try TemporaryDirectory("rb-json")
        defer { directory.remove() }
        let file = try directory.write("nsg.json", Self.nsg(priority: priority))
        let result = await AzureNSGAllows().run(["nsg": file, "client-ip": "198.51.100.9", "destination": "10.0.0.4"])
        #expect(result.status.rawValue == status, "\(priority): \(result)")
        if priority == "1e400" {
            #expect(result.summary.contains("not valid JSON: a number too large for a Double"), "\(result.summary)")
        } else if status == "error" {
            #expect(result.summary.contains("rule 'ssh' has no priority"), "\(result.summary)")
        }
    }

    @Test("cloud JSON: a huge number where the VM check reads text is shown, not fatal")
    func cloudText() async throws {
        let directory = try TemporaryDirectory("rb-json")
        defer { directory.remove() }
        let file = try directory.write(
            "vm.json",
            #"""
            {"statuses": [{"code": "ProvisioningState/succeeded", "time": 1e300},
             {"code": "PowerState/running", "displayStatus": 9223372036854775808, "level": -9223372036854775809}]}
            """#)
        let result = await AzureVMRunning().run(["from": file])
        // The old reader trapped here, turning 2^63 into an Int for the display text.
        #expect(result.status == .pass, "\(result)")
        #expect(result.summary == "running (PowerState/running, ProvisioningState/succeeded)")
    }

    static func nftListing(handle: String, priority: String) -> String {
        let json =
            #"{"nftables": [{"metainfo": {"version": "1.0.9", "json_schema_version": 1}}, "#
            + #"{"table": {"family": "inet", "name": "filter", "handle": 18446744073709551616}}, "#
            + #"{"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1.5, "type": "filter", "#
            + #""hook": "input", "prio": \#(priority), "policy": "accept"}}, "#
            + #"{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": \#(handle), "expr": ["#
            + #"{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, "#
            + #"{"drop": null}]}}]}"#
        return "@@runbook-section nft-json 0\n\(json)\n@@runbook-section nft-list missing\n"
            + "@@runbook-section nft-save missing\n@@runbook-section legacy-save missing\n"
            + "@@runbook-section save missing\n"
    }

    @Test(
        "VM JSON: big, negative, fractional and exponent numbers in nft -j output",
        arguments: [
            ("3", "0"), ("9223372036854775808", "-1.5e2"), ("1e19", "-150"), ("-3", "1e1"), ("2.5", "0"),
        ])
    func vmJSON(handle: String, priority: String) async {
        let listing = Self.nftListing(handle: handle, priority: priority)
        let context = CheckContext(timeout: testTimeout, vm: CannedExecutor(output: listing))
        let result = await FirewallAllows().run(["client-ip": "10.232.0.1"], context: context)
        #expect(result.status == .fail, "\(handle) \(priority): \(result)")
        #expect(result.evidence["verdict"] == "drop", "\(result.evidence)")
    }

    @Test("VM JSON: a number beyond Double makes nft's listing unreadable, said as such")
    func vmJSONHuge() async {
        let listing = Self.nftListing(handle: "1e400", priority: "0")
        let context = CheckContext(timeout: testTimeout, vm: CannedExecutor(output: listing))
        let result = await FirewallAllows().run(["client-ip": "10.232.0.1"], context: context)
        #expect(result.status == .error, "\(result)")
        #expect(result.summary.hasPrefix("nft -j printed no JSON: "), "\(result.summary)")
        #expect(result.summary.contains("a number too large for a Double"), "\(result.summary)")
    }
}
