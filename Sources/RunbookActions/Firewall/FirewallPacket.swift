import Glibc

/// The packet a firewall check asks about, as the VM's netfilter hooks see it: the first packet of a
/// new connection from the client to the VM's port (``Direction/inbound``), or the server's reply
/// to it (``Direction/reply``: from the port back to the client's port, on the way out).
///
/// The addresses, the port and the interface describe the connection (client, VM, the VM's port,
/// the VM's interface toward the client); ``packetSource``, ``packetDestination`` and the port
/// fields say what the headers of this packet hold.
struct FirewallPacket: Sendable, Equatable {
    enum Family: String, Sendable { case ipv4, ipv6 }

    enum Direction: String, Sendable {
        /// The client's first packet (TCP SYN), conntrack state new: input path.
        case inbound
        /// The VM's answer (TCP SYN-ACK, and every later segment), conntrack state established,
        /// direction reply: output path. Its destination port is the client's, which is not known.
        case reply
    }

    var family: Family
    /// `tcp` or `udp`.
    var transport: String
    var destinationPort: Int
    /// The client's address as the VM sees it; `nil` when unknown (rules on it are evaluated both ways).
    var source: IPAddress?
    /// The VM's address on the interface toward the client; `nil` when unknown.
    var destination: IPAddress?
    /// The VM's interface toward the client (`eth0`): where the packet comes in, or its reply goes
    /// out; `nil` when unknown.
    var inputInterface: String?
    var direction: Direction = .inbound

    /// The server's reply to this packet.
    var reply: FirewallPacket {
        var packet = self
        packet.direction = .reply
        return packet
    }

    var isReply: Bool { direction == .reply }
    /// The address in the packet's source field: the client's, or (a reply) the VM's.
    var packetSource: IPAddress? { isReply ? destination : source }
    var packetDestination: IPAddress? { isReply ? source : destination }
    /// Conntrack's state of the packet: `NEW`, or for a reply `ESTABLISHED`.
    var conntrackState: String { isReply ? "established" : "new" }
    /// TCP flags of the packet: the SYN, or the SYN-ACK that answers it.
    var tcpFlags: Set<String> { isReply ? ["syn", "ack"] : ["syn"] }
    /// Why the client's port is not known, for the match that reads it.
    var clientPortUnknown: String {
        isReply
            ? "the client's port (the reply's destination port) is not known"
            : "the client's source port is not known"
    }

    /// The client's source port is ephemeral: some port in this range, unknown which.
    static let ephemeralPorts = 1024...65535

    var protocolNumber: Int { transport == "udp" ? 17 : 6 }

    /// `tcp 10.0.0.1 → 10.0.0.2:22 on eth0 (ct state new)`, or for the reply
    /// `tcp 10.0.0.2:22 → 10.0.0.1 (the client's port) out eth0 (ct state established, reply)`.
    var description: String {
        let client = source?.description ?? "any source"
        let server =
            destination.map { family == .ipv6 ? "[\($0)]:\(destinationPort)" : "\($0):\(destinationPort)" }
            ?? "port \(destinationPort)"
        if isReply {
            let from = destination == nil ? "port \(destinationPort)" : server
            return "\(transport) \(from) → \(client) (the client's port)\(inputInterface.map { " out \($0)" } ?? "")"
                + " (ct state established, reply)"
        }
        return "\(transport) \(client) → \(server)\(inputInterface.map { " on \($0)" } ?? "") (ct state new)"
    }
}

/// What the firewall evaluator needs of an address (the type is in Net/IPAddress.swift).
extension IPAddress {
    var family: FirewallPacket.Family { bytes.count == 4 ? .ipv4 : .ipv6 }
    var text: String { description }

    static func <= (left: IPAddress, right: IPAddress) -> Bool {
        left.bytes.lexicographicallyPrecedes(right.bytes) || left.bytes == right.bytes
    }

    /// Whether the address lies in `low...high`.
    func isBetween(_ low: IPAddress, _ high: IPAddress) -> Bool {
        low.bytes.count == bytes.count && high.bytes.count == bytes.count && low <= self && self <= high
    }
}

/// A match's answer: holds, does not, or could not be told (and why).
enum Tri: Sendable, Equatable {
    case yes, no
    case unknown(String)

    init(_ value: Bool) { self = value ? .yes : .no }

    var negated: Tri {
        switch self {
        case .yes: .no
        case .no: .yes
        case .unknown: self
        }
    }
}

/// What one base chain (or one iptables built-in chain) does with the packet on one path.
struct ChainOutcome: Sendable, Equatable {
    enum Verdict: String, Sendable { case accept, drop, reject }

    var verdict: Verdict
    /// The deciding rule as written; `nil` when the chain's policy decided.
    var rule: String?
    /// `rule 3 of chain input` (or the policy).
    var position: String?
    /// Matches that could not be evaluated and were taken one way on this path.
    var assumptions: [String] = []
    /// Things the reader should know (a NAT statement, a limit taken as matching).
    var notes: [String] = []
}

/// A base chain of a netfilter hook, from nftables or iptables, in the order the kernel runs them.
struct HookChain: Sendable {
    /// Hooks in the order a packet meets them: ingress, prerouting, input on the way in; output,
    /// postrouting, egress on the way out.
    enum Hook: Int, Sendable, Comparable {
        case ingress = 0
        case prerouting = 1
        case input = 2
        case output = 3
        case postrouting = 4
        case egress = 5
        static func < (left: Hook, right: Hook) -> Bool { left.rawValue < right.rawValue }
        var name: String {
            switch self {
            case .ingress: "ingress"
            case .prerouting: "prerouting"
            case .input: "input"
            case .output: "output"
            case .postrouting: "postrouting"
            case .egress: "egress"
            }
        }
    }

    /// `nftables`, `iptables-nft`, `iptables-legacy`, `ip6tables-legacy`…
    var source: String
    /// `inet filter` (nft: family and name) or `filter` (iptables).
    var table: String
    var chain: String
    var hook: Hook
    var priority: Int
    /// `accept`/`drop`, or `ACCEPT`/`DROP` as written.
    var policy: String
    /// The chain's answers, one per path through matches that could not be evaluated.
    var outcomes: [ChainOutcome]

    var label: String { "\(source) table \(table) chain \(chain) (hook \(hook.name), priority \(priority))" }
}

/// Up to this many paths are followed through matches that could not be evaluated.
let firewallPathLimit = 256

/// Chooses a way at each match that could not be evaluated, so that every path through a chain is
/// followed once (see ``explorePaths(_:)``).
struct PathChooser {
    var script: [Bool]
    var taken: [Bool] = []
    var assumptions: [String] = []

    /// Whether to take the match `what` (which could not be evaluated because of `why`) as holding.
    mutating func choose(_ what: String, because why: String) -> Bool {
        let value = taken.count < script.count ? script[taken.count] : true
        taken.append(value)
        assumptions.append("\(what) (\(why)) taken as \(value ? "matching" : "not matching")")
        return value
    }
}

/// Runs `body` once for every combination of choices it makes, at most ``firewallPathLimit`` times.
/// `complete` is false when paths were left out.
func explorePaths(_ body: (inout PathChooser) -> ChainOutcome) -> (outcomes: [ChainOutcome], complete: Bool) {
    var pending: [[Bool]] = [[]]
    var outcomes: [ChainOutcome] = []
    while let script = pending.popLast() {
        guard outcomes.count < firewallPathLimit else { return (outcomes, false) }
        var chooser = PathChooser(script: script)
        var outcome = body(&chooser)
        outcome.assumptions = chooser.assumptions + outcome.assumptions
        outcomes.append(outcome)
        if chooser.taken.count > script.count {
            for index in (script.count..<chooser.taken.count).reversed() {
                pending.append(Array(chooser.taken[..<index]) + [!chooser.taken[index]])
            }
        }
    }
    return (outcomes, true)
}
