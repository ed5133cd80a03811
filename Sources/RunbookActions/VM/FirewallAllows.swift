import RunbookCore

/// `firewall-allows`: whether the VM's own firewall (iptables filter INPUT) lets a new connection to a
/// port in.
struct FirewallAllows: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "firewall-allows",
            summary: "Evaluates the VM's iptables INPUT chain for new connections to a port.",
            arguments: [
                ArgumentSpec("port", .port, default: "22", help: "Destination port."),
                ArgumentSpec("protocol", .oneOf(["tcp", "udp"]), default: "tcp", help: "Transport protocol."),
            ],
            example: "check firewall-allows port=22 protocol=tcp",
            readsVM: true)
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let port = try arguments.port("port")
        let transport = try arguments.string("protocol")
        guard ["tcp", "udp"].contains(transport) else { return .error("protocol: '\(transport)' is not tcp or udp") }

        var saveError = ""
        for program in ["iptables-save", "/usr/sbin/iptables-save", "/sbin/iptables-save"] {
            guard case .success(let output) = await runCapturing(vm, [program, "-t", "filter"], timeout: context.timeout)
            else { continue }
            guard output.succeeded else {
                saveError = output.standardError.trimmedLine
                if output.exitCode == 127 || saveError.contains("No such file") { continue }
                break
            }
            if let ruleset = IptablesRuleset.parse(output.standardOutput) {
                return Self.result(ruleset, transport: transport, port: port)
            }
            break
        }
        // No filter table from iptables: nftables may still filter.
        if case .success(let nft) = await runCapturing(vm, ["nft", "list", "ruleset"], timeout: context.timeout),
            nft.succeeded
        {
            if nft.standardOutput.nonEmptyLines.isEmpty { return .pass("no firewall rules") }
            if Self.nftAcceptsAllInput(nft.standardOutput) {
                return .pass("no firewall rules", evidence: ["nft": nft.standardOutput.truncated(to: 1000)])
            }
            return .error("nftables rules filter input; only iptables rules are evaluated",
                          evidence: ["nft": nft.standardOutput.truncated(to: 1000)])
        }
        if !saveError.isEmpty { return .error("iptables-save failed: \(saveError)") }
        return .error("neither iptables-save nor nft could list the firewall rules")
    }

    /// Whether every nftables chain on the input hook has policy accept and no rules.
    static func nftAcceptsAllInput(_ ruleset: String) -> Bool {
        var inInputChain = false
        for line in ruleset.nonEmptyLines {
            if line.hasPrefix("chain ") {
                inInputChain = false
            } else if line.hasPrefix("type ") && line.contains("hook input") {
                inInputChain = true
                if !line.contains("policy accept") { return false }
            } else if inInputChain && line != "}" {
                return false
            }
        }
        return true
    }

    static func result(_ ruleset: IptablesRuleset, transport: String, port: Int) -> CheckResult {
        let policy = ruleset.policies["INPUT"] ?? "ACCEPT"
        if !ruleset.hasRules && policy == "ACCEPT" {
            return .pass("no firewall rules", evidence: ["policy": policy])
        }
        let decision = ruleset.decide(transport: transport, port: port)
        let what = "\(transport)/\(port)"
        var evidence = ["verdict": decision.verdict.rawValue, "policy": policy]
        if let rule = decision.rule { evidence["rule"] = rule }
        if !decision.assumptions.isEmpty {
            evidence["assumed"] = decision.assumptions.joined(separator: "; ")
        }
        let by = decision.rule ?? "policy \(policy) (no rule matches)"
        switch decision.verdict {
        case .accept:
            let assuming = decision.assumptions.isEmpty ? "" : " (if the client matches \(decision.assumptions.joined(separator: ", ")))"
            return .pass("INPUT accepts \(what)\(assuming): \(by)", evidence: evidence)
        case .drop: return .fail("INPUT drops \(what) (silently): \(by)", evidence: evidence)
        case .reject: return .fail("INPUT rejects \(what): \(by)", evidence: evidence)
        }
    }
}
