/// The filter table of an `iptables-save` text, and how its INPUT chain treats a new connection.
struct IptablesRuleset: Sendable {
    /// Chain policies of the filter table (`:INPUT DROP [0:0]`); user chains have `-`.
    var policies: [String: String] = [:]
    /// Rules of each chain in order, as written (`-A INPUT -p tcp --dport 22 -j DROP`).
    var rules: [String: [String]] = [:]

    /// The filter table of `text`, or `nil` when it has none.
    static func parse(_ text: String) -> IptablesRuleset? {
        var table: String?
        var ruleset = IptablesRuleset()
        var sawFilter = false
        for line in text.nonEmptyLines where !line.hasPrefix("#") {
            if line.hasPrefix("*") {
                table = String(line.dropFirst())
                if table == "filter" { sawFilter = true }
            } else if line == "COMMIT" {
                table = nil
            } else if table == "filter" {
                if line.hasPrefix(":") {
                    let parts = line.dropFirst().split(separator: " ")
                    if parts.count >= 2 { ruleset.policies[String(parts[0])] = String(parts[1]) }
                } else if line.hasPrefix("-A ") {
                    let parts = line.split(separator: " ", maxSplits: 2)
                    if parts.count >= 2 { ruleset.rules[String(parts[1]), default: []].append(line) }
                }
            }
        }
        return sawFilter ? ruleset : nil
    }

    var hasRules: Bool { rules.values.contains { !$0.isEmpty } }

    enum Verdict: String, Sendable { case accept = "ACCEPT", drop = "DROP", reject = "REJECT" }

    /// What decided a packet's fate: a rule, or the chain's policy when `rule` is `nil`.
    struct Decision: Equatable, Sendable {
        var verdict: Verdict
        var rule: String?
        /// Matches that could not be evaluated without the client's address (`-s 10.0.0.0/8`) and were
        /// taken as matching.
        var assumptions: [String] = []
    }

    /// How INPUT treats a new connection of `transport` (`tcp`/`udp`) to `port` from another machine.
    ///
    /// Rules are tried in order and the first whose matches all hold decides; jumps into user chains are
    /// followed, LOG and other non-terminating targets go on, RETURN and the end of INPUT fall to the policy.
    func decide(transport: String, port: Int) -> Decision {
        var assumptions: [String] = []
        if let decision = walk("INPUT", transport: transport, port: port, depth: 0, assumptions: &assumptions) {
            return decision
        }
        let policy = Verdict(rawValue: policies["INPUT"] ?? "ACCEPT") ?? .accept
        return Decision(verdict: policy, rule: nil, assumptions: assumptions)
    }

    private func walk(_ chain: String, transport: String, port: Int, depth: Int, assumptions: inout [String])
        -> Decision?
    {
        guard depth < 16 else { return nil }
        for rule in rules[chain] ?? [] {
            let tokens = Self.tokens(rule)
            var notes: [String] = []
            guard Self.matches(tokens, transport: transport, port: port, notes: &notes) else { continue }
            let target = Self.value(after: ["-j", "--jump"], in: tokens) ?? Self.value(after: ["-g", "--goto"], in: tokens)
            guard let target else { continue }
            switch target {
            case "ACCEPT", "DROP", "REJECT":
                return Decision(verdict: Verdict(rawValue: target)!, rule: rule, assumptions: assumptions + notes)
            case "RETURN":
                return nil
            default:
                guard rules[target] != nil || policies[target] != nil else { continue }  // LOG, MARK, ...
                var inner = assumptions + notes
                if let decision = walk(target, transport: transport, port: port, depth: depth + 1, assumptions: &inner) {
                    return decision
                }
                // A goto does not come back to this chain.
                if tokens.contains("-g") || tokens.contains("--goto") { return nil }
            }
        }
        return nil
    }

    /// Whether every match of a rule holds for a new connection from elsewhere to `port`.
    static func matches(_ tokens: [String], transport: String, port: Int, notes: inout [String]) -> Bool {
        var index = 0
        var negate = false
        func next() -> String? {
            index += 1
            return index < tokens.count ? tokens[index] : nil
        }
        while index < tokens.count {
            let token = tokens[index]
            if token == "!" {
                negate = true
                index += 1
                continue
            }
            var holds = true
            // A match that needs the client's address or interface is taken as holding either way.
            var assumed = false
            switch token {
            case "-A", "-m", "--match", "-j", "--jump", "-g", "--goto", "--comment", "--reject-with", "--log-prefix",
                "--log-level":
                _ = next()
                index += 1
                negate = false
                continue
            case "-p", "--protocol":
                let value = next() ?? ""
                let numbers = ["tcp": "6", "udp": "17"]
                holds = value == transport || value == "all" || value == "0" || value == numbers[transport]
            case "--dport", "--destination-port":
                holds = portList(next() ?? "", contains: port)
            case "--dports", "--destination-ports", "--ports":
                holds = portList(next() ?? "", contains: port)
            case "--sport", "--source-port", "--sports", "--source-ports":
                // A client's source port is ephemeral: only a rule covering that whole range surely matches.
                let list = next() ?? ""
                holds = portList(list, contains: 32768) && portList(list, contains: 60999)
            case "--state", "--ctstate":
                holds = (next() ?? "").split(separator: ",").contains("NEW")
            case "--syn":
                holds = true
            case "-i", "--in-interface":
                let interface = next() ?? ""
                if interface == "lo" {
                    holds = false
                } else {
                    notes.append("\(negate ? "! " : "")-i \(interface)")
                    assumed = true
                }
            case "-s", "--source", "-d", "--destination", "--src-range", "--dst-range":
                let address = next() ?? ""
                if token.hasPrefix("-s") || token == "--source" || token == "--src-range",
                    address.hasPrefix("127.") || address == "::1/128"
                {
                    holds = false
                } else if address != "0.0.0.0/0" && address != "::/0" {
                    notes.append("\(negate ? "! " : "")\(token) \(address)")
                    assumed = true
                }
            default:
                if token.hasPrefix("-") {
                    // An unknown match (limit, recent, addrtype ...): taken as holding, and noted.
                    var note = token
                    while index + 1 < tokens.count, !tokens[index + 1].hasPrefix("-"), tokens[index + 1] != "!" {
                        note += " " + (next() ?? "")
                    }
                    notes.append(note)
                    assumed = true
                }
            }
            if negate && !assumed { holds.toggle() }
            negate = false
            if !holds { return false }
            index += 1
        }
        return true
    }

    /// `22`, `1000:2000`, `22,80,8000:8080` (also `:1024` and `1024:`).
    static func portList(_ text: String, contains port: Int) -> Bool {
        text.split(separator: ",").contains { item in
            let bounds = item.split(separator: ":", omittingEmptySubsequences: false)
            if bounds.count == 2 {
                let low = Int(bounds[0]) ?? 0
                let high = Int(bounds[1]) ?? 65535
                return (low...max(low, high)).contains(port)
            }
            return Int(item) == port
        }
    }

    static func value(after options: [String], in tokens: [String]) -> String? {
        guard let index = tokens.firstIndex(where: options.contains), index + 1 < tokens.count else { return nil }
        return tokens[index + 1]
    }

    /// Words of a rule, with `"quoted text"` kept together.
    static func tokens(_ rule: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var started = false
        var escaped = false
        for character in rule {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                started = true
            } else if character == " " && !quoted {
                if started { tokens.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { tokens.append(current) }
        return tokens
    }
}
