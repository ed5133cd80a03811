import RunbookCore

/// `azure-vm-running`: the VM's power and provisioning state, with stopped, deallocated, starting
/// and failed told apart.
///
/// Resource Manager: live `az vm get-instance-view --resource-group RG --name VM -o json`, or the
/// same JSON (or the REST shapes) from `from=`. Classic: a recorded Get Deployment document
/// (see ``ClassicDeployment``) from `from=`; the shape of the document decides the model.
struct AzureVMRunning: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "azure-vm-running",
            summary:
                "Reads the VM's power and provisioning state (az vm get-instance-view, or a Classic role instance) and tells running, starting, stopped, deallocated and failed apart.",
            arguments: [
                ArgumentSpec("resource-group", .string, help: "Resource group of the VM (live with az)."),
                ArgumentSpec("vm", .string, help: "Name of the VM (Classic: its role or instance name)."),
                ArgumentSpec(
                    "from", .string,
                    help: "A file instead of az: az vm get-instance-view JSON, or a Classic Get Deployment document."),
                ArgumentSpec(
                    "cloud-service", .string, help: "Classic: the cloud service (only to say that Classic needs from=)."
                ),
            ],
            example: "check azure-vm-running resource-group={{resource-group}} vm={{vm}}")
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = arguments.optional("vm")
        var evidence: [String: String] = [:]
        let json: JSONValue
        if let path = arguments.optional("from") {
            json = try await context.readClientJSON(path, argument: "from")
            evidence["from"] = path
        } else if arguments.optional("cloud-service") != nil {
            return .error(ClassicNotice.needsRecording)
        } else if let group = arguments.optional("resource-group"), let vm {
            try AzureCLI.requireName(group, argument: "resource-group")
            try AzureCLI.requireName(vm, argument: "vm")
            let command = ["vm", "get-instance-view", "--resource-group", group, "--name", vm]
            json = try await AzureCLI(context: context).json(command)
            evidence["command"] = "az " + command.joined(separator: " ") + " -o json"
        } else {
            return .error("give resource-group= and vm= (live with az) or from=FILE")
        }
        let state: VMState
        if let arm = VMState.resourceManager(json) {
            state = arm
            evidence["model"] = "arm"
        } else if let classic = VMState.classic(json, vm: vm) {
            state = classic
            evidence["model"] = "classic"
        } else if json["RoleInstanceList"] != nil {
            let names = ClassicDeployment.roleNames(in: json).joined(separator: ", ")
            return .error("no role instance '\(vm ?? "")' in the deployment (it has: \(names))", evidence: evidence)
        } else {
            return .error("no instance view statuses or Classic role instance in the document", evidence: evidence)
        }
        return Self.judge(state, evidence: evidence)
    }

    /// The verdict for a state; pure, for table tests.
    static func judge(_ state: VMState, evidence base: [String: String] = [:]) -> CheckResult {
        var evidence = base
        evidence["state"] = state.condition.rawValue
        if let power = state.powerState { evidence["power-state"] = power }
        if let provisioning = state.provisioningState { evidence["provisioning-state"] = provisioning }
        if let detail = state.detail { evidence["detail"] = detail }
        let shown = [state.powerState, state.provisioningState].compactMap { $0 }.joined(separator: ", ")
        switch state.condition {
        case .running:
            if let provisioning = state.provisioningState, provisioning.lowercased().contains("failed") {
                return .pass("running (\(shown): the last operation failed, the VM still runs)", evidence: evidence)
            }
            return .pass("running (\(shown))", evidence: evidence)
        case .starting, .creating:
            return .fail(
                "starting (\(shown))", evidence: evidence,
                finding: "The VM is still starting; wait a minute and try again")
        case .stopping, .stopped:
            return .fail(
                "stopped (\(shown))", evidence: evidence,
                finding: "The VM is stopped (still allocated), so nothing answers; start it (az vm start)")
        case .deallocating, .deallocated:
            return .fail(
                "deallocated (\(shown))", evidence: evidence,
                finding:
                    "The VM is deallocated (stopped from the portal or az vm deallocate), so nothing answers; start it (az vm start; a restart is refused for a deallocated VM)"
            )
        case .failed:
            return .fail(
                "failed (\(shown))", evidence: evidence,
                finding:
                    "The VM is in a failed state\(state.detail.map { ": \($0)" } ?? ""); redeploy it or look at its activity log"
            )
        case .deleting:
            return .fail("being deleted (\(shown))", evidence: evidence, finding: "The VM is being deleted")
        case .unknown:
            return .error("power state unknown (\(shown.isEmpty ? "no PowerState status" : shown))", evidence: evidence)
        }
    }
}

/// What the Classic checks say when asked to read a Classic VM live.
enum ClassicNotice {
    static let needsRecording =
        "Classic VMs cannot be read live: Azure retired Classic VMs and their CLI in 2023; give from= with a recorded Get Deployment document"
}
