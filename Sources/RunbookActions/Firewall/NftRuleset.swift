/// An nftables ruleset as `nft -j list ruleset` prints it, and how its base chains treat a packet.
///
/// Evaluated the way `nf_tables` does: each base chain of a hook the packet passes (netdev
/// `ingress` on its interface, `prerouting`, `input` on the way in; `output`, `postrouting`,
/// netdev `egress` for a reply on the way out, where `nat` chains are not consulted: they see
/// only a connection's first packet) in priority order; within a chain the rules
/// in order, each rule's statements left to right until a match fails or a verdict ends it;
/// `jump` pushes a return point (at most 16 deep), `goto` does not, `return` and the end of a
/// regular chain go back, the end of a base chain applies its policy. An `accept` ends only that
/// base chain; `drop` and `reject` are final.
struct NftRuleset: Sendable {
    struct Rule: Sendable {
        var handle: Int
        var expressions: [JSONValue]
        /// The rule as `nft -a list ruleset` writes it (counters left out), when that listing was read.
        var text: String?
    }

    struct Chain: Sendable {
        var family: String
        var table: String
        var name: String
        var type: String?
        var hook: String?
        var priority: Int?
        var policy: String?
        var devices: [String] = []
        var rules: [Rule] = []

        var isBase: Bool { hook != nil }
    }

    struct NamedSet: Sendable {
        var elements: [JSONValue]
        var isMap: Bool
    }

    /// `family name` of each table, in listing order.
    var tables: [String] = []
    var chains: [String: Chain] = [:]
    var chainOrder: [String] = []
    var sets: [String: NamedSet] = [:]

    static func key(_ family: String, _ table: String, _ name: String) -> String { "\(family) \(table) \(name)" }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `nft -j list ruleset`.
    static func parse(json text: String) throws(ParseError) -> NftRuleset {
        let document: JSONValue
        do { document = try JSONValue.parse(text) } catch {
            throw ParseError(description: "nft -j printed no JSON: \(error.detail.truncated(to: 200))")
        }
        guard let items = document["nftables"]?.array else {
            throw ParseError(description: "nft -j printed no \"nftables\" array")
        }
        var ruleset = NftRuleset()
        for item in items {
            guard let (kind, body) = item.single else { continue }
            let family = body["family"]?.string ?? ""
            switch kind {
            case "table":
                ruleset.tables.append("\(family) \(body["name"]?.string ?? "")")
            case "chain":
                let table = body["table"]?.string ?? ""
                let name = body["name"]?.string ?? ""
                var chain = Chain(family: family, table: table, name: name)
                chain.type = body["type"]?.string
                chain.hook = body["hook"]?.string
                chain.priority = body["prio"]?.int
                chain.policy = body["policy"]?.string
                if let device = body["dev"]?.string { chain.devices = [device] }
                if let devices = body["dev"]?.array { chain.devices = devices.compactMap(\.string) }
                let key = Self.key(family, table, name)
                if ruleset.chains[key] == nil { ruleset.chainOrder.append(key) }
                ruleset.chains[key] = chain
            case "rule":
                let key = Self.key(family, body["table"]?.string ?? "", body["chain"]?.string ?? "")
                let rule = Rule(handle: body["handle"]?.int ?? 0, expressions: body["expr"]?.array ?? [])
                ruleset.chains[
                    key,
                    default: Chain(
                        family: family, table: body["table"]?.string ?? "",
                        name: body["chain"]?.string ?? "")
                ].rules.append(rule)
            case "set", "map":
                let key = Self.key(family, body["table"]?.string ?? "", body["name"]?.string ?? "")
                ruleset.sets[key] = NamedSet(elements: body["elem"]?.array ?? [], isMap: kind == "map")
            default:
                continue
            }
        }
        return ruleset
    }

    /// Adds each rule's text from `nft -a list ruleset` (matched by table, chain and handle).
    mutating func attachText(_ listing: String) {
        var table = ""
        var chain = ""
        var depth = 0
        for rawLine in listing.split(whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmingCharacters(in: " ")
            let words = line.split(separator: " ").map(String.init)
            if depth == 0, words.first == "table", words.count >= 3 {
                table = "\(words[1]) \(words[2])"
            } else if depth == 1, words.first == "chain", words.count >= 2 {
                chain = words[1]
            } else if depth == 2, !chain.isEmpty, words.first == "type",
                let device = line.range(of: " device ") ?? line.range(of: " devices = ")
            {
                // JSON of older nft leaves out the devices of ingress chains:
                // `type filter hook ingress device "eth0" …`.
                let key = "\(table) \(chain)"
                let rest = line[device.upperBound...]
                let list = rest.hasPrefix("{") ? rest.prefix { $0 != "}" } : rest.prefix { $0 != " " && $0 != ";" }
                let names = list.split(whereSeparator: { " {},\"".contains($0) }).map(String.init)
                if chains[key]?.devices.isEmpty == true { chains[key]?.devices = names }
            } else if depth == 2, !chain.isEmpty, let marker = line.range(of: " # handle ", options: .backwards),
                let handle = Int(line[marker.upperBound...])
            {
                let key = "\(table) \(chain)"
                if var found = chains[key], let index = found.rules.firstIndex(where: { $0.handle == handle }) {
                    found.rules[index].text = Self.withoutCounterValues(String(line[..<marker.lowerBound]))
                    chains[key] = found
                }
            }
            // Braces outside quoted strings open and close tables, chains, sets and anonymous sets.
            var quoted = false
            for character in line {
                if character == "\"" { quoted.toggle() }
                if quoted { continue }
                if character == "{" { depth += 1 }
                if character == "}" { depth = max(0, depth - 1) }
            }
            if depth < 2 { chain = "" }
            if depth < 1 { table = "" }
        }
    }

    /// `counter packets 3 bytes 180` → `counter`.
    static func withoutCounterValues(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var kept: [String] = []
        var index = 0
        while index < words.count {
            kept.append(words[index])
            if words[index] == "counter", words[safe: index + 1] == "packets", words[safe: index + 3] == "bytes",
                index + 4 < words.count
            {
                index += 5
            } else {
                index += 1
            }
        }
        return kept.joined(separator: " ")
    }

    /// Removes the tables `family name` (those read from `iptables-nft-save` instead).
    mutating func remove(tables removed: Set<String>) {
        tables.removeAll { removed.contains($0) }
        for (key, chain) in chains where removed.contains("\(chain.family) \(chain.table)") {
            chains[key] = nil
        }
        chainOrder.removeAll { chains[$0] == nil }
    }

    /// Whether a table holds `xt` expressions (rules iptables-nft could not translate).
    func hasCompatExpressions(table: String) -> Bool {
        chains.values.contains { chain in
            "\(chain.family) \(chain.table)" == table
                && chain.rules.contains { $0.expressions.contains { $0["xt"] != nil } }
        }
    }

    /// Whether no base chain on the way in has a rule or a policy other than accept.
    var acceptsEverything: Bool {
        chains.values.allSatisfy { chain in
            !chain.isBase || (chain.rules.isEmpty && (chain.policy ?? "accept") == "accept")
        }
    }

    /// The families whose chains see a packet of `family`.
    static func families(for family: FirewallPacket.Family) -> Set<String> {
        family == .ipv4 ? ["ip", "inet"] : ["ip6", "inet"]
    }

    /// The base chains the packet passes, each with what it does to the packet.
    func hookChains(for packet: FirewallPacket) -> [HookChain] {
        var result: [HookChain] = []
        for key in chainOrder {
            guard let chain = chains[key], let hook = Self.hook(of: chain, for: packet) else { continue }
            let evaluator = NftEvaluator(ruleset: self, packet: packet, family: chain.family, table: chain.table)
            let (outcomes, complete) = explorePaths { chooser in evaluator.run(chain, chooser: &chooser) }
            var all = outcomes
            if !complete {
                all.append(
                    ChainOutcome(
                        verdict: .drop, rule: nil, position: nil,
                        assumptions: ["more than \(firewallPathLimit) paths through unevaluated matches"]))
            }
            result.append(
                HookChain(
                    source: "nftables", table: "\(chain.family) \(chain.table)", chain: chain.name, hook: hook,
                    priority: chain.priority ?? 0, policy: chain.policy ?? "accept", outcomes: all))
        }
        return result
    }
}

extension NftRuleset {
    /// The hook at which `chain` sees the packet, or nil when it does not: a chain of another
    /// family or direction, a device-bound chain of another interface, a `nat` chain for a reply.
    static func hook(of chain: Chain, for packet: FirewallPacket) -> HookChain.Hook? {
        guard let hookName = chain.hook else { return nil }
        let families = families(for: packet.family)
        // Bound to devices: it sees the packet only on the interface it comes in on (or leaves by).
        func onInterface() -> Bool {
            guard let interface = packet.inputInterface, !chain.devices.isEmpty else { return true }
            return chain.devices.contains(interface)
        }
        if packet.isReply {
            if chain.type == "nat" { return nil }
            switch (chain.family, hookName) {
            case ("netdev", "egress"): return onInterface() ? .egress : nil
            case (let family, "output") where families.contains(family): return .output
            case (let family, "postrouting") where families.contains(family): return .postrouting
            default: return nil
            }
        }
        switch (chain.family, hookName) {
        case ("netdev", "ingress"), ("inet", "ingress"): return onInterface() ? .ingress : nil
        case (let family, "prerouting") where families.contains(family): return .prerouting
        case (let family, "input") where families.contains(family): return .input
        default: return nil
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// Follows one packet through one base chain of an ``NftRuleset``.
struct NftEvaluator {
    let ruleset: NftRuleset
    let packet: FirewallPacket
    /// The table of the base chain: jumps, gotos and `@set` references stay inside it.
    let family: String
    let table: String

    /// A value the packet has for an expression on the left of a match.
    indirect enum Field {
        case int(Int)
        /// Some value in this range, unknown which (the client's source port).
        case someInt(ClosedRange<Int>, String)
        case address(IPAddress)
        /// An interface name (compared with `*` wildcards).
        case interface(String)
        case symbol(String)
        case flags(Set<String>)
        case bool(Bool)
        case concat([Field])
        /// The expression's dependency does not hold (`tcp dport` of a UDP packet): no match.
        case absent
        case unknown(String)
    }

    private enum Step {
        case next
        case verdict(ChainOutcome.Verdict)
        case jump(String)
        case goto(String)
        case `return`
    }

    func run(_ base: NftRuleset.Chain, chooser: inout PathChooser) -> ChainOutcome {
        var notes: [String] = []
        var stack: [(chain: NftRuleset.Chain, next: Int)] = []
        var chain = base
        var index = 0
        var steps = 0
        func policyOutcome() -> ChainOutcome {
            let policy = base.policy ?? "accept"
            return ChainOutcome(
                verdict: policy == "drop" ? .drop : .accept, rule: nil,
                position: "policy \(policy) of chain \(base.name)", notes: notes)
        }
        while steps < 100_000 {
            steps += 1
            guard index < chain.rules.count else {
                // The end of a regular chain returns; of the base chain, the policy decides.
                guard let back = stack.popLast() else { return policyOutcome() }
                chain = back.chain
                index = back.next
                continue
            }
            let rule = chain.rules[index]
            let position = "rule \(index + 1) of chain \(chain.name)"
            index += 1
            let step = evaluate(rule, at: position, chooser: &chooser, notes: &notes)
            switch step {
            case .next:
                continue
            case .verdict(let verdict):
                return ChainOutcome(verdict: verdict, rule: text(of: rule), position: position, notes: notes)
            case .jump(let target), .goto(let target):
                guard let next = ruleset.chains[NftRuleset.key(chain.family, chain.table, target)] else {
                    notes.append("\(position): jump to a missing chain \(target)")
                    continue
                }
                if case .jump = step {
                    guard stack.count < 16 else {
                        notes.append("\(position): more than 16 nested jumps")
                        return ChainOutcome(verdict: .drop, rule: text(of: rule), position: position, notes: notes)
                    }
                    stack.append((chain, index))
                }
                chain = next
                index = 0
            case .return:
                guard let back = stack.popLast() else { return policyOutcome() }
                chain = back.chain
                index = back.next
            }
        }
        return ChainOutcome(verdict: .drop, rule: nil, position: "loop", assumptions: ["evaluation did not end"])
    }

    func text(of rule: NftRuleset.Rule) -> String {
        rule.text ?? rule.expressions.map(\.compact).joined(separator: " ")
    }

    private func evaluate(
        _ rule: NftRuleset.Rule, at position: String, chooser: inout PathChooser,
        notes: inout [String]
    ) -> Step {
        for expression in rule.expressions {
            guard let (kind, body) = expression.single else {
                if chooser.choose("\(position): \(expression.compact)", because: "not understood") { continue }
                return .next
            }
            switch kind {
            case "match":
                let holds = match(body)
                switch holds {
                case .yes: continue
                case .no: return .next
                case .unknown(let why):
                    if chooser.choose("\(position): \(describe(body))", because: why) { continue }
                    return .next
                }
            case "accept": return .verdict(.accept)
            case "drop": return .verdict(.drop)
            case "reject": return .verdict(.reject)
            case "continue": return .next
            case "return": return .return
            case "jump": return .jump(body["target"]?.string ?? "")
            case "goto": return .goto(body["target"]?.string ?? "")
            case "vmap":
                guard let verdict = lookupVerdict(body, at: position, chooser: &chooser) else { return .next }
                return verdict
            case "counter", "log", "mangle", "notrack", "ct helper", "ct timeout", "ct expectation", "secmark":
                continue
            case "limit":
                // A single new connection stays under a rate: `limit rate N` holds, `limit rate over N` does not.
                if body["inv"] == .bool(true) { return .next }
                continue
            case "set", "meter", "dynset":
                // Adds the packet's key to a set (for later packets); a limit inside is not exceeded by one packet.
                continue
            case "dnat", "snat", "redirect", "masquerade":
                notes.append("\(position): \(kind) \(body.compact) ends the chain (the destination may be rewritten)")
                return .verdict(.accept)
            case "xt":
                let name = body["name"]?.string ?? "?"
                let isTarget = body["type"]?.string == "target"
                let taken = chooser.choose(
                    "\(position): iptables \(isTarget ? "target" : "match") \(name)",
                    because: "an xt expression nft cannot show; read it with iptables-nft-save")
                if isTarget { if taken { return .verdict(.drop) } else { continue } }
                if taken { continue }
                return .next
            default:
                // queue, quota, fwd, dup, synproxy, and anything newer: decided elsewhere or not understood.
                if chooser.choose("\(position): \(expression.compact)", because: "statement \(kind) not evaluated") {
                    continue
                }
                return .next
            }
        }
        return .next
    }

    /// A `vmap`: the verdict of the element the key matches, or `nil` when none does.
    private func lookupVerdict(_ body: JSONValue, at position: String, chooser: inout PathChooser) -> Step? {
        guard let key = body["key"] else { return nil }
        let field = value(of: key)
        if case .absent = field { return nil }
        var entries: [JSONValue] = []
        if let data = body["data"] {
            if let name = data.string, name.hasPrefix("@") {
                entries = namedSet(String(name.dropFirst()))?.elements ?? []
            } else {
                entries = data["set"]?.array ?? []
            }
        }
        for entry in entries {
            guard let pair = entry.array, pair.count == 2 else { continue }
            var holds = member(field, pair[0])
            if case .unknown(let why) = holds {
                holds =
                    chooser.choose("\(position): vmap key \(describe(key)) is \(pair[0].compact)", because: why)
                    ? .yes : .no
            }
            guard holds == .yes else { continue }
            guard let (verdict, target) = pair[1].single else { return nil }
            switch verdict {
            case "accept": return .verdict(.accept)
            case "drop": return .verdict(.drop)
            case "reject": return .verdict(.reject)
            case "jump": return .jump(target["target"]?.string ?? "")
            case "goto": return .goto(target["target"]?.string ?? "")
            case "return": return .return
            default: return .next
            }
        }
        return nil
    }

    private func namedSet(_ name: String) -> NftRuleset.NamedSet? {
        ruleset.sets[NftRuleset.key(family, table, name)]
    }

    /// A short text of a match, for assumptions: `ip saddr == @blocked`.
    func describe(_ body: JSONValue) -> String {
        let op = body["op"]?.string ?? "=="
        let right = body["right"].map { $0.string ?? $0.compact } ?? "?"
        return "\(describeExpression(body["left"])) \(op) \(right)"
    }

    func describeExpression(_ expression: JSONValue?) -> String {
        guard let expression, let (kind, body) = expression.single else { return expression?.compact ?? "?" }
        switch kind {
        case "payload": return "\(body["protocol"]?.string ?? "?") \(body["field"]?.string ?? "?")"
        case "meta": return "meta \(body["key"]?.string ?? "?")"
        case "ct": return "ct \(body["key"]?.string ?? "?")"
        default: return expression.compact
        }
    }

    // MARK: Matches

    func match(_ body: JSONValue) -> Tri {
        guard let left = body["left"], let right = body["right"] else { return .unknown("a match without operands") }
        let op = body["op"]?.string ?? "=="
        let field = value(of: left)
        switch field {
        case .absent: return .no
        case .unknown(let why): return .unknown(why)
        default: break
        }
        switch op {
        case "==": return member(field, right)
        case "!=": return member(field, right).negated
        case "in":
            if case .flags(let flags) = field { return Tri(!flags.isDisjoint(with: flagNames(right))) }
            return member(field, right)
        case "<", ">", "<=", ">=":
            guard let bound = number(right) else { return .unknown("cannot compare with \(right.compact)") }
            switch field {
            case .int(let value): return Tri(compare(value, op, bound))
            case .someInt(let range, let why):
                let low = compare(range.lowerBound, op, bound)
                let high = compare(range.upperBound, op, bound)
                return low == high ? Tri(low) : .unknown(why)
            default: return .unknown("cannot compare \(describeExpression(left)) by \(op)")
            }
        default:
            return .unknown("operator \(op)")
        }
    }

    private func compare(_ value: Int, _ op: String, _ bound: Int) -> Bool {
        switch op {
        case "<": value < bound
        case ">": value > bound
        case "<=": value <= bound
        default: value >= bound
        }
    }

    /// The packet's value of a left-hand expression.
    func value(of expression: JSONValue) -> Field {
        guard let (kind, body) = expression.single else {
            return .unknown("expression \(expression.compact) not understood")
        }
        switch kind {
        case "payload": return payload(body)
        case "meta": return meta(body["key"]?.string ?? "")
        case "ct": return conntrack(body)
        case "fib": return fib(body)
        case "concat":
            return .concat((body.array ?? []).map(value(of:)))
        case "&":
            guard let operands = body.array, operands.count == 2 else { return .unknown("& \(body.compact)") }
            let inner = value(of: operands[0])
            switch inner {
            case .flags(let flags): return .flags(flags.intersection(flagNames(operands[1])))
            case .int(let value):
                guard let mask = number(operands[1]) else { return .unknown("mask \(operands[1].compact)") }
                return .int(value & mask)
            case .absent, .unknown: return inner
            default: return .unknown("& on \(describeExpression(operands[0]))")
            }
        default:
            return .unknown("\(kind) expression not evaluated")
        }
    }

    private func payload(_ body: JSONValue) -> Field {
        guard let proto = body["protocol"]?.string, let field = body["field"]?.string else {
            return .unknown("raw payload \(body.compact)")
        }
        switch proto {
        case "tcp", "udp", "th":
            if proto != "th" && proto != packet.transport { return .absent }
            // The VM's port is the destination of a packet coming in and the source of a reply.
            let serverPort = Field.int(packet.destinationPort)
            let clientPort = Field.someInt(FirewallPacket.ephemeralPorts, packet.clientPortUnknown)
            switch field {
            case "dport": return packet.isReply ? clientPort : serverPort
            case "sport": return packet.isReply ? serverPort : clientPort
            case "flags" where packet.transport == "tcp": return .flags(packet.tcpFlags)
            default: return .unknown("\(proto) \(field) not evaluated")
            }
        case "ip", "ip6":
            if (proto == "ip") != (packet.family == .ipv4) { return .absent }
            switch field {
            case "saddr", "daddr":
                let isClient = (field == "saddr") != packet.isReply
                guard let address = field == "saddr" ? packet.packetSource : packet.packetDestination else {
                    return .unknown(
                        isClient
                            ? "the client's address is not known" : "the VM's address toward the client is not known")
                }
                return .address(address)
            case "protocol", "nexthdr": return .int(packet.protocolNumber)
            case "version": return .int(packet.family == .ipv4 ? 4 : 6)
            // A TCP SYN or a small UDP datagram is not fragmented (Linux sets don't-fragment).
            case "frag-off" where proto == "ip": return .int(packet.transport == "tcp" ? 0x4000 : 0)
            case "hdrlength" where proto == "ip": return .int(5)
            default: return .unknown("\(proto) \(field) not evaluated")
            }
        case "ether", "vlan", "arp":
            return .unknown("\(proto) \(field) not evaluated")
        default:
            return .absent  // icmp, icmpv6, sctp, dccp, esp…: not this packet's header
        }
    }

    private func meta(_ key: String) -> Field {
        switch key {
        case "nfproto": return .symbol(packet.family.rawValue)
        case "protocol": return .symbol(packet.family == .ipv4 ? "ip" : "ip6")
        case "iifname", "iif", "oifname", "oif":
            // A packet coming in has no output interface yet, a reply leaving no input interface.
            guard key.hasPrefix("i") != packet.isReply else { return .absent }
            guard let interface = packet.inputInterface else {
                return .unknown("the interface toward the client is not known")
            }
            return .interface(interface)
        case "skuid", "skgid":
            // No local socket on the way in; a reply leaves from sshd's socket, whose owner is not read here.
            return packet.isReply ? .unknown("meta \(key) of the server's socket not evaluated") : .absent
        case "oiftype", "oifgroup":
            return packet.isReply ? .unknown("meta \(key) not evaluated") : .absent
        case "pkttype": return .symbol("host")
        case "mark", "priority": return .int(0)
        case "iiftype": return .symbol("ether")
        case "l4proto": return .int(packet.protocolNumber)
        default: return .unknown("meta \(key) not evaluated")
        }
    }

    private func conntrack(_ body: JSONValue) -> Field {
        switch body["key"]?.string ?? "" {
        case "state": return .flags([packet.conntrackState])
        case "direction": return .symbol(packet.isReply ? "reply" : "original")
        case "status": return .flags([])
        case "mark", "zone": return .int(0)
        case "l3proto": return .symbol(packet.family.rawValue)
        case "protocol", "proto": return .int(packet.protocolNumber)
        case "saddr", "ip saddr", "ip6 saddr":
            return packet.source.map(Field.address) ?? .unknown("the client's address is not known")
        case "daddr", "ip daddr", "ip6 daddr":
            return packet.destination.map(Field.address) ?? .unknown("the VM's address is not known")
        case "proto-dst": return .int(packet.destinationPort)
        case "proto-src": return .someInt(FirewallPacket.ephemeralPorts, "the client's source port is not known")
        case let key: return .unknown("ct \(key) not evaluated")
        }
    }

    private func fib(_ body: JSONValue) -> Field {
        let flags = Set((body["flags"]?.array ?? [body["flags"] ?? .null]).compactMap(\.string))
        let result = body["result"]?.string ?? ""
        switch result {
        case "type":
            // The VM's own address is local, the client's unicast (a packet coming in goes to the VM, a reply from it).
            return .symbol(flags.contains("daddr") != packet.isReply ? "local" : "unicast")
        case "oif", "oifname":
            if flags.contains("saddr") && flags.contains("iif") {
                // Reverse path: the route back to the client leaves by the interface it came in on.
                guard let interface = packet.inputInterface else {
                    return .unknown("the interface toward the client is not known")
                }
                return result == "oif" ? .bool(true) : .interface(interface)
            }
            return .unknown("fib \(flags.sorted().joined(separator: " . ")) \(result) not evaluated")
        default:
            return .unknown("fib \(result) not evaluated")
        }
    }

    // MARK: Values on the right

    /// Whether the field's value is (one of) `right`.
    func member(_ field: Field, _ right: JSONValue) -> Tri {
        if let name = right.string, name.hasPrefix("@") {
            guard let set = namedSet(String(name.dropFirst())) else { return .unknown("set \(name) not listed") }
            return any(set.elements.map { $0.array?.first ?? $0 }, field)
        }
        if let elements = right["set"]?.array {
            return any(elements.map { $0.array?.first ?? $0 }, field)
        }
        if case .flags(let flags) = field {
            // A bitmask compared with ==: exactly these flags.
            return Tri(flags == flagNames(right))
        }
        return equals(field, right)
    }

    private func any(_ elements: [JSONValue], _ field: Field) -> Tri {
        if case .someInt(let range, let why) = field {
            // Covered entirely, not at all, or partly (then unknown).
            var covered = 0
            var ranges: [ClosedRange<Int>] = []
            for element in elements {
                guard let span = intSpan(unwrap(element)) else { return .unknown(why) }
                ranges.append(span)
            }
            var position = range.lowerBound
            for span in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                let low = max(span.lowerBound, position)
                let high = min(span.upperBound, range.upperBound)
                if low <= high {
                    covered += high - low + 1
                    position = high + 1
                }
            }
            if covered == 0 { return .no }
            return covered == range.count ? .yes : .unknown(why)
        }
        var sawUnknown: String?
        for element in elements {
            switch equals(field, unwrap(element)) {
            case .yes: return .yes
            case .no: continue
            case .unknown(let why): sawUnknown = why
            }
        }
        return sawUnknown.map(Tri.unknown) ?? .no
    }

    private func unwrap(_ element: JSONValue) -> JSONValue {
        element["elem"]?["val"] ?? element
    }

    /// Whether a single value (an element: plain, prefix, range, concatenation) holds the field's value.
    func equals(_ field: Field, _ element: JSONValue) -> Tri {
        switch field {
        case .int(let value):
            if let span = intSpan(element) { return Tri(span.contains(value)) }
            return .unknown("value \(element.compact)")
        case .someInt(let range, let why):
            guard let span = intSpan(element) else { return .unknown(why) }
            if span.lowerBound <= range.lowerBound && span.upperBound >= range.upperBound { return .yes }
            return span.overlaps(range) ? .unknown(why) : .no
        case .address(let address):
            if let text = element.string {
                guard let other = IPAddress(text) else { return .unknown("address \(text)") }
                return Tri(other == address)
            }
            if let prefix = element["prefix"], let network = prefix["addr"]?.string.flatMap(IPAddress.init),
                let length = prefix["len"]?.int
            {
                return Tri(IPPrefix(address: network, length: length).contains(address))
            }
            if let bounds = element["range"]?.array, bounds.count == 2,
                let low = bounds[0].string.flatMap(IPAddress.init), let high = bounds[1].string.flatMap(IPAddress.init)
            {
                return Tri(address.isBetween(low, high))
            }
            return .unknown("address value \(element.compact)")
        case .interface(let name):
            guard let pattern = element.string else {
                // An interface index the listing could not name.
                return .unknown("interface \(element.compact)")
            }
            if pattern.hasSuffix("*") && !pattern.hasSuffix("\\*") {
                return Tri(name.hasPrefix(String(pattern.dropLast())))
            }
            return Tri(name == pattern.replacingOccurrences(of: "\\*", with: "*"))
        case .symbol(let symbol):
            guard let text = element.string else {
                if let number = element.int { return Tri(symbolNumbers[symbol] == number) }
                return .unknown("value \(element.compact)")
            }
            return Tri(text.lowercased() == symbol.lowercased())
        case .flags(let flags):
            return Tri(flags == flagNames(element))
        case .bool(let value):
            if case .bool(let other) = element { return Tri(other == value) }
            if let number = element.int { return Tri((number != 0) == value) }
            return .unknown("value \(element.compact)")
        case .concat(let parts):
            guard let values = element["concat"]?.array, values.count == parts.count else {
                return .unknown("concatenation \(element.compact)")
            }
            var result = Tri.yes
            for (part, value) in zip(parts, values) {
                switch equals(part, value) {
                case .no: return .no
                case .unknown(let why): result = .unknown(why)
                case .yes: break
                }
            }
            return result
        case .absent:
            return .no
        case .unknown(let why):
            return .unknown(why)
        }
    }

    private var symbolNumbers: [String: Int] { ["ipv4": 2, "ipv6": 10, "local": 2, "unicast": 1, "host": 0] }

    /// A number or a numeric range (`22`, `"ssh"`, `"tcp"`, `{"range": [1000, 2000]}`).
    func intSpan(_ element: JSONValue) -> ClosedRange<Int>? {
        if let value = number(element) { return value...value }
        if let bounds = element["range"]?.array, bounds.count == 2, let low = number(bounds[0]),
            let high = number(bounds[1]), low <= high
        {
            return low...high
        }
        return nil
    }

    /// Numbers nft writes by name: protocols and a few services.
    func number(_ value: JSONValue) -> Int? {
        if let int = value.int { return int }
        guard let name = value.string?.lowercased() else { return nil }
        if let int = Int(name) { return int }
        let names = [
            "tcp": 6, "udp": 17, "icmp": 1, "ipv6-icmp": 58, "icmpv6": 58, "sctp": 132, "dccp": 33, "gre": 47,
            "esp": 50, "ah": 51, "udplite": 136, "ssh": 22, "http": 80, "https": 443, "domain": 53, "smtp": 25,
            "telnet": 23, "ftp": 21, "ntp": 123, "bootps": 67, "bootpc": 68,
        ]
        return names[name]
    }

    /// Flag names of a bitmask value: `"syn"`, `["established", "related"]`, `{"|": ["syn", "ack"]}`.
    func flagNames(_ value: JSONValue) -> Set<String> {
        if let name = value.string { return [name] }
        if let items = value.array ?? value["|"]?.array ?? value["set"]?.array {
            return items.reduce(into: Set<String>()) { $0.formUnion(flagNames($1)) }
        }
        return []
    }
}
