import Testing

@testable import RunbookActions

/// An `az vm get-instance-view` document with these statuses (the CLI's shape).
func instanceView(_ statuses: [(String, String)]) throws -> JSONValue {
    let items = statuses.map {
        #"{"code": "\#($0.0)", "displayStatus": "\#($0.1)", "level": "Info", "message": null, "time": null}"#
    }
    return try JSONValue.parse(
        #"{"name": "vm1", "resourceGroup": "rg1", "instanceView": {"computerName": "vm1", "statuses": [\#(items.joined(separator: ","))]}}"#
    )
}

@Suite("VM state")
struct VMStateTests {
    @Test(
        "every ARM power state",
        arguments: [
            ("PowerState/running", "ProvisioningState/succeeded", "pass", "running"),
            ("PowerState/starting", "ProvisioningState/updating", "fail", "starting"),
            ("PowerState/stopping", "ProvisioningState/updating", "fail", "stopping"),
            ("PowerState/stopped", "ProvisioningState/succeeded", "fail", "stopped"),
            ("PowerState/deallocating", "ProvisioningState/updating", "fail", "deallocating"),
            ("PowerState/deallocated", "ProvisioningState/succeeded", "fail", "deallocated"),
            ("PowerState/unknown", "ProvisioningState/succeeded", "error", "unknown"),
            ("PowerState/stopped", "ProvisioningState/failed/AllocationFailed", "fail", "failed"),
            ("PowerState/running", "ProvisioningState/failed/VMExtensionProvisioningError", "pass", "running"),
            ("", "ProvisioningState/failed/OSProvisioningTimedOut", "fail", "failed"),
            ("", "ProvisioningState/creating", "fail", "creating"),
            ("", "ProvisioningState/deleting", "fail", "deleting"),
        ])
    func resourceManager(power: String, provisioning: String, status: String, state: String) throws {
        var statuses = [(provisioning, "Provisioning")]
        if !power.isEmpty { statuses.append((power, "VM " + power.dropFirst("PowerState/".count))) }
        let parsed = try #require(VMState.resourceManager(try instanceView(statuses)))
        #expect(parsed.condition.rawValue == state)
        let result = AzureVMRunning.judge(parsed)
        #expect(result.status.rawValue == status, "\(power) \(provisioning): \(result.summary)")
        #expect(result.evidence["state"] == state)
        if result.status == .fail { #expect(result.finding != nil) }
    }

    @Test("stopped, deallocated, starting and failed have findings of their own")
    func distinctFindings() throws {
        let findings =
            try ["stopped", "deallocated", "starting"].map { power in
                AzureVMRunning.judge(
                    try #require(VMState.resourceManager(instanceView([("PowerState/\(power)", "x")])))
                ).finding
            } + [
                AzureVMRunning.judge(
                    VMState(condition: .failed, powerState: nil, provisioningState: "ProvisioningState/failed/X")
                ).finding
            ]
        #expect(Set(findings.compactMap { $0 }).count == 4)
        #expect(findings[1]?.contains("az vm start") == true)
    }

    @Test("the REST shapes: properties.instanceView and a bare instance view")
    func restShapes() throws {
        let expanded = try JSONValue.parse(
            #"{"name": "vm1", "properties": {"instanceView": {"statuses": [{"code": "PowerState/deallocated"}]}}}"#)
        #expect(VMState.resourceManager(expanded)?.condition == .deallocated)
        let bare = try JSONValue.parse(
            #"{"statuses": [{"code": "ProvisioningState/succeeded"}, {"code": "PowerState/running"}]}"#)
        #expect(VMState.resourceManager(bare)?.condition == .running)
        #expect(VMState.resourceManager(try JSONValue.parse(#"{"name": "vm1"}"#)) == nil)
    }

    @Test(
        "every Classic role instance status",
        arguments: [
            ("ReadyRole", "running"), ("StoppedVM", "stopped"), ("StoppedDeallocated", "deallocated"),
            ("StartingVM", "starting"),
            ("CreatingVM", "starting"), ("RestartingRole", "starting"), ("BusyRole", "starting"),
            ("StoppingVM", "stopping"),
            ("FailedStartingVM", "failed"), ("ProvisioningFailed", "failed"), ("ProvisioningTimeout", "failed"),
            ("UnresponsiveRole", "failed"), ("CyclingRole", "failed"), ("DeletingVM", "deleting"),
            ("RoleStateUnknown", "unknown"),
        ])
    func classic(status: String, state: String) throws {
        let json = try JSONValue.parse(
            #"{"RoleInstanceList": [{"RoleName": "other", "InstanceStatus": "ReadyRole"}, {"RoleName": "vm1", "InstanceName": "vm1", "InstanceStatus": "\#(status)", "PowerState": "Started"}]}"#
        )
        #expect(VMState.classic(json, vm: "vm1")?.condition.rawValue == state)
        #expect(VMState.classic(json, vm: nil) == nil, "two instances and no vm= picks none")
    }
}
