import RunbookCore

/// `firewall-allows`: whether the VM's own firewall lets the first packet of a new connection from
/// the client to a port in — every nftables base chain on the way in (ip, ip6, inet; netdev ingress
/// on the interface) and every iptables/ip6tables chain (nf_tables and legacy backends), as the
/// kernel runs them: a packet must pass all of them, and the first that drops it decides.
struct FirewallAllows: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "firewall-allows",
            summary: "Evaluates the VM's nftables and iptables rules for a new connection from the client to a port.",
            arguments: [
                ArgumentSpec("port", .port, default: "22", help: "Destination port."),
                ArgumentSpec("protocol", .oneOf(["tcp", "udp"]), default: "tcp", help: "Transport protocol."),
                ArgumentSpec(
                    "client-ip", .string,
                    help: "The client's address as the VM sees it (behind NAT: the public address). "
                        + "Default: this machine's source address toward host."),
                ArgumentSpec("host", .string, help: "The VM's address or name as the client reaches it."),
            ],
            example: "check firewall-allows port=22 protocol=tcp host=10.0.0.4",
            readsVM: true)
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let port = try arguments.port("port")
        let transport = try arguments.string("protocol")
        guard ["tcp", "udp"].contains(transport) else { return .error("protocol: '\(transport)' is not tcp or udp") }

        // The packet: who sends it (the client as the VM sees it), where it arrives.
        var evidence: [String: String] = [:]
        var source: IPAddress?
        var sourceGiven = false
        var family: FirewallPacket.Family = .ipv4
        if let text = arguments.optional("client-ip") {
            guard let address = IPAddress(text) else { return .error("client-ip: '\(text)' is not an IP address") }
            source = address
            sourceGiven = true
            evidence["source"] = "\(address) (client-ip)"
        } else if let host = arguments.optional("host") {
            try requireNotOption(host, argument: "host")
            if let target = await Self.resolve(host, on: context.local, timeout: context.timeout) {
                family = target.family
                if let route = await Self.route(to: target, on: context.local, timeout: context.timeout),
                    let address = route.source
                {
                    source = address
                    evidence["source"] = "\(address) (this machine's address toward \(host); behind NAT the VM sees another)"
                }
            }
        }
        if let source { family = source.family }
        var packet = FirewallPacket(family: family, transport: transport, destinationPort: port)
        packet.source = source
        if let source, let route = await Self.route(to: source, on: vm, timeout: context.timeout) {
            packet.inputInterface = route.device
            packet.destination = route.source
        }
        evidence["packet"] = packet.description

        // The rules, from every tool that lists them.
        let sources = await Self.collect(vm, family: family, timeout: context.timeout)
        guard !sources.chains(for: packet).isEmpty || sources.listedAnything else {
            return .error(sources.problems.isEmpty ? "neither nft nor iptables-save could list the firewall rules"
                          : sources.problems.joined(separator: "; "))
        }
        evidence["firewalls"] = sources.names.joined(separator: ", ")
        if sources.acceptsEverything {
            return .pass("no firewall rules", evidence: evidence)
        }
        if !sources.notes.isEmpty { evidence["notes"] = sources.notes.joined(separator: "; ") }

        let decision = Self.decide(sources.chains(for: packet))
        var result = Self.result(decision, packet: packet, evidence: evidence)
        // The source was worked out, not given: say whether another client address (NAT) would change it.
        if !sourceGiven, packet.source != nil {
            var anySource = packet
            anySource.source = nil
            let other = Self.decide(sources.chains(for: anySource))
            if other.kind != decision.kind, let outcome = other.outcome, let first = outcome.assumptions.first {
                result.evidence["depends-on-source"] = "\(Self.withoutReason(Self.withoutChoice(first))) depends on "
                    + "the client's address; behind NAT give client-ip (the address the VM sees)"
            }
        }
        return result
    }

    // MARK: Deciding

    struct Decision {
        enum Kind: Equatable { case pass, blocked, undecided }
        var kind: Kind
        /// The chain that decides: the one that blocks, the first undecided one, or the first that accepts by a rule.
        var chain: HookChain?
        var outcome: ChainOutcome?
        /// What each chain passed did.
        var passed: [(chain: HookChain, outcome: ChainOutcome)] = []
    }

    /// Runs the packet through `chains` in the kernel's order (hook, then priority): every chain must
    /// accept it; the first that drops or rejects it on every path decides.
    static func decide(_ chains: [HookChain]) -> Decision {
        let ordered = chains.enumerated().sorted { left, right in
            (left.element.hook.rawValue, left.element.priority, left.offset)
                < (right.element.hook.rawValue, right.element.priority, right.offset)
        }.map(\.element)
        var undecided: (HookChain, ChainOutcome)?
        var passed: [(chain: HookChain, outcome: ChainOutcome)] = []
        for chain in ordered {
            let blocking = chain.outcomes.filter { $0.verdict != .accept }
            if !chain.outcomes.isEmpty && blocking.count == chain.outcomes.count {
                let outcome = blocking.first { $0.assumptions.isEmpty } ?? blocking[0]
                return Decision(kind: .blocked, chain: chain, outcome: outcome, passed: passed)
            }
            if blocking.isEmpty {
                if let outcome = chain.outcomes.first { passed.append((chain, outcome)) }
            } else if undecided == nil {
                undecided = (chain, blocking.first { !$0.assumptions.isEmpty } ?? blocking[0])
            }
        }
        if let (chain, outcome) = undecided {
            return Decision(kind: .undecided, chain: chain, outcome: outcome, passed: passed)
        }
        let accepting = passed.first { $0.outcome.rule != nil } ?? passed.first
        return Decision(kind: .pass, chain: accepting?.chain, outcome: accepting?.outcome, passed: passed)
    }

    static func result(_ decision: Decision, packet: FirewallPacket, evidence base: [String: String]) -> CheckResult {
        var evidence = base
        let what = "\(packet.transport)/\(packet.destinationPort)"
        let from = packet.source.map { " from \($0)" } ?? ""
        if !decision.passed.isEmpty {
            evidence["passed"] = decision.passed.map { chain, outcome in
                "\(chain.source) \(chain.table)/\(chain.chain): \(outcome.rule ?? outcome.position ?? "accept")"
            }.joined(separator: "; ")
        }
        guard let chain = decision.chain, let outcome = decision.outcome else {
            return .pass("lets \(what) in\(from)", evidence: evidence)
        }
        evidence["table"] = "\(chain.source) \(chain.table)"
        evidence["chain"] = "\(chain.chain) (hook \(chain.hook.name), priority \(chain.priority))"
        evidence["verdict"] = outcome.verdict.rawValue
        if let rule = outcome.rule {
            evidence["rule"] = rule
            if let position = outcome.position { evidence["position"] = position }
        } else {
            evidence["policy"] = chain.policy
        }
        let unevaluated = chain.outcomes.flatMap(\.assumptions)
        if !unevaluated.isEmpty { evidence["assumed"] = Array(Set(unevaluated)).sorted().joined(separator: "; ") }
        if !outcome.notes.isEmpty { evidence["notes"] = ([evidence["notes"]].compactMap { $0 } + outcome.notes).joined(separator: "; ") }
        let by = outcome.rule.map { "\($0) (\(outcome.position ?? "rule"))" }
            ?? "policy \(chain.policy) (no rule matches)"
        let place = "\(chain.source) table \(chain.table) chain \(chain.chain)"
        switch decision.kind {
        case .pass:
            return .pass("lets \(what) in\(from): \(place) accepts by \(by)", evidence: evidence)
        case .blocked:
            let verb = outcome.verdict == .reject ? "rejects" : "drops"
            return .fail("\(place) \(verb) \(what)\(from): \(by)", evidence: evidence)
        case .undecided:
            let unknown = outcome.assumptions.first.map(Self.withoutChoice) ?? "\(place)"
            return .error("unknown (\(unknown)): \(place) may drop \(what)\(from)", evidence: evidence)
        }
    }

    /// `rule 3 of chain input: x (why)` → `rule 3 of chain input: x`.
    static func withoutReason(_ text: String) -> String {
        guard text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards) else { return text }
        return String(text[..<open.lowerBound])
    }

    /// `rule 3 of chain input: x (why) taken as matching` → `rule 3 of chain input: x (why)`.
    static func withoutChoice(_ assumption: String) -> String {
        for suffix in [" taken as matching", " taken as not matching"] where assumption.hasSuffix(suffix) {
            return String(assumption.dropLast(suffix.count))
        }
        return assumption
    }

    // MARK: Reading the rules

    /// What the VM's tools listed.
    struct Sources {
        var nft: NftRuleset?
        /// iptables/ip6tables rulesets with the name of their backend (`iptables-nft`, `iptables-legacy`).
        var iptables: [(name: String, ruleset: IptablesRuleset)] = []
        var problems: [String] = []
        var notes: [String] = []

        var listedAnything: Bool { nft != nil || !iptables.isEmpty }

        var names: [String] {
            (nft.flatMap { $0.tables.isEmpty ? nil : ["nftables (\($0.tables.joined(separator: ", ")))"] } ?? [])
                + iptables.map(\.name)
        }

        var acceptsEverything: Bool {
            (nft?.acceptsEverything ?? true) && iptables.allSatisfy(\.ruleset.acceptsEverything)
        }

        func chains(for packet: FirewallPacket) -> [HookChain] {
            (nft?.hookChains(for: packet) ?? [])
                + iptables.flatMap { $0.ruleset.hookChains(for: packet, source: $0.name) }
        }
    }

    /// Lists the rules with `nft -j`, `iptables-nft-save` and `iptables-legacy-save` (ip6tables for
    /// IPv6). Tables iptables-nft made are read from its own listing (the rules as written, and its
    /// matches nft only shows as `xt`) instead of from nft's.
    static func collect(_ vm: any Executor, family: FirewallPacket.Family, timeout: Duration) async -> Sources {
        let prefix = family == .ipv4 ? "iptables" : "ip6tables"
        async let json = runFirst(vm, ["nft", "/usr/sbin/nft", "/sbin/nft"], ["-j", "list", "ruleset"], timeout)
        async let listing = runFirst(vm, ["nft", "/usr/sbin/nft", "/sbin/nft"], ["-a", "list", "ruleset"], timeout)
        async let nftSave = runFirst(vm, saveNames("\(prefix)-nft-save"), [], timeout)
        async let legacySave = runFirst(vm, saveNames("\(prefix)-legacy-save"), [], timeout)
        var sources = Sources()
        let (jsonOutput, listingOutput, nftSaveOutput, legacyOutput) = await (json, listing, nftSave, legacySave)

        var iptablesNftTables: Set<String> = []
        var plain: ProcessOutput?
        if nftSaveOutput == nil && legacyOutput == nil {
            // Before iptables 1.8 (or without the split names): one iptables-save; its header names the backend.
            plain = await runFirst(vm, saveNames("\(prefix)-save"), [], timeout)
        }
        for (name, output) in [("\(prefix)-nft", nftSaveOutput), ("\(prefix)-legacy", legacyOutput), (prefix, plain)] {
            guard let output else { continue }
            guard output.succeeded else {
                sources.problems.append("\(name)-save: \(output.standardError.trimmedLine)")
                continue
            }
            guard let ruleset = IptablesRuleset.parse(output.standardOutput) else { continue }
            let backend = name == prefix ? (ruleset.backend == "nf_tables" ? "\(prefix)-nft" : "\(prefix)-legacy") : name
            if backend.hasSuffix("-nft") {
                let nftFamily = family == .ipv4 ? "ip" : "ip6"
                iptablesNftTables.formUnion(ruleset.tables.keys.map { "\(nftFamily) \($0)" })
            }
            sources.iptables.append((backend, ruleset))
        }

        if let jsonOutput {
            if jsonOutput.succeeded {
                do {
                    var ruleset = try NftRuleset.parse(json: jsonOutput.standardOutput)
                    if let listingOutput, listingOutput.succeeded { ruleset.attachText(listingOutput.standardOutput) }
                    ruleset.remove(tables: iptablesNftTables)
                    let others = ruleset.tables.filter { $0.hasPrefix("bridge ") || $0.hasPrefix("arp ") }
                    if !others.isEmpty {
                        sources.notes.append("not on the way in to this machine: \(others.joined(separator: ", "))")
                    }
                    sources.nft = ruleset
                } catch {
                    sources.problems.append(error.description)
                }
            } else {
                sources.problems.append("nft: \(jsonOutput.standardError.trimmedLine)")
            }
        }
        if jsonOutput == nil && sources.iptables.contains(where: { $0.name.hasSuffix("-nft") }) {
            sources.notes.append("nft is not installed: tables made with nft itself (not by iptables) are not seen")
        }
        return sources
    }

    private static func saveNames(_ program: String) -> [String] {
        [program, "/usr/sbin/\(program)", "/sbin/\(program)"]
    }

    /// The output of the first of `programs` that exists there, or `nil` when none does.
    static func runFirst(_ vm: any Executor, _ programs: [String], _ arguments: [String], _ timeout: Duration) async
        -> ProcessOutput?
    {
        for program in programs {
            guard case .success(let output) = await runCapturing(vm, [program] + arguments, timeout: timeout) else {
                continue
            }
            let missing = output.exitCode == 127 || output.standardError.contains("No such file")
                || output.standardError.contains("not found")
            if missing { continue }
            return output
        }
        return nil
    }

    // MARK: Addresses and routes

    /// `host` as an address: a literal, or the first address `getent ahosts` gives on the client.
    static func resolve(_ host: String, on executor: any Executor, timeout: Duration) async -> IPAddress? {
        if let address = IPAddress(host) { return address }
        guard case .success(let output) = await runCapturing(executor, ["getent", "ahosts", "--", host], timeout: timeout),
            output.succeeded
        else { return nil }
        return output.standardOutput.nonEmptyLines.lazy.compactMap { line in
            line.split(separator: " ").first.flatMap { IPAddress(String($0)) }
        }.first
    }

    struct Route: Equatable {
        var device: String?
        var source: IPAddress?
    }

    /// `ip route get ADDRESS` there: the interface and source address it would use.
    static func route(to address: IPAddress, on executor: any Executor, timeout: Duration) async -> Route? {
        guard case .success(let output) = await runCapturing(executor, ["ip", "route", "get", address.text], timeout: timeout),
            output.succeeded
        else { return nil }
        return parseRoute(output.standardOutput)
    }

    /// `10.0.0.1 dev eth0 src 10.0.0.2 uid 0` → device `eth0`, source `10.0.0.2`.
    static func parseRoute(_ text: String) -> Route {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        var route = Route()
        for (index, word) in words.enumerated() where index + 1 < words.count {
            if word == "dev" && route.device == nil { route.device = words[index + 1] }
            if word == "src" && route.source == nil { route.source = IPAddress(words[index + 1]) }
        }
        return route
    }
}
