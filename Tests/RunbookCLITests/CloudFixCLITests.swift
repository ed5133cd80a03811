import Foundation
import Testing

/// The SSH runbook's cloud fixes, end to end: a run with --yes against the stub cloud
/// (Tests/Support/az-stub: `az` and the classic `azure`) applies the rule the check's failure
/// points to, with the values the check provided, and the same check passes afterwards.
@Suite("SSH runbook: cloud fixes against the stub cloud", .serialized)
struct CloudFixCLITests {
    struct Case: Sendable, CustomStringConvertible {
        var model: String
        var scenario: String
        var classic: String?
        /// What must be in the state after the fix (a substring of the changed document).
        var expected: [String]
        var description: String { "\(model) \(scenario)\(classic.map { " " + $0 } ?? "")" }
    }

    static let cases = [
        Case(model: "arm", scenario: "nsg-deny-100", expected: [#""name": "allow-ssh-100""#, #""priority": 101"#]),
        Case(model: "arm", scenario: "allow-other-cidr", expected: [#""name": "allow-ssh-4096""#]),
        Case(model: "arm", scenario: "subnet-defaults-only", expected: [#""name": "allow-ssh-4096""#]),
        Case(
            model: "classic", scenario: "healthy", classic: "acl-denies-client",
            expected: [#""Order": 99"#, #""RemoteSubnet": "198.51.100.9/32""#]),
        Case(
            model: "classic", scenario: "healthy", classic: "no-ssh-endpoint",
            expected: [#""Name": "SSH""#, #""RemoteSubnet": "198.51.100.9/32""#]),
    ]

    @Test("runbook run --yes fixes the NSG or the endpoint; the check then passes", arguments: cases)
    func fix(_ testCase: Case) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.url.appendingPathComponent("state").path
        _ = try await shell("'\(stubDirectory)/init-state' '\(state)' \(testCase.scenario)")
        let deployment = state + "/classic.json"
        // The recorded deployment of the lab's faults: the ACL denies 198.51.100.0/24, the client's range.
        _ = try await shell("cp '\(stubFixtures)/classic/\(testCase.classic ?? "healthy").json' '\(deployment)'")
        let environment = [
            "AZ_STUB_STATE": state,
            "PATH": stubDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
        // No login works here (no sshd on 127.0.0.1:22, or not with this user and no key), so the fixes are offered.
        let inputs = [
            "-i", "host=127.0.0.1", "-i", "port=22", "-i", "resource-group=rg1", "-i", "vm=vm1",
            "-i", "client-ip=198.51.100.9", "-i", "classic-deployment=\(deployment)",
        ]
        let log = directory.url.appendingPathComponent("run.jsonl").path
        let run = try await runbook(
            ["run", testCase.model, "--kb", "Runbooks", "--yes", "--non-interactive", "--log", log] + inputs,
            environment: environment, timeout: 120)
        let events = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let fixID = testCase.model == "arm" ? "allow-ssh-arm" : "permit-ssh-classic"
        let checkID = testCase.model == "arm" ? "nsg-allows-ssh" : "endpoint-acl"
        let check = try #require(events.first { $0["step"] as? String == checkID && $0["event"] as? String == "step" })
        #expect(check["status"] as? String == "fail")
        #expect(check["fix"] as? String == fixID, "the finding points to the fix")
        let fix = try #require(
            events.first { $0["step"] as? String == fixID && $0["event"] as? String == "step" }, "\(run.stdout)")
        #expect(fix["status"] as? String == "done", "\(fix)")
        let changed = try String(
            contentsOfFile: testCase.model == "arm"
                ? state + "/nsgs/rg1/"
                    + (testCase.scenario == "subnet-defaults-only" ? "vm1SubnetNSG.json" : "vm1NSG.json")
                : deployment,
            encoding: .utf8)
        let calls = (try? String(contentsOfFile: state + "/calls.jsonl", encoding: .utf8)) ?? ""
        for text in testCase.expected {
            #expect(changed.contains(text), "\(text) not in the state; fix: \(fix); calls: \(calls)")
        }
        let again =
            testCase.model == "arm"
            ? ["check", "azure-nsg-allows", "resource-group=rg1", "vm=vm1", "client-ip=198.51.100.9"]
            : ["check", "azure-endpoint-acl", "from=\(deployment)", "vm=vm1", "client-ip=198.51.100.9"]
        let after = try await runbook(again, environment: environment)
        #expect(after.exitCode == 0, "\(after.stdout)")
        // Another client is still kept out where the fault had kept it out.
        if testCase.model == "arm" && testCase.scenario == "nsg-deny-100" || testCase.classic != nil {
            let other = again.map { $0.replacingOccurrences(of: "198.51.100.9", with: "198.51.100.10") }
            #expect(try await runbook(other, environment: environment).exitCode == 1)
        }
    }
}
