import RunbookCore

/// `azure-endpoint-acl` (Classic): the VM has an endpoint to its SSH port, the client uses the
/// endpoint's public port, and the endpoint's ACL lets the client in.
///
/// Reads a recorded Get Deployment document (`from=`, see ``ClassicDeployment`` for the shape):
/// the role's `ConfigurationSets[].InputEndpoints[]` (`Name`, `Port` = public, `LocalPort` =
/// private, `Protocol`, `EndpointAcl.Rules[]`), or, without a `RoleList`, the role instance's
/// `InstanceEndpoints[]` (`PublicPort`, `LocalPort`; no ACL there).
struct AzureEndpointACL: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "azure-endpoint-acl",
            summary:
                "Classic: finds the endpoint to the VM's SSH port, says which public port to use, and evaluates its ACL (first matching rule by order decides).",
            arguments: [
                ArgumentSpec("from", .string, help: "Recorded Get Deployment document (JSON) of the cloud service."),
                ArgumentSpec("vm", .string, help: "Role (VM) name in the deployment; optional when it has one role."),
                ArgumentSpec("port", .port, default: "22", help: "The port the client connects to."),
                ArgumentSpec("private-port", .port, default: "22", help: "The port sshd listens on inside the VM."),
                ArgumentSpec(
                    "cloud-service", .string, help: "The cloud service (only to say that Classic needs from=)."),
            ] + PublicClientAddress.arguments,
            example: "check azure-endpoint-acl from=deployment.json vm={{vm}} port={{port}} client-ip={{client-ip}}",
            provides: [
                ArgumentSpec(
                    "endpoint", .string, help: "The endpoint to the SSH port, or the name (SSH) to create it under."),
                ArgumentSpec(
                    "new-endpoint", .oneOf(["yes", "no"]),
                    help: "yes when no endpoint leads to the SSH port and one must be created."),
                ArgumentSpec(
                    "acl-order", .integer,
                    help:
                        "A free ACL order for a rule that permits the client: just before the rule that denied it (a new endpoint: 100)."
                ),
                ArgumentSpec("allowed-source", .string, help: "The client's address as a /32 (/128) subnet."),
            ])
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let port = try arguments.port("port")
        let privatePort = try arguments.port("private-port")
        let vm = arguments.optional("vm")
        guard let path = arguments.optional("from") else {
            return .error(ClassicNotice.needsRecording)
        }
        let json = try await context.readClientJSON(path, argument: "from")
        var evidence = ["from": path, "port": String(port), "private-port": String(privatePort)]
        let endpoints: [Endpoint]
        if let role = ClassicDeployment.role(in: json, vm: vm) {
            endpoints = try ClassicDeployment.inputEndpoints(of: role).map { item throws(EarlyResult) in
                try Endpoint(item, publicKey: "Port")
            }
        } else if let instance = ClassicDeployment.roleInstance(in: json, vm: vm) {
            endpoints = try (instance["InstanceEndpoints"]?.array ?? []).map { item throws(EarlyResult) in
                try Endpoint(item, publicKey: "PublicPort")
            }
        } else {
            let names = ClassicDeployment.roleNames(in: json).joined(separator: ", ")
            return .error(
                "no role '\(vm ?? "")' in \(path) (it has: \(names.isEmpty ? "none" : names))", evidence: evidence)
        }
        evidence["endpoints"] = endpoints.isEmpty ? "none" : endpoints.map(\.label).joined(separator: "; ")
        let candidates = endpoints.filter { $0.localPort == privatePort && $0.protocolName.lowercased() == "tcp" }
        guard let endpoint = candidates.first(where: { $0.publicPort == port }) ?? candidates.first else {
            let (client, _) = try await PublicClientAddress.decide(arguments, context: context)
            let name = endpoints.contains { $0.name.lowercased() == "ssh" } ? "SSH-\(privatePort)" : "SSH"
            return .fail(
                "no endpoint to private port \(privatePort)", evidence: evidence,
                finding:
                    "The Classic VM has no TCP endpoint to its SSH port \(privatePort); add one (public and private port \(privatePort))",
                provides: [
                    "endpoint": name, "new-endpoint": "yes", "acl-order": "100",
                    "allowed-source": Self.subnet(of: client),
                ])
        }
        evidence["endpoint"] = endpoint.name
        evidence["public-port"] = String(endpoint.publicPort)
        let (client, origin) = try await PublicClientAddress.decide(arguments, context: context)
        evidence["client-ip"] = client.description
        evidence["client-ip-from"] = origin
        return Self.judge(endpoint: endpoint, port: port, client: client, evidence: evidence)
    }

    /// The port and ACL verdict for a chosen endpoint; pure, for table tests.
    static func judge(endpoint: Endpoint, port: Int, client: IPAddress, evidence base: [String: String]) -> CheckResult
    {
        var evidence = base
        var problems: [String] = []
        var summaries: [String] = []
        if endpoint.publicPort != port {
            problems.append(
                "Connect to public port \(endpoint.publicPort): endpoint \(endpoint.name) maps it to private port \(endpoint.localPort), and you used port \(port)"
            )
            summaries.append("use port \(endpoint.publicPort), not \(port)")
        }
        evidence["acl-rules"] =
            endpoint.acl.rules.isEmpty ? "none" : endpoint.acl.rules.map(\.label).joined(separator: "; ")
        var provides = ["endpoint": endpoint.name, "new-endpoint": "no", "allowed-source": Self.subnet(of: client)]
        switch endpoint.acl.evaluate(client) {
        case .undecided(let reason):
            return .error("cannot evaluate the ACL of endpoint \(endpoint.name): \(reason)", evidence: evidence)
        case .permitted(let rule):
            evidence["acl-decision"] =
                rule.map { "permit by \($0.label)" }
                ?? (endpoint.acl.rules.isEmpty
                    ? "permit (no ACL rules)" : "permit (no rule matches and the ACL has only deny rules)")
        case .denied(let rule):
            if let rule {
                evidence["acl-decision"] = "deny by \(rule.label)"
                evidence["acl-rule-order"] = String(rule.order)
                problems.append("The ACL of endpoint \(endpoint.name) denies \(client.description) by \(rule.label)")
                summaries.append("denied by ACL \(rule.label)")
                let taken = Set(endpoint.acl.rules.map(\.order))
                if let free = stride(from: rule.order - 1, through: 0, by: -1).first(where: { !taken.contains($0) }) {
                    provides["acl-order"] = String(free)
                } else {
                    problems.append("no ACL order before \(rule.order) is free for a permit rule: change \(rule.label)")
                }
            } else {
                evidence["acl-decision"] = "deny (no rule matches and the ACL has permit rules)"
                let permits = endpoint.acl.rules.filter { $0.action == .permit }.map(\.remoteSubnet).joined(
                    separator: ", ")
                problems.append(
                    "The ACL of endpoint \(endpoint.name) denies \(client.description): no rule matches, and its permit rules (\(permits)) deny everyone else"
                )
                summaries.append("denied by ACL: \(client.description) matches no permit rule")
                // No rule matches the client: a permit after the last one decides for it alone.
                provides["acl-order"] = String((endpoint.acl.rules.map(\.order).max() ?? 99) + 1)
            }
        }
        if problems.isEmpty {
            return .pass(
                "endpoint \(endpoint.name) \(endpoint.publicPort)→\(endpoint.localPort), ACL permits \(client.description)",
                evidence: evidence)
        }
        // A wrong public port is the client's to change; only an ACL that denies has a cloud fix.
        return .fail(
            summaries.joined(separator: "; "), evidence: evidence, finding: problems.joined(separator: "; "),
            provides: provides["acl-order"] == nil ? [:] : provides)
    }

    /// The client as the single-address subnet an ACL rule names.
    static func subnet(of client: IPAddress) -> String {
        client.description + (client.isIPv4 ? "/32" : "/128")
    }

    /// One input endpoint of a Classic role.
    struct Endpoint: Sendable, Equatable {
        var name: String
        var publicPort: Int
        var localPort: Int
        var protocolName: String
        var acl: EndpointACL

        init(
            name: String, publicPort: Int, localPort: Int, protocolName: String = "tcp",
            acl: EndpointACL = EndpointACL(rules: [])
        ) {
            self.name = name
            self.publicPort = publicPort
            self.localPort = localPort
            self.protocolName = protocolName
            self.acl = acl
        }

        init(_ json: JSONValue, publicKey: String) throws(EarlyResult) {
            let name = json["Name"]?.text ?? "(unnamed)"
            guard let publicPort = json[publicKey]?.integer, let localPort = json["LocalPort"]?.integer else {
                throw EarlyResult(.error("endpoint \(name) has no \(publicKey) or LocalPort"))
            }
            do {
                self.init(
                    name: name, publicPort: publicPort, localPort: localPort,
                    protocolName: json["Protocol"]?.text ?? "tcp", acl: try EndpointACL(json: json["EndpointAcl"]))
            } catch {
                throw EarlyResult(.error("endpoint \(name): \(error)"))
            }
        }

        var label: String { "\(name) \(protocolName) \(publicPort)→\(localPort)" }
    }
}
