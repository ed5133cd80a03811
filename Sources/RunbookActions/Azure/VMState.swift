/// The state of a VM as one named condition, read from an ARM instance view or a Classic role
/// instance, so that stopped, deallocated, starting and failed are told apart.
struct VMState: Sendable, Equatable {
    enum Condition: String, Sendable {
        case running, starting, stopping, stopped, deallocating, deallocated, failed, creating, deleting, unknown
    }

    var condition: Condition
    /// What Azure printed: `PowerState/deallocated` / `ProvisioningState/failed/AllocationFailed` or
    /// `StoppedDeallocated` / `Started`.
    var powerState: String?
    var provisioningState: String?
    var detail: String?

    // MARK: - Resource Manager

    /// Reads `instanceView.statuses` (`az vm get-instance-view`), `properties.instanceView.statuses`
    /// (REST `GET …/virtualMachines/VM?$expand=instanceView`) or top-level `statuses` (REST
    /// `GET …/virtualMachines/VM/instanceView`).
    static func resourceManager(_ json: JSONValue) -> VMState? {
        guard let statuses = json.field("instanceView")?["statuses"]?.array ?? json["statuses"]?.array else {
            return nil
        }
        let codes = statuses.compactMap { status -> (String, String)? in
            guard let code = status["code"]?.text else { return nil }
            return (code, status["displayStatus"]?.text ?? code)
        }
        let power = codes.first { $0.0.hasPrefix("PowerState/") }
        let provisioning = codes.first { $0.0.hasPrefix("ProvisioningState/") }
        let powerWord = power.map { String($0.0.dropFirst("PowerState/".count)).lowercased() }
        let provisioningWord = provisioning.map { String($0.0.dropFirst("ProvisioningState/".count)).lowercased() }
        let provisioningFailed = provisioningWord?.hasPrefix("failed") ?? false
        var condition: Condition
        switch powerWord {
        case "running": condition = .running
        case "starting": condition = .starting
        case "stopping": condition = .stopping
        case "stopped": condition = .stopped
        case "deallocating": condition = .deallocating
        case "deallocated": condition = .deallocated
        default: condition = .unknown
        }
        if condition != .running && provisioningFailed {
            condition = .failed
        } else if condition == .unknown {
            switch provisioningWord {
            case "creating": condition = .creating
            case "deleting": condition = .deleting
            case "updating": condition = .starting
            default: break
            }
        }
        return VMState(
            condition: condition, powerState: power?.0, provisioningState: provisioning?.0,
            detail: provisioningFailed ? provisioning?.1 : power?.1)
    }

    // MARK: - Classic

    /// Reads a Classic role instance: the JSON form of the Service Management API's Get Deployment
    /// response (`RoleInstanceList[]` with `RoleName`, `InstanceName`, `InstanceStatus`,
    /// `PowerState`), or one role instance object. `vm` picks the instance by role or instance name.
    static func classic(_ json: JSONValue, vm: String?) -> VMState? {
        guard let instance = ClassicDeployment.roleInstance(in: json, vm: vm),
            let status = instance["InstanceStatus"]?.text
        else { return nil }
        let condition: Condition =
            switch status {
            case "ReadyRole": .running
            case "StartingVM", "StartingRole", "CreatingVM", "CreatingRole", "Provisioning", "RestartingRole",
                "BusyRole":
                .starting
            case "StoppingVM", "StoppingRole": .stopping
            case "StoppedVM": .stopped
            case "StoppedDeallocated": .deallocated
            case "FailedStartingVM", "FailedStartingRole", "ProvisioningFailed", "ProvisioningTimeout",
                "UnresponsiveRole",
                "CyclingRole":
                .failed
            case "DeletingVM": .deleting
            default: .unknown
            }
        return VMState(
            condition: condition, powerState: instance["PowerState"]?.text, provisioningState: status,
            detail: instance["InstanceStateDetails"]?.text ?? instance["InstanceErrorCode"]?.text)
    }
}
