import RunbookCore

/// `azure-nsg-allows`: whether the subnet's and the NIC's network security groups let the
/// client's connection in, and which rule of which group decided.
///
/// Offline, the groups come from files (`subnet-nsg=`, `nic-nsg=`, each optional: a level without
/// a file has no NSG; `nsg=` is the NIC's). Live, from `resource-group=` and `vm=`: the VM's
/// primary NIC (`az vm show`), its NSG and private address (`az network nic show`), its subnet's
/// NSG (`az network vnet subnet show`), the VNet's address space (`az network vnet show`) and each
/// group (`az network nsg show`).
struct AzureNSGAllows: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "azure-nsg-allows",
            summary:
                "Evaluates the subnet's and the NIC's network security groups for the client's connection, as Azure does, and names the deciding rule.",
            arguments: [
                ArgumentSpec(
                    "subnet-nsg", .string,
                    help: "File with the subnet's NSG (az network nsg show -o json, or the ARM REST shape)."),
                ArgumentSpec("nic-nsg", .string, help: "File with the NIC's NSG (same shapes)."),
                ArgumentSpec("nsg", .string, help: "Same as nic-nsg."),
                ArgumentSpec("resource-group", .string, help: "Resource group of the VM (live lookup with az)."),
                ArgumentSpec("vm", .string, help: "Name of the VM (live lookup with az)."),
                ArgumentSpec("destination", .string, help: "The VM's private IP address (live: the NIC's)."),
                ArgumentSpec("port", .port, default: "22", help: "Destination port."),
                ArgumentSpec(
                    "protocol", .oneOf(["tcp", "udp", "icmp"]), default: "tcp", help: "Protocol of the connection."),
                ArgumentSpec(
                    "source-port", .port, help: "The client's source port, for rules that limit source ports."),
                ArgumentSpec(
                    "vnet-prefixes", .list,
                    help: "The VNet's address space, comma-separated (live: looked up; else RFC 1918 is assumed)."),
            ] + PublicClientAddress.arguments,
            example:
                "check azure-nsg-allows resource-group={{resource-group}} vm={{vm}} port={{port}} client-ip={{client-ip}}",
            provides: [
                ArgumentSpec("nsg", .string, help: "The NSG whose rule denied the connection."),
                ArgumentSpec(
                    "nsg-resource-group", .string, help: "That NSG's resource group (its id, else resource-group=)."),
                ArgumentSpec(
                    "nsg-priority", .integer,
                    help:
                        "The free priority closest before the denying rule: an allow rule there wins over it; when none is free (a rule at 100), the denying rule's own."
                ),
                ArgumentSpec(
                    "nsg-move-rule", .string,
                    help: "Empty, or the denying rule when it must first move to nsg-move-priority to make room."),
                ArgumentSpec(
                    "nsg-move-priority", .string,
                    help:
                        "Empty, or the free priority right after the denying rule's (before the next rule) that it moves to."
                ),
                ArgumentSpec("allowed-source", .string, help: "The client address the check evaluated."),
            ])
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let port = try arguments.port("port")
        let protocolName = (arguments.optional("protocol") ?? "tcp").lowercased()
        let sourcePort = try arguments.optional("source-port").map { _ in try arguments.port("source-port") }
        if arguments.optional("nsg") != nil && arguments.optional("nic-nsg") != nil {
            return .error("give nic-nsg= or nsg=, not both")
        }
        var vnetPrefixes: [IPPrefix]?
        if !arguments.list("vnet-prefixes").isEmpty {
            vnetPrefixes = try arguments.list("vnet-prefixes").map { text throws(EarlyResult) in
                guard let prefix = IPPrefix(text) else {
                    throw EarlyResult(.error("vnet-prefixes: '\(text)' is not a CIDR prefix"))
                }
                return prefix
            }
        }
        var destinationText = arguments.optional("destination")
        var evidence: [String: String] = [:]
        let subnetGroup: NetworkSecurityGroup?
        let nicGroup: NetworkSecurityGroup?
        let subnetFile = arguments.optional("subnet-nsg")
        let nicFile = arguments.optional("nic-nsg") ?? arguments.optional("nsg")
        if subnetFile != nil || nicFile != nil {
            subnetGroup = try await Self.load(subnetFile, argument: "subnet-nsg", context: context)
            nicGroup = try await Self.load(
                nicFile, argument: arguments.optional("nic-nsg") != nil ? "nic-nsg" : "nsg", context: context)
            evidence["from"] = "files"
        } else if let group = arguments.optional("resource-group"), let vm = arguments.optional("vm") {
            let live = try await LiveNetwork.lookUp(resourceGroup: group, vm: vm, context: context)
            subnetGroup = live.subnetGroup
            nicGroup = live.nicGroup
            destinationText = destinationText ?? live.privateAddress
            if vnetPrefixes == nil, !live.vnetPrefixes.isEmpty { vnetPrefixes = live.vnetPrefixes }
            evidence["from"] = "az (\(group)/\(vm), NIC \(live.nicName))"
        } else {
            return .error(
                "give subnet-nsg= and/or nic-nsg= files, or resource-group= and vm= to look the groups up with az")
        }
        var destination: IPAddress?
        if let destinationText {
            guard let address = IPAddress(destinationText) else {
                return .error("destination: '\(destinationText)' is not an IP address")
            }
            destination = address
        }
        let (source, sourceOrigin) = try await PublicClientAddress.decide(arguments, context: context)
        let flow = NSGEvaluator.Flow(
            source: source, destination: destination, port: port, protocolName: protocolName, sourcePort: sourcePort)
        let evaluator = NSGEvaluator(vnetPrefixes: vnetPrefixes)
        evidence["source"] = source.description
        evidence["source-from"] = sourceOrigin
        evidence["destination"] = destination?.description ?? "(not known)"
        evidence["port"] = String(port)
        evidence["protocol"] = protocolName
        evidence["vnet-prefixes"] =
            evaluator.vnetPrefixes.map(\.description).joined(separator: ",")
            + (evaluator.vnetAssumed ? " (assumed: RFC 1918)" : "")
        return Self.judge(
            subnet: subnetGroup, nic: nicGroup, flow: flow, evaluator: evaluator, evidence: evidence,
            resourceGroup: arguments.optional("resource-group"))
    }

    static func load(_ path: String?, argument: String, context: CheckContext) async throws(EarlyResult)
        -> NetworkSecurityGroup?
    {
        guard let path else { return nil }
        let json = try await context.readClientJSON(path, argument: argument)
        do {
            return try NetworkSecurityGroup(json: json, fallbackName: path)
        } catch {
            throw EarlyResult(.error("\(argument)=\(path): \(error)", evidence: [argument: path]))
        }
    }

    /// Subnet first, then NIC; both must allow. Pure, so that tests can drive it with tables.
    static func judge(
        subnet: NetworkSecurityGroup?, nic: NetworkSecurityGroup?, flow: NSGEvaluator.Flow, evaluator: NSGEvaluator,
        evidence base: [String: String], resourceGroup: String? = nil
    ) -> CheckResult {
        var evidence = base
        let what =
            "\(flow.protocolName.uppercased()) \(flow.source.description) → \(flow.destination?.description ?? "VM"):\(flow.port)"
        var allowedBy: [String] = []
        for (level, group) in [("subnet", subnet), ("nic", nic)] {
            guard let group else {
                evidence["\(level)-nsg"] = "none"
                allowedBy.append("no \(level == "nic" ? "NIC" : "subnet") NSG")
                continue
            }
            let verdict = evaluator.evaluate(group, flow)
            let rule = verdict.rule
            evidence["\(level)-nsg"] = group.name
            evidence["\(level)-rule"] = rule.name
            evidence["\(level)-priority"] = String(rule.priority)
            evidence["\(level)-access"] = rule.access.rawValue
            let levelName = level == "nic" ? "NIC" : "subnet"
            switch verdict {
            case .allowed:
                allowedBy.append("\(levelName) \(group.name)/\(rule.name) (\(rule.priority))")
            case .undecided(_, let reason):
                evidence["deciding-nsg"] = group.name
                evidence["deciding-rule"] = rule.name
                evidence["deciding-priority"] = String(rule.priority)
                return .error(
                    "cannot decide \(levelName) NSG \(group.name) at rule \(rule.label): \(reason)", evidence: evidence)
            case .denied:
                evidence["deciding-nsg"] = group.name
                evidence["deciding-level"] = level
                evidence["deciding-rule"] = rule.name
                evidence["deciding-priority"] = String(rule.priority)
                evidence["deciding-access"] = rule.access.rawValue
                var finding = "The \(levelName) NSG \(group.name) denies \(what) by rule \(rule.label)"
                let misses = evaluator.nearMisses(group, flow)
                if !misses.isEmpty {
                    let text = misses.map {
                        "\($0.name) (\($0.priority)) from \($0.sourcePrefixes.joined(separator: ","))"
                    }
                    .joined(separator: "; ")
                    evidence["allows-only-from"] = text
                    finding += "; the port is allowed only from other sources: \(text)"
                }
                let shadowed = evaluator.shadowedAllows(group, flow, after: rule)
                if !shadowed.isEmpty {
                    let text = shadowed.map(\.label).joined(separator: ", ")
                    evidence["shadowed-allow"] = text
                    finding += "; it comes before \(text), which would allow it"
                }
                if level == "subnet", let nic {
                    evidence["nic-nsg"] = "\(nic.name) (not reached: the subnet's NSG denies first)"
                }
                if rule.isDefault && group.inboundRules.allSatisfy(\.isDefault) {
                    finding += " (the group has only the default rules)"
                }
                var provides = ["nsg": group.name, "allowed-source": flow.source.description]
                if let owner = group.resourceGroup ?? resourceGroup { provides["nsg-resource-group"] = owner }
                if let place = group.placement(before: rule) {
                    provides["nsg-priority"] = String(place.priority)
                    provides["nsg-move-rule"] = place.moveTo == nil ? "" : rule.name
                    provides["nsg-move-priority"] = place.moveTo.map(String.init) ?? ""
                    evidence["allow-at"] =
                        String(place.priority) + (place.moveTo.map { " (\(rule.name) moves to \($0))" } ?? "")
                } else {
                    finding +=
                        "; no priority before \(rule.priority) is free for an allow rule: change or remove \(rule.name)"
                }
                return .fail(
                    "denied by \(group.name)/\(rule.name) (priority \(rule.priority)) at the \(levelName)",
                    evidence: evidence, finding: finding, provides: provides)
            }
        }
        return .pass("allowed: " + allowedBy.joined(separator: ", "), evidence: evidence)
    }
}
