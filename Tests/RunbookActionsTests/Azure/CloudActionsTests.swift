import Foundation
import Testing

@testable import RunbookActions

/// A state directory of the stub `az` (Tests/Support/az-stub), built from scenarios, with a
/// context whose client runs that stub first on PATH.
struct StubCloud {
    let directory: TemporaryDirectory
    static let stubDirectory = repositoryRoot + "/Tests/Support/az-stub"
    static let fixtures = stubDirectory + "/fixtures"

    /// What `init-state DIR SCENARIO…` does, in process (no child to wait for on a loaded machine).
    init(_ scenarios: String...) async throws {
        directory = try TemporaryDirectory("rb-az")
        let files = FileManager.default
        for scenario in ["healthy"] + scenarios {
            let root = Self.fixtures + "/" + scenario
            guard let enumerator = files.enumerator(atPath: root) else { throw SetupError("no scenario \(scenario)") }
            while let relative = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                _ = files.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
                let target = directory.file(relative)
                if isDirectory.boolValue {
                    try files.createDirectory(atPath: target, withIntermediateDirectories: true)
                } else {
                    try? files.removeItem(atPath: target)
                    try files.copyItem(atPath: root + "/" + relative, toPath: target)
                }
            }
        }
        try directory.write("calls.jsonl", "")
        try directory.write("effects.jsonl", "")
    }

    var environment: [String: String] {
        [
            "AZ_STUB_STATE": directory.path,
            "PATH": Self.stubDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
    }

    func context(environment extra: [String: String] = [:]) -> CheckContext {
        // Generous: each check starts python3 several times, slow on a loaded machine.
        CheckContext(timeout: .seconds(60), local: LocalExecutor(environment: environment), environment: extra)
    }

    /// Runs the stub as a fix would (`az vm start …`); returns its exit code.
    @discardableResult
    func az(_ arguments: String...) async throws -> Int32 {
        try await ProcessRunner.run(["az"] + arguments, environment: environment, timeout: .seconds(20)).exitCode
    }

    /// Every recorded call's argv.
    func calls() throws -> [[String]] {
        let text = try String(contentsOfFile: directory.file("calls.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["argv"] as? [String] ?? []
        }
    }

    func remove() { directory.remove() }
}

let live = ["resource-group": "rg1", "vm": "vm1"]
let client = ["client-ip": "198.51.100.9"]

@Suite("cloud actions against the stub az and files", .serialized)
struct CloudActionsTests {
    @Test("healthy world: every live check passes, through the az calls the docs name")
    func healthy() async throws {
        let cloud = try await StubCloud()
        defer { cloud.remove() }
        let running = await AzureVMRunning().run(live, context: cloud.context())
        #expect(running.status == .pass, "\(running)")
        #expect(running.evidence["power-state"] == "PowerState/running")
        let nsg = await AzureNSGAllows().run(live.merging(client) { a, _ in a }, context: cloud.context())
        #expect(nsg.status == .pass, "\(nsg)")
        #expect(
            nsg.summary == "allowed: subnet vm1SubnetNSG/AllowSSHInBound (300), NIC vm1NSG/default-allow-ssh (1000)")
        #expect(nsg.evidence["destination"] == "10.0.0.4")
        #expect(nsg.evidence["vnet-prefixes"] == "10.0.0.0/16")
        let boot = await AzureBootDiagnostics().run(live, context: cloud.context())
        #expect(boot.status == .pass, "\(boot)")
        let calls = try cloud.calls()
        #expect(calls.first == ["vm", "get-instance-view", "--resource-group", "rg1", "--name", "vm1", "-o", "json"])
        #expect(
            calls.map { $0.prefix(3).joined(separator: " ") } == [
                "vm get-instance-view --resource-group", "vm show --resource-group", "network nic show",
                "network nsg show",
                "network vnet subnet", "network nsg show", "network vnet show", "vm boot-diagnostics get-boot-log",
            ])
    }

    @Test("a deallocated VM fails; restart is refused, start fixes it")
    func deallocated() async throws {
        let cloud = try await StubCloud("vm-deallocated")
        defer { cloud.remove() }
        let before = await AzureVMRunning().run(live, context: cloud.context())
        #expect(before.status == .fail)
        #expect(before.evidence["state"] == "deallocated")
        #expect(try await cloud.az("vm", "restart", "--resource-group", "rg1", "--name", "vm1") == 1)
        #expect(await AzureVMRunning().run(live, context: cloud.context()).status == .fail)
        #expect(try await cloud.az("vm", "start", "--resource-group", "rg1", "--name", "vm1") == 0)
        let after = await AzureVMRunning().run(live, context: cloud.context())
        #expect(after.status == .pass, "\(after)")
    }

    @Test("every change is recorded in effects.jsonl and handed to AZ_STUB_HOOK")
    func hook() async throws {
        let cloud = try await StubCloud("vm-stopped")
        defer { cloud.remove() }
        let script = try cloud.directory.write(
            "hook.sh", "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$(dirname \"$0\")/hook.log\"\n", mode: 0o755)
        let environment = cloud.environment.merging(["AZ_STUB_HOOK": script]) { a, _ in a }
        let started = try await ProcessRunner.run(
            ["az", "vm", "start", "-g", "rg1", "-n", "vm1"], environment: environment, timeout: .seconds(30))
        #expect(started.succeeded, "\(started.standardError)")
        let deleted = try await ProcessRunner.run(
            ["az", "network", "nsg", "rule", "delete", "-g", "rg1", "--nsg-name", "vm1NSG", "-n", "default-allow-ssh"],
            environment: environment, timeout: .seconds(30))
        #expect(deleted.succeeded)
        let expected =
            #"{"vm": "rg1/vm1", "effect": "start"}"# + "\n"
            + #"{"nsg": "rg1/vm1NSG", "effect": "nsg-rule-delete", "rule": "default-allow-ssh"}"# + "\n"
        #expect(try String(contentsOfFile: cloud.directory.file("hook.log"), encoding: .utf8) == expected)
        #expect(try String(contentsOfFile: cloud.directory.file("effects.jsonl"), encoding: .utf8) == expected)
    }

    @Test("deny at 100 above allow at 200 names the rule; deleting it fixes the NSG")
    func denyAbove() async throws {
        let cloud = try await StubCloud("nsg-deny-100")
        defer { cloud.remove() }
        let before = await AzureNSGAllows().run(live.merging(client) { a, _ in a }, context: cloud.context())
        #expect(before.status == .fail)
        #expect(before.summary == "denied by vm1NSG/DenyAll22 (priority 100) at the NIC")
        #expect(
            before.finding?.contains("it comes before AllowSSH (priority 200, Allow)") == true,
            "\(before.finding ?? "")")
        #expect(
            try await cloud.az(
                "network", "nsg", "rule", "delete", "-g", "rg1", "--nsg-name", "vm1NSG", "-n", "DenyAll22") == 0)
        let after = await AzureNSGAllows().run(live.merging(client) { a, _ in a }, context: cloud.context())
        #expect(after.status == .pass, "\(after)")
        #expect(after.evidence["nic-rule"] == "AllowSSH")
    }

    @Test("the subnet NSG with only default rules denies although the NIC allows; a rule fixes it")
    func subnetDefaults() async throws {
        let cloud = try await StubCloud("subnet-defaults-only")
        defer { cloud.remove() }
        let before = await AzureNSGAllows().run(live.merging(client) { a, _ in a }, context: cloud.context())
        #expect(before.status == .fail)
        #expect(before.evidence["deciding-level"] == "subnet")
        #expect(before.evidence["deciding-rule"] == "DenyAllInBound")
        #expect(before.evidence["deciding-priority"] == "65500")
        try await cloud.az(
            "network", "nsg", "rule", "create", "-g", "rg1", "--nsg-name", "vm1SubnetNSG", "-n", "AllowSSH",
            "--priority", "1000",
            "--access", "Allow", "--protocol", "Tcp", "--direction", "Inbound", "--source-address-prefixes",
            "198.51.100.9",
            "--destination-port-ranges", "22")
        #expect(
            await AzureNSGAllows().run(live.merging(client) { a, _ in a }, context: cloud.context()).status == .pass)
    }

    @Test("an allow only from another CIDR says which sources are allowed")
    func otherCIDR() async throws {
        let cloud = try await StubCloud("allow-other-cidr")
        defer { cloud.remove() }
        let result = await AzureNSGAllows().run(live.merging(client) { a, _ in a }, context: cloud.context())
        #expect(result.status == .fail)
        #expect(result.evidence["allows-only-from"] == "default-allow-ssh (1000) from 203.0.113.0/24")
        try await cloud.az(
            "network", "nsg", "rule", "update", "-g", "rg1", "--nsg-name", "vm1NSG", "-n", "default-allow-ssh",
            "--source-address-prefixes", "198.51.100.9")
        #expect(
            await AzureNSGAllows().run(live.merging(client) { a, _ in a }, context: cloud.context()).status == .pass)
    }

    @Test("sshd without host keys in the serial log; ssh-keygen -A through run-command fixes it, a restart does not")
    func hostKeys() async throws {
        let cloud = try await StubCloud("boot-no-host-keys")
        defer { cloud.remove() }
        let before = await AzureBootDiagnostics().run(live, context: cloud.context())
        #expect(before.status == .fail)
        #expect(before.evidence["pattern"] == "sshd-no-host-keys")
        try await cloud.az("vm", "restart", "-g", "rg1", "-n", "vm1")
        #expect(
            await AzureBootDiagnostics().run(live, context: cloud.context()).evidence["pattern"] == "sshd-no-host-keys")
        try await cloud.az(
            "vm", "run-command", "invoke", "-g", "rg1", "-n", "vm1", "--command-id", "RunShellScript",
            "--scripts", "ssh-keygen -A && systemctl restart ssh")
        let after = await AzureBootDiagnostics().run(live, context: cloud.context())
        #expect(after.status == .pass, "\(after)")
    }

    @Test("not logged in, unknown VM, no az, an option as a name: each an error naming the command")
    func errors() async throws {
        let cloud = try await StubCloud("logged-out")
        defer { cloud.remove() }
        let loggedOut = await AzureVMRunning().run(live, context: cloud.context())
        #expect(loggedOut.status == .error)
        #expect(
            loggedOut.summary
                == "not logged in to Azure: run az login (az vm get-instance-view --resource-group rg1 --name vm1 -o json failed)"
        )
        try await cloud.az("login")
        let unknown = await AzureNSGAllows().run(
            ["resource-group": "rg1", "vm": "nope", "client-ip": "198.51.100.9"], context: cloud.context())
        #expect(unknown.status == .error)
        #expect(
            unknown.summary.hasPrefix(
                "not found: ERROR: (ResourceNotFound) The Resource 'Microsoft.Compute/virtualMachines/nope'"),
            "\(unknown.summary)")
        #expect(unknown.evidence["command"] == "az vm show --resource-group rg1 --name nope -o json")
        let missing = await AzureBootDiagnostics().run(
            live,
            context: CheckContext(timeout: testTimeout, local: LocalExecutor(environment: ["PATH": "/nonexistent"])))
        #expect(missing.status == .error)
        #expect(
            missing.summary
                == "the Azure CLI (az) is not installed or not on PATH (needed for: az vm boot-diagnostics get-boot-log --resource-group rg1 --name vm1)"
        )
        let callsBefore = try cloud.calls().count
        let option = await AzureVMRunning().run(["resource-group": "--debug", "vm": "vm1"], context: cloud.context())
        #expect(option.summary == "resource-group: '--debug' must not start with '-'")
        #expect(try cloud.calls().count == callsBefore, "nothing ran")
    }

    @Test("from= files: an ARM instance view, Classic recordings, NSG files with the issue's exact arguments")
    func files() async throws {
        let fixtures = StubCloud.fixtures
        let deallocated = await AzureVMRunning().run(["from": fixtures + "/vm-deallocated/vms/rg1/vm1.json"])
        #expect(deallocated.status == .fail && deallocated.evidence["state"] == "deallocated")
        let classicStopped = await AzureVMRunning().run([
            "from": fixtures + "/classic/stopped-deallocated.json", "vm": "vm1",
        ])
        #expect(
            classicStopped.status == .fail && classicStopped.evidence["model"] == "classic"
                && classicStopped.evidence["state"] == "deallocated")
        let classicLive = await AzureVMRunning().run(["cloud-service": "svc1", "vm": "vm1"])
        #expect(classicLive.status == .error && classicLive.summary.contains("retired"))
        let nsg = await AzureNSGAllows().run([
            "subnet-nsg": fixtures + "/subnet-defaults-only/nsgs/rg1/vm1SubnetNSG.json",
            "nic-nsg": fixtures + "/healthy/nsgs/rg1/vm1NSG.json",
            "source": "198.51.100.9", "destination": "10.0.0.4", "port": "22", "protocol": "tcp",
        ])
        #expect(nsg.status == .fail)
        #expect(nsg.summary == "denied by vm1SubnetNSG/DenyAllInBound (priority 65500) at the subnet")
        let nicOnly = await AzureNSGAllows().run([
            "nic-nsg": fixtures + "/healthy/nsgs/rg1/vm1NSG.json", "source": "198.51.100.9", "destination": "10.0.0.4",
        ])
        #expect(nicOnly.status == .pass && nicOnly.evidence["subnet-nsg"] == "none")
        let neither = await AzureNSGAllows().run(["source": "198.51.100.9"])
        #expect(neither.status == .error)
    }

    @Test(
        "Classic endpoint and ACL from recordings",
        arguments: [
            ("healthy.json", "22", "pass", nil as String?),
            (
                "no-ssh-endpoint.json", "22", "fail",
                "The Classic VM has no TCP endpoint to its SSH port 22; add one (public and private port 22)"
            ),
            (
                "public-port-52022.json", "22", "fail",
                "Connect to public port 52022: endpoint SSH maps it to private port 22, and you used port 22"
            ),
            ("public-port-52022.json", "52022", "pass", nil),
            (
                "acl-denies-client.json", "22", "fail",
                "The ACL of endpoint SSH denies 198.51.100.9 by rule 100 (deny 198.51.100.0/24)"
            ),
            (
                "acl-permit-office-only.json", "22", "fail",
                "The ACL of endpoint SSH denies 198.51.100.9: no rule matches, and its permit rules (203.0.113.0/24) deny everyone else"
            ),
        ])
    func classic(file: String, port: String, status: String, finding: String?) async {
        let result = await AzureEndpointACL().run(
            ["from": StubCloud.fixtures + "/classic/" + file, "vm": "vm1", "port": port, "client-ip": "198.51.100.9"])
        #expect(result.status.rawValue == status, "\(result)")
        #expect(result.finding == finding)
    }

    @Test("the client's address: argument, command, environment, else an error that says so")
    func clientAddress() async {
        let file = StubCloud.fixtures + "/classic/healthy.json"
        let byCommand = await AzureEndpointACL().run(["from": file, "client-ip-command": "printf '203.0.113.77\\n'"])
        #expect(byCommand.evidence["client-ip"] == "203.0.113.77")
        #expect(byCommand.evidence["client-ip-from"] == "command: printf '203.0.113.77\\n'")
        let byEnvironment = await AzureEndpointACL().run(
            ["from": file],
            context: CheckContext(timeout: testTimeout, environment: ["RUNBOOK_CLIENT_IP": "192.0.2.44"]))
        #expect(byEnvironment.evidence["client-ip"] == "192.0.2.44")
        let badCommand = await AzureEndpointACL().run(["from": file, "client-ip-command": "printf nothing"])
        #expect(
            badCommand.status == .error && badCommand.summary.hasPrefix("could not decide the client's public address"))
        let nothing = await AzureEndpointACL().run(["from": file])
        #expect(nothing.status == .error)
        #expect(nothing.summary.hasPrefix("could not decide the client's public address: give client-ip="))
        let disagree = await AzureNSGAllows().run([
            "nsg": StubCloud.fixtures + "/healthy/nsgs/rg1/vm1NSG.json", "client-ip": "192.0.2.1",
            "source": "192.0.2.2",
        ])
        #expect(disagree.status == .error)
    }
}
