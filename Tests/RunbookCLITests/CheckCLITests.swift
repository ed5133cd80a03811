import Foundation
import RunbookActions
import Testing

let stubDirectory = repositoryRoot.appendingPathComponent("Tests/Support/az-stub").path
let stubFixtures = stubDirectory + "/fixtures"

@Suite("runbook check", .serialized)
struct CheckCLITests {
    @Test(
        "the issue's exact command: JSON with status and evidence naming the deciding rule; exit 1 on deny, 0 on allow")
    func exactCommand() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let subnet = try String(contentsOfFile: stubFixtures + "/healthy/nsgs/rg1/vm1SubnetNSG.json", encoding: .utf8)
        let nic = try String(contentsOfFile: stubFixtures + "/nsg-deny-100/nsgs/rg1/vm1NSG.json", encoding: .utf8)
        _ = try directory.write("subnet.json", subnet)
        _ = try directory.write("nic.json", nic)
        let command = [
            "check", "azure-nsg-allows", "subnet-nsg=subnet.json", "nic-nsg=nic.json", "source=198.51.100.9",
            "destination=10.0.0.4", "port=22", "protocol=tcp", "--format", "json",
        ]
        let denied = try await runbook(in: directory.url.path, command)
        #expect(denied.exitCode == 1, "\(denied.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(denied.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "fail")
        let evidence = try #require(object["evidence"] as? [String: String])
        #expect(evidence["deciding-nsg"] == "vm1NSG")
        #expect(evidence["deciding-rule"] == "DenyAll22")
        #expect(evidence["deciding-priority"] == "100")
        #expect(evidence["deciding-access"] == "Deny")
        #expect((object["finding"] as? String)?.contains("DenyAll22 (priority 100, Deny)") == true)
        #expect(denied.stdout.split(separator: "\n").count == 1, "one JSON object")
        _ = try directory.write(
            "nic.json", try String(contentsOfFile: stubFixtures + "/healthy/nsgs/rg1/vm1NSG.json", encoding: .utf8))
        let allowed = try await runbook(in: directory.url.path, command)
        #expect(allowed.exitCode == 0, "\(allowed.stdout)")
        // Each file is optional: without the subnet's, there is no NSG at that level.
        let nicOnly = try await runbook(in: directory.url.path, command.filter { $0 != "subnet-nsg=subnet.json" })
        #expect(nicOnly.exitCode == 0)
        #expect(nicOnly.stdout.contains("\"subnet-nsg\":\"none\""))
    }

    @Test("text output shows status, summary, finding and evidence")
    func text() async throws {
        let result = try await runbook([
            "check", "azure-vm-running", "from=Tests/Support/az-stub/fixtures/vm-deallocated/vms/rg1/vm1.json",
        ])
        #expect(result.exitCode == 1)
        #expect(
            result.stdout.hasPrefix(
                "fail  azure-vm-running  deallocated (PowerState/deallocated, ProvisioningState/succeeded)\n"))
        #expect(result.stdout.contains("finding: The VM is deallocated"))
        #expect(result.stdout.contains("evidence:\n"))
        #expect(result.stdout.contains("  state: deallocated\n"))
    }

    @Test("live through the stub az on PATH; not logged in is an error, exit 3")
    func live() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.url.appendingPathComponent("state").path
        try await shell("'\(stubDirectory)/init-state' '\(state)' vm-stopped")
        let environment = [
            "AZ_STUB_STATE": state,
            "PATH": stubDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
        let stopped = try await runbook(
            ["check", "azure-vm-running", "resource-group=rg1", "vm=vm1", "--format", "json"], environment: environment)
        #expect(stopped.exitCode == 1)
        #expect(stopped.stdout.contains("\"state\":\"stopped\""))
        try await shell("touch '\(state)/logged-out'")
        let loggedOut = try await runbook(
            ["check", "azure-boot-diagnostics", "resource-group=rg1", "vm=vm1"], environment: environment)
        #expect(loggedOut.exitCode == 3)
        #expect(
            loggedOut.stdout.contains(
                "not logged in to Azure: run az login (az vm boot-diagnostics get-boot-log --resource-group rg1 --name vm1 failed)"
            ))
    }

    @Test(
        "bad usage exits 2 with a clear message",
        arguments: [
            (["check", "azure-nsg-alows"], "no check action 'azure-nsg-alows'; did you mean 'azure-nsg-allows'?"),
            (
                ["check", "azure-nsg-allows", "subnet_nsg=x"],
                "azure-nsg-allows has no argument 'subnet_nsg'; did you mean 'subnet-nsg'?"
            ),
            (["check", "azure-nsg-allows", "port"], "'port' needs the form key=value"),
            (["check", "azure-nsg-allows", "=22"], "'=22' needs the form key=value"),
            (["check", "azure-nsg-allows", "port=ssh"], "port: 'ssh' is not a port (1-65535)"),
            (["check", "command"], "command needs the argument 'run'"),
            (["check", "tcp-connect", "host=x", "port=22", "--vm", "bogus"], "unknown --vm 'bogus'"),
            (["check", "tcp-connect", "--format", "yaml"], "yaml"),
        ])
    func usage(arguments: [String], message: String) async throws {
        let result = try await runbook(arguments)
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }

    @Test("a check that cannot decide exits 3; one that passes exits 0")
    func errorAndPass() async throws {
        let undecided = try await runbook(
            ["check", "azure-endpoint-acl", "from=Tests/Support/az-stub/fixtures/classic/healthy.json"],
            environment: ["RUNBOOK_CLIENT_IP": ""])
        #expect(undecided.exitCode == 3)
        #expect(undecided.stdout.contains("could not decide the client's public address"))
        let pass = try await runbook([
            "check", "azure-endpoint-acl", "from=Tests/Support/az-stub/fixtures/classic/healthy.json",
            "client-ip=198.51.100.9",
        ])
        #expect(pass.exitCode == 0, "\(pass.stdout)")
    }
}

@Suite("runbook check --vm")
struct CheckVMCLITests {
    @Test("a VM-side action runs through --vm; without it the action says it needs --vm (exit 3)")
    func vm() async throws {
        let through = try await runbook(["check", "disk-free", "path=/", "min-free=0%", "--vm", "local"])
        #expect(through.exitCode == 0, "\(through.stdout)\(through.stderr)")
        #expect(through.stdout.hasPrefix("pass  disk-free  / has "))
        let without = try await runbook(["check", "disk-free", "path=/"])
        #expect(without.exitCode == 3)
        #expect(without.stdout.contains("needs --vm to look inside the VM"))
    }
}

@Suite("runbook check --vm az: through the stub az")
struct CheckRunCommandCLITests {
    @Test("az vm run-command invoke carries a VM check; a deallocated VM makes it an error")
    func runCommand() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let state = directory.url.appendingPathComponent("state").path
        try await shell("'\(stubDirectory)/init-state' '\(state)'")
        // The stub runs the script with `env sh -c SCRIPT`, here on this machine.
        let environment = [
            "AZ_STUB_STATE": state, "AZ_STUB_VM_EXEC": "env",
            "PATH": stubDirectory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        ]
        let through = try await runbook(
            ["check", "disk-free", "path=/", "min-free=0%", "--vm", "az:rg1/vm1"], environment: environment)
        #expect(through.exitCode == 0, "\(through.stdout)\(through.stderr)")
        let calls = try String(contentsOfFile: state + "/calls.jsonl", encoding: .utf8)
        #expect(
            calls.contains(
                #""vm", "run-command", "invoke", "--resource-group", "rg1", "--name", "vm1", "--command-id", "RunShellScript", "--scripts", "df -P -k -- /; echo \"__runbook_exit=$?\"""#
            ), "\(calls)")
        try await shell("PATH='\(stubDirectory)':\"$PATH\" AZ_STUB_STATE='\(state)' az vm deallocate -g rg1 -n vm1")
        let stopped = try await runbook(
            ["check", "disk-free", "path=/", "--vm", "az:rg1/vm1"], environment: environment)
        #expect(stopped.exitCode == 3, "\(stopped.stdout)")
        #expect(stopped.stdout.contains("OperationNotAllowed"), "\(stopped.stdout)")
    }
}
