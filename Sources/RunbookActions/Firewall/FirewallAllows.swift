import RunbookCore

/// `firewall-allows`: whether the VM's own firewall lets the first packet of a new connection from
/// the client to a port in — every nftables base chain on the way in (ip, ip6, inet; netdev ingress
/// on the interface) and every iptables/ip6tables chain (nf_tables and legacy backends), as the
/// kernel runs them: a packet must pass all of them, and the first that drops it decides — and
/// whether the server's replies get out: the same on the way out (output, postrouting, netdev
/// egress; the reply from the port to the client's unknown port, conntrack state established).
struct FirewallAllows: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "firewall-allows",
            summary:
                "Evaluates the VM's nftables and iptables rules for a new connection from the client to a port, and for the server's replies going out.",
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
            // An IPv4 client of a dual-stack socket (`::ffff:10.0.0.1`) sends IPv4: iptables sees 10.0.0.1.
            source = address.unmapped
            sourceGiven = true
            evidence["source"] = "\(address.unmapped) (client-ip)"
        } else if let host = arguments.optional("host") {
            try requireNotOption(host, argument: "host")
            // A client that cannot run `getent` or `ip` only leaves the source unknown.
            let target = try? await IPAddress.resolve(host, on: context.local, timeout: context.timeout)
            if let target {
                family = target.family
                if let route = try? await Route.get(to: target, on: context.local, timeout: context.timeout),
                    let address = route.source
                {
                    source = address
                    evidence["source"] =
                        "\(address) (this machine's address toward \(host); behind NAT the VM sees another)"
                }
            }
        }
        if let source { family = source.family }
        var packet = FirewallPacket(family: family, transport: transport, destinationPort: port)
        packet.source = source

        // The rules, from every tool that lists them, and the way back to the client.
        let sources = await Self.collect(vm, family: family, client: source, timeout: context.timeout)
        if let route = sources.route {
            packet.inputInterface = route.device
            packet.destination = route.source
        }
        evidence["packet"] = packet.description
        if source == nil {
            evidence["source"] = "not known (give client-ip or host): rules on it are evaluated both ways"
        }
        guard sources.listedAnything else {
            return .error(
                sources.problems.isEmpty
                    ? "neither nft nor iptables-save could list the firewall rules"
                    : sources.problems.joined(separator: "; "))
        }
        evidence["firewalls"] = sources.names.joined(separator: ", ")
        if !sources.problems.isEmpty { evidence["unread"] = sources.problems.joined(separator: "; ") }
        if sources.acceptsEverything && sources.problems.isEmpty {
            return .pass("no firewall rules", evidence: evidence)
        }
        if !sources.notes.isEmpty { evidence["notes"] = sources.notes.joined(separator: "; ") }

        var decision = Self.decide(sources.chains(for: packet))
        var decided = packet
        // The way in passes (or cannot be told): the replies must get out too.
        if decision.kind != .blocked {
            let reply = packet.reply
            let out = Self.decide(sources.chains(for: reply))
            evidence["reply"] = reply.description
            if out.kind == .blocked || (out.kind == .undecided && decision.kind == .pass) {
                if decision.kind == .pass {
                    evidence["inbound"] = Self.result(decision, packet: packet, evidence: [:]).summary
                }
                decision = out
                decided = reply
            } else if let passed = Self.result(out, packet: reply, evidence: [:]).evidence["passed"] {
                evidence["reply-passed"] = passed
            }
        }
        var result = Self.result(decision, packet: decided, evidence: evidence)
        if decision.kind == .pass && !sources.problems.isEmpty {
            // Rules that could not be read may still drop the packet: no pass on half the rules.
            return .error(
                "could not read every firewall: \(sources.problems.joined(separator: "; "))",
                evidence: result.evidence)
        }
        // The source was worked out, not given: say whether another client address (NAT) would change it.
        if !sourceGiven, packet.source != nil {
            var anySource = packet
            anySource.source = nil
            let other = Self.decide(sources.chains(for: anySource))
            if other.kind != decision.kind, let outcome = other.outcome, let first = outcome.assumptions.first {
                result.evidence["depends-on-source"] =
                    "\(Self.withoutReason(Self.withoutChoice(first))) depends on "
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
        let what = (packet.isReply ? "the replies of " : "") + "\(packet.transport)/\(packet.destinationPort)"
        let from = packet.source.map { packet.isReply ? " to \($0)" : " from \($0)" } ?? ""
        let way = packet.isReply ? "out" : "in"
        if !decision.passed.isEmpty {
            evidence["passed"] = decision.passed.map { chain, outcome in
                "\(chain.source) \(chain.table)/\(chain.chain): \(outcome.rule ?? outcome.position ?? "accept")"
            }.joined(separator: "; ")
        }
        guard let chain = decision.chain, let outcome = decision.outcome else {
            return .pass("lets \(what) \(way)\(from)", evidence: evidence)
        }
        evidence["way"] = packet.isReply ? "out: the server's replies" : "in: the client's first packet"
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
        if !outcome.notes.isEmpty {
            evidence["notes"] = ([evidence["notes"]].compactMap { $0 } + outcome.notes).joined(separator: "; ")
        }
        let by =
            outcome.rule.map { "\($0) (\(outcome.position ?? "rule"))" }
            ?? "policy \(chain.policy) (no rule matches)"
        let place = "\(chain.source) table \(chain.table) chain \(chain.chain)"
        switch decision.kind {
        case .pass:
            return .pass("lets \(what) \(way)\(from): \(place) accepts by \(by)", evidence: evidence)
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
        /// The VM's route toward the client (`ip route get CLIENT`), when a client address was given.
        var route: Route?

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
    /// IPv6), and the VM's route back to the client, in one shell script (one round trip, which matters
    /// for `az vm run-command`, one command at a time). Tables iptables-nft made are read from its own
    /// listing (the rules as written, and its matches nft only shows as `xt`) instead of from nft's.
    static func collect(
        _ vm: any Executor, family: FirewallPacket.Family, client: IPAddress? = nil,
        timeout: Duration
    ) async -> Sources {
        let prefix = family == .ipv4 ? "iptables" : "ip6tables"
        var sources = Sources()
        let argv = ["sh", "-c", listingScript, "sh", prefix, client?.text ?? ""]
        let output: ProcessOutput
        switch await runCapturing(vm, argv, timeout: timeout) {
        case .success(let result): output = result
        case .failure(let error):
            sources.problems.append(error.description)
            return sources
        }
        let sections = Self.sections(output.standardOutput)
        if sections.isEmpty {
            sources.problems.append("sh: \(output.standardError.trimmedLine)")
            return sources
        }
        if let route = sections["route"], route.code == 0 { sources.route = Route.parse(route.text) }

        var iptablesNftTables: Set<String> = []
        for (section, name) in [("nft-save", "\(prefix)-nft"), ("legacy-save", "\(prefix)-legacy"), ("save", prefix)] {
            guard let listing = sections[section], listing.code != nil else { continue }
            guard listing.code == 0 else {
                sources.problems.append("\(name)-save: \(listing.text.trimmedLine)")
                continue
            }
            guard let ruleset = IptablesRuleset.parse(listing.text) else { continue }
            let backend =
                name == prefix ? (ruleset.backend == "nf_tables" ? "\(prefix)-nft" : "\(prefix)-legacy") : name
            if backend.hasSuffix("-nft") {
                let nftFamily = family == .ipv4 ? "ip" : "ip6"
                iptablesNftTables.formUnion(ruleset.tables.keys.map { "\(nftFamily) \($0)" })
            }
            sources.iptables.append((backend, ruleset))
        }

        if let json = sections["nft-json"], let code = json.code {
            if code == 0 {
                do {
                    var ruleset = try NftRuleset.parse(json: json.text)
                    if let listing = sections["nft-list"], listing.code == 0 { ruleset.attachText(listing.text) }
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
                sources.problems.append("nft: \(json.text.trimmedLine)")
            }
        } else if sources.iptables.contains(where: { $0.name.hasSuffix("-nft") }) {
            sources.notes.append("nft is not installed: tables made with nft itself (not by iptables) are not seen")
        }
        return sources
    }

    /// Prints each listing as `@@runbook-section NAME CODE` (or `NAME missing`) and its output; on
    /// failure the output is the command's error text. `$1` is `iptables` or `ip6tables`, `$2` the
    /// client's address (or empty).
    static let listingScript = #"""
        PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"
        section() {
            name=$1; shift
            if ! command -v "$1" >/dev/null 2>&1; then printf '@@runbook-section %s missing\n' "$name"; return; fi
            if out=$("$@" 2>/dev/null); then code=0; else code=$?; out=$("$@" 2>&1 >/dev/null); fi
            printf '@@runbook-section %s %s\n%s\n' "$name" "$code" "$out"
        }
        section nft-json nft -j list ruleset
        section nft-list nft -a list ruleset
        section nft-save "$1-nft-save"
        section legacy-save "$1-legacy-save"
        if ! command -v "$1-nft-save" >/dev/null 2>&1 && ! command -v "$1-legacy-save" >/dev/null 2>&1; then
            section save "$1-save"
        fi
        if [ -n "$2" ]; then section route ip route get "$2"; fi
        """#

    struct Section: Equatable {
        /// The exit code, `nil` when the program is not installed.
        var code: Int?
        var text: String
    }

    /// The sections of ``listingScript``'s output by name.
    static func sections(_ output: String) -> [String: Section] {
        var result: [String: Section] = [:]
        var name: String?
        var section = Section(code: nil, text: "")
        var lines: [Substring] = []
        func finish() {
            if let name {
                section.text = lines.joined(separator: "\n")
                result[name] = section
            }
            lines = []
        }
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@@runbook-section ") {
                finish()
                let words = line.split(separator: " ")
                name = words.count >= 3 ? String(words[1]) : nil
                section = Section(code: words.count >= 3 ? Int(words[2]) : nil, text: "")
            } else {
                lines.append(line)
            }
        }
        finish()
        return result
    }
}
