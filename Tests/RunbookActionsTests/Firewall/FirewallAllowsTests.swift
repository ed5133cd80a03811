import Testing

@testable import RunbookActions

#if canImport(Glibc)
    import Glibc
#endif

/// The packet most rows ask about: TCP from 10.232.0.1 to 10.232.0.2:22, in on eth0.
func makePacket(
    port: Int = 22, transport: String = "tcp", source: String? = "10.232.0.1", destination: String? = "10.232.0.2",
    interface: String? = "eth0"
) -> FirewallPacket {
    let address = source.flatMap(IPAddress.init)
    var packet = FirewallPacket(family: address?.family ?? .ipv4, transport: transport, destinationPort: port)
    packet.source = address
    packet.destination = destination.flatMap(IPAddress.init)
    packet.inputInterface = interface
    return packet
}

let v6 = makePacket(source: "fd00:232::1", destination: "fd00:232::2")

/// What a row expects: the kind of decision and a piece of the deciding rule (or `policy drop`).
struct FirewallRow: CustomTestStringConvertible, Sendable {
    var name: String
    /// Files for `nft -f`, `iptables-restore`, … (program, text) loaded in a fresh ruleset.
    var loads: [(program: String, text: String)]
    var packet: FirewallPacket
    var kind: FirewallAllows.Decision.Kind
    /// Text the deciding rule (or `policy X`, or the error) must contain; `nil`: nothing decided by a rule.
    var decidedBy: String?

    var testDescription: String { name }

    init(_ name: String, nft: String, _ kind: FirewallAllows.Decision.Kind, _ decidedBy: String? = nil) {
        self.init(name, loads: [("nft", nft)], makePacket(), kind, decidedBy)
    }

    init(
        _ name: String, nft: String, _ packet: FirewallPacket, _ kind: FirewallAllows.Decision.Kind,
        _ decidedBy: String? = nil
    ) {
        self.init(name, loads: [("nft", nft)], packet, kind, decidedBy)
    }

    init(
        _ name: String, loads: [(program: String, text: String)], _ kind: FirewallAllows.Decision.Kind,
        _ decidedBy: String? = nil
    ) {
        self.init(name, loads: loads, makePacket(), kind, decidedBy)
    }

    init(
        _ name: String, loads: [(program: String, text: String)], _ packet: FirewallPacket,
        _ kind: FirewallAllows.Decision.Kind, _ decidedBy: String? = nil
    ) {
        self.name = name
        self.loads = loads
        self.packet = packet
        self.kind = kind
        self.decidedBy = decidedBy
    }
}

/// An inet table with one input chain of `policy` holding `rules`.
private func inet(_ rules: String, policy: String = "accept", extra: String = "") -> String {
    """
    table inet t {
    \(extra)
        chain input {
            type filter hook input priority 0; policy \(policy);
    \(rules)
        }
    }
    """
}

/// A ruleset shaped like firewalld's (public zone, ssh service allowed), as a whole.
let firewalldLike = """
    table inet firewalld {
        chain filter_PREROUTING {
            type filter hook prerouting priority filter + 10; policy accept;
            icmpv6 type { nd-router-advert, nd-neighbor-solicit } accept
            meta nfproto ipv6 fib saddr . mark . iif oif missing drop
        }
        chain filter_INPUT {
            type filter hook input priority filter + 10; policy accept;
            ct state { established, related } accept
            ct status dnat accept
            iifname "lo" accept
            ct state invalid drop
            jump filter_INPUT_ZONES
            reject with icmpx admin-prohibited
        }
        chain filter_INPUT_ZONES {
            iifname "eth0" goto filter_IN_public
            goto filter_IN_public
        }
        chain filter_IN_public {
            jump filter_IN_public_pre
            jump filter_IN_public_log
            jump filter_IN_public_deny
            jump filter_IN_public_allow
            jump filter_IN_public_post
            meta l4proto { icmp, ipv6-icmp } accept
            reject with icmpx admin-prohibited
        }
        chain filter_IN_public_pre {
        }
        chain filter_IN_public_log {
        }
        chain filter_IN_public_deny {
            ip saddr { 198.51.100.0/24 } reject with icmpx admin-prohibited
        }
        chain filter_IN_public_allow {
            tcp dport 22 ct state { new, untracked } accept
            ip6 daddr fe80::/64 udp dport 546 ct state { new, untracked } accept
        }
        chain filter_IN_public_post {
        }
    }
    """

/// The rows over real `nft -f` rulesets (listed back with `nft -j list ruleset` at test time).
let nftRows: [FirewallRow] = [
    FirewallRow("empty input chain, policy accept", nft: inet(""), .pass),
    FirewallRow(
        "policy drop, only established accepted", nft: inet("ct state established,related accept", policy: "drop"),
        .blocked, "policy drop"),
    FirewallRow(
        "ct state new accepted under policy drop", nft: inet("ct state new tcp dport 22 accept", policy: "drop"),
        .pass, "ct state new tcp dport 22 accept"),
    FirewallRow(
        "ct state in an anonymous set", nft: inet("ct state { established, new } accept", policy: "drop"),
        .pass, "ct state { established, new } accept"),
    FirewallRow(
        "ct state invalid drop does not match a new packet", nft: inet("ct state invalid drop\nct state != new drop"),
        .pass),
    FirewallRow(
        "tcp dport 22 drop in an ip table",
        nft: "table ip t {\n chain c { type filter hook input priority 0; tcp dport 22 drop; }\n}",
        .blocked, "tcp dport 22 drop"),
    FirewallRow("udp dport 22 drop does not stop TCP", nft: inet("udp dport 22 drop"), .pass),
    FirewallRow(
        "udp dport 22 drop stops UDP", nft: inet("udp dport 22 drop"), makePacket(transport: "udp"), .blocked,
        "udp dport 22 drop"),
    FirewallRow("th dport", nft: inet("meta l4proto { tcp, udp } th dport 22 drop"), .blocked, "th dport 22 drop"),
    FirewallRow("!= on the port", nft: inet("tcp dport != 22 drop"), .pass),
    FirewallRow(
        "anonymous port set", nft: inet("tcp dport { 22, 2222 } drop"), .blocked, "tcp dport { 22, 2222 } drop"),
    FirewallRow("port range", nft: inet("tcp dport 1-1024 reject"), .blocked, "tcp dport 1-1024 reject"),
    FirewallRow("a drop of port 2222 only", nft: inet("tcp dport 2222 drop"), .pass),
    FirewallRow(
        "named port set",
        nft: inet("tcp dport @ports drop", extra: "set ports { type inet_service; elements = { 22, 80 } }"),
        .blocked, "tcp dport @ports drop"),
    FirewallRow(
        "named set of blocked sources holding the client",
        nft: inet(
            "ip saddr @blocked drop",
            extra: "set blocked { type ipv4_addr; flags interval; elements = { 192.0.2.0/24, 10.232.0.1 } }"),
        .blocked, "ip saddr @blocked drop"),
    FirewallRow(
        "named interval set without the client",
        nft: inet(
            "ip saddr @blocked drop",
            extra: "set blocked { type ipv4_addr; flags interval; elements = { 192.0.2.0/24, 10.232.0.8-10.232.0.20 } }"
        ),
        .pass),
    FirewallRow(
        "source prefix holding the client", nft: inet("ip saddr 10.232.0.0/24 drop"), .blocked,
        "ip saddr 10.232.0.0/24 drop"),
    FirewallRow("source range without the client", nft: inet("ip saddr 10.0.0.0-10.0.0.255 drop"), .pass),
    FirewallRow(
        "source != a prefix", nft: inet("ip saddr != 192.0.2.0/24 drop"), .blocked, "ip saddr != 192.0.2.0/24 drop"),
    FirewallRow(
        "destination address and reject with tcp reset",
        nft: inet("ip daddr 10.232.0.2 tcp dport 22 reject with tcp reset"), .blocked, "reject with tcp reset"),
    FirewallRow("ip6 match in inet does not see IPv4", nft: inet("ip6 saddr ::/0 drop"), .pass),
    FirewallRow(
        "ip6 prefix on an IPv6 packet", nft: inet("ip6 saddr fd00:232::/64 tcp dport 22 drop"), v6, .blocked,
        "ip6 saddr fd00:232::/64 tcp dport 22 drop"),
    FirewallRow(
        "an ip table does not see IPv6",
        nft: "table ip t {\n chain c { type filter hook input priority 0; policy drop; }\n}", v6, .pass),
    FirewallRow(
        "an ip6 table does not see IPv4",
        nft: "table ip6 t {\n chain c { type filter hook input priority 0; policy drop; }\n}", .pass),
    FirewallRow(
        "meta l4proto", nft: inet("meta l4proto udp drop\nmeta l4proto tcp drop"), .blocked, "meta l4proto tcp drop"),
    FirewallRow("ip protocol", nft: inet("ip protocol tcp drop"), .blocked, "ip protocol tcp drop"),
    FirewallRow("meta nfproto ipv6 does not match IPv4", nft: inet("meta nfproto ipv6 drop"), .pass),
    FirewallRow(
        "iifname eth0 tcp dport 22 drop", nft: inet("iifname \"eth0\" tcp dport 22 drop"), .blocked,
        "iifname \"eth0\" tcp dport 22 drop"),
    FirewallRow("iifname wildcard", nft: inet("iifname \"eth*\" drop"), .blocked, "iifname \"eth*\" drop"),
    FirewallRow(
        "loopback only, policy drop", nft: inet("iifname \"lo\" accept\niif \"lo\" accept", policy: "drop"),
        .blocked, "policy drop"),
    FirewallRow("iif lo drop does not stop eth0", nft: inet("iif \"lo\" drop"), .pass),
    FirewallRow("fib reverse path check passes", nft: inet("fib saddr . iif oif missing drop"), .pass),
    FirewallRow(
        "fib daddr type local accepted", nft: inet("fib daddr type local tcp dport 22 accept", policy: "drop"),
        .pass, "fib daddr type local tcp dport 22 accept"),
    FirewallRow(
        "a drop in a chain reached by jump",
        nft: """
            table inet t {
                chain ssh { tcp dport 22 drop; }
                chain input { type filter hook input priority 0; policy accept; jump ssh; }
            }
            """, .blocked, "tcp dport 22 drop"),
    FirewallRow(
        "return comes back to the caller",
        nft: """
            table inet t {
                chain ssh { tcp dport 22 return; tcp dport 22 accept; }
                chain input { type filter hook input priority 0; policy accept; jump ssh; tcp dport 22 drop; }
            }
            """, .blocked, "tcp dport 22 drop"),
    FirewallRow(
        "goto does not come back: policy decides",
        nft: """
            table inet t {
                chain web { tcp dport 80 accept; }
                chain input { type filter hook input priority 0; policy drop; goto web; tcp dport 22 accept; }
            }
            """, .blocked, "policy drop"),
    FirewallRow(
        "return in a base chain applies the policy", nft: inet("return\ntcp dport 22 accept", policy: "drop"),
        .blocked, "policy drop"),
    FirewallRow(
        "counter, log and limit do not end a rule",
        nft: inet("tcp dport 22 counter log prefix \"ssh \" limit rate 5/second accept", policy: "drop"), .pass,
        "limit rate 5/second accept"),
    FirewallRow(
        "limit rate over does not match one packet", nft: inet("tcp dport 22 limit rate over 1/second drop"), .pass),
    FirewallRow(
        "continue goes on to the next rule", nft: inet("tcp dport 22 continue\ntcp dport 22 drop"), .blocked,
        "tcp dport 22 drop"),
    FirewallRow(
        "anonymous verdict map", nft: inet("tcp dport vmap { 22 : drop, 80 : accept }"), .blocked,
        "tcp dport vmap { 22 : drop, 80 : accept }"),
    FirewallRow(
        "named verdict map with a jump",
        nft: """
            table inet t {
                map ports { type inet_service : verdict; elements = { 22 : jump ssh, 80 : accept } }
                chain ssh { ip saddr 10.232.0.0/30 reject; }
                chain input { type filter hook input priority 0; policy accept; tcp dport vmap @ports; }
            }
            """, .blocked, "ip saddr 10.232.0.0/30 reject"),
    FirewallRow(
        "an accept does not stop a later base chain",
        nft: """
            table inet a {
                chain input { type filter hook input priority -10; policy accept; tcp dport 22 accept; }
            }
            table ip b {
                chain input { type filter hook input priority 10; policy accept; tcp dport 22 drop; }
            }
            """, .blocked, "tcp dport 22 drop"),
    FirewallRow(
        "a drop in a prerouting filter chain",
        nft: "table inet t {\n chain pre { type filter hook prerouting priority -150; tcp dport 22 drop; }\n}",
        .blocked, "tcp dport 22 drop"),
    FirewallRow(
        "a nat prerouting chain passes",
        nft: "table ip t {\n chain pre { type nat hook prerouting priority -100; tcp dport 2222 redirect to :22; }\n}",
        .pass),
    FirewallRow(
        "a netdev ingress chain of another device",
        nft: "table netdev t {\n chain ing { type filter hook ingress device \"lo\" priority 0; policy drop; }\n}",
        .pass),
    FirewallRow(
        "concatenation in a set", nft: inet("ip saddr . tcp dport { 10.232.0.1 . 22, 192.0.2.1 . 80 } drop"),
        .blocked, "ip saddr . tcp dport"),
    FirewallRow(
        "tcp flags of a SYN", nft: inet("tcp flags & (fin|syn|rst|ack) == syn drop"), .blocked,
        "syn / fin,syn,rst,ack drop"),
    FirewallRow("tcp flags syn", nft: inet("tcp flags syn drop"), .blocked, "tcp flags syn drop"),
    FirewallRow(
        "a set of the same name in another table is not used",
        nft: """
            table ip other {
                set blocked { type ipv4_addr; elements = { 10.232.0.1 } }
            }
            table inet t {
                set blocked { type ipv4_addr; elements = { 192.0.2.1 } }
                chain input { type filter hook input priority 0; ip saddr @blocked drop; }
            }
            """, .pass),
    FirewallRow("fragments dropped, a SYN is not one", nft: inet("ip frag-off & 0x1fff != 0 drop"), .pass),
    FirewallRow(
        "firewalld-like zones: ssh allowed", nft: firewalldLike, .pass,
        "tcp dport 22 ct state { new, untracked } accept"),
    FirewallRow(
        "firewalld-like zones: another port rejected", nft: firewalldLike, makePacket(port: 2222), .blocked,
        "reject with icmpx admin-prohibited"),
    FirewallRow(
        "firewalld-like zones: a denied source", nft: firewalldLike, makePacket(source: "198.51.100.9"), .blocked,
        "ip saddr 198.51.100.0/24 reject"),
    FirewallRow("meta mark of a new packet is 0", nft: inet("meta mark 0x1 drop"), .pass),
    FirewallRow(
        "source port range covering every client port", nft: inet("tcp sport 1024-65535 accept", policy: "drop"),
        .pass, "tcp sport 1024-65535 accept"),
    FirewallRow(
        "a source port match that depends on the client's port", nft: inet("tcp sport 5000 drop"),
        .undecided, "source port"),
    FirewallRow("an unknown expression that decides", nft: inet("meta cpu 0 drop"), .undecided, "meta cpu"),
    FirewallRow("an unknown expression that does not change the verdict", nft: inet("meta cpu 0 accept"), .pass),
    FirewallRow(
        "a source match without the client's address", nft: inet("ip saddr 10.0.0.0/8 drop"),
        makePacket(source: nil), .undecided, "client's address"),
]

/// `ipt` is read by `iptables-restore`, `ipt6` by `ip6tables-restore`, `legacy` by `iptables-legacy-restore`.
private func ipt(
    _ rules: String, policy: String = "ACCEPT", table: String = "filter", chains: String = "", output: String = "ACCEPT"
) -> String {
    let builtIn =
        switch table {
        case "raw": ":PREROUTING ACCEPT [0:0]\n:OUTPUT \(output) [0:0]"
        case "mangle":
            ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT \(output) [0:0]\n:POSTROUTING ACCEPT [0:0]"
        default: ":INPUT \(policy) [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT \(output) [0:0]"
        }
    return "*\(table)\n\(builtIn)\n\(chains)\(rules)\nCOMMIT\n"
}

/// An inet table with one output chain of `policy` holding `rules`.
private func inetOutput(_ rules: String, policy: String = "accept", hook: String = "output") -> String {
    """
    table inet t {
        chain out {
            type filter hook \(hook) priority 0; policy \(policy);
    \(rules)
        }
    }
    """
}

/// The server's reply to the usual packet: 10.232.0.2:22 → 10.232.0.1 (the client's unknown port), out eth0.
let reply = makePacket().reply

/// The replies' way out, over real rulesets (nft -f, iptables-restore; read back as the check reads them).
let outputRows: [FirewallRow] = [
    FirewallRow(
        "nft output drops tcp sport 22", nft: inetOutput("tcp sport 22 drop"), reply, .blocked, "tcp sport 22 drop"),
    FirewallRow(
        "nft output policy drop, established accepted",
        nft: inetOutput("ct state established,related accept", policy: "drop"), reply, .pass,
        "ct state established,related accept"),
    FirewallRow(
        "nft output policy drop, only new SSH out accepted (no established accept)",
        nft: inetOutput("tcp dport 22 ct state new accept", policy: "drop"), reply, .blocked, "policy drop"),
    FirewallRow(
        "nft output drops the VM's own SSH out (dport 22): not the replies",
        nft: inetOutput("tcp dport 22 drop"), reply, .pass),
    FirewallRow(
        "nft output drops dport 25 (below every client port)", nft: inetOutput("tcp dport { 25, 465 } drop"), reply,
        .pass),
    FirewallRow(
        "nft output drop of dport 5000 depends on the client's port",
        nft: inetOutput("tcp dport 5000 drop"), reply, .undecided, "client's port"),
    FirewallRow(
        "nft output drops dports 1024-65535: every client port",
        nft: inetOutput("tcp dport 1024-65535 drop"), reply, .blocked, "tcp dport 1024-65535 drop"),
    FirewallRow("nft output ct state new drop spares the replies", nft: inetOutput("ct state new drop"), reply, .pass),
    FirewallRow(
        "nft output ct state established drop", nft: inetOutput("ct state established drop"), reply, .blocked,
        "ct state established drop"),
    FirewallRow(
        "nft output oifname eth0 sport 22 drop", nft: inetOutput("oifname \"eth0\" tcp sport 22 drop"), reply,
        .blocked, "oifname"),
    FirewallRow("nft output oifname lo drop", nft: inetOutput("oifname \"lo\" drop"), reply, .pass),
    FirewallRow(
        "nft output iifname eth0 drop never holds going out", nft: inetOutput("iifname \"eth0\" drop"), reply, .pass),
    FirewallRow(
        "nft output drop to the client's address", nft: inetOutput("ip daddr 10.232.0.1 drop"), reply, .blocked,
        "ip daddr 10.232.0.1 drop"),
    FirewallRow(
        "nft output drop from the VM's address to elsewhere",
        nft: inetOutput("ip saddr 10.232.0.2 ip daddr 192.0.2.0/24 drop"), reply, .pass),
    FirewallRow(
        "nft postrouting drops tcp sport 22", nft: inetOutput("tcp sport 22 drop", hook: "postrouting"), reply,
        .blocked, "tcp sport 22 drop"),
    FirewallRow(
        "nft ct direction reply drop", nft: inetOutput("ct direction reply tcp sport 22 drop"), reply, .blocked,
        "ct direction reply"),
    FirewallRow(
        "nft output drops SYN-ACKs (tcp flags syn / syn,ack)",
        nft: inetOutput("tcp flags & (syn | ack) == syn | ack drop"), reply, .blocked, "drop"),
    FirewallRow("nft input drop does not touch the replies' way out", nft: inet("tcp sport 22 drop"), reply, .pass),
    FirewallRow(
        "nft a nat output chain is not consulted for replies",
        nft: "table ip n {\n chain out { type nat hook output priority -100; tcp sport 22 drop; }\n}", reply, .pass),
    FirewallRow(
        "nft output drop of an earlier chain is decided first",
        nft: """
            table inet a {
                chain out { type filter hook output priority -10; tcp sport 22 drop; }
            }
            table inet b {
                chain out { type filter hook output priority 10; ct state established accept; }
            }
            """, reply, .blocked, "tcp sport 22 drop"),
    FirewallRow(
        "iptables OUTPUT DROP sport 22",
        loads: [("iptables-restore", ipt("-A OUTPUT -p tcp --sport 22 -j DROP"))], reply, .blocked,
        "-A OUTPUT -p tcp -m tcp --sport 22 -j DROP"),
    FirewallRow(
        "iptables OUTPUT policy DROP, ESTABLISHED accepted",
        loads: [
            ("iptables-restore", ipt("-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", output: "DROP"))
        ],
        reply, .pass, "--ctstate RELATED,ESTABLISHED"),
    FirewallRow(
        "iptables OUTPUT policy DROP alone", loads: [("iptables-restore", ipt("", output: "DROP"))], reply, .blocked,
        "policy DROP"),
    FirewallRow(
        "iptables OUTPUT DROP dport 22 (the VM's own SSH out)",
        loads: [("iptables-restore", ipt("-A OUTPUT -p tcp --dport 22 -j DROP"))], reply, .pass),
    FirewallRow(
        "iptables OUTPUT -o eth0 REJECT sport 22",
        loads: [("iptables-restore", ipt("-A OUTPUT -o eth0 -p tcp --sport 22 -j REJECT"))], reply, .blocked, "-o eth0"),
    FirewallRow(
        "iptables OUTPUT DROP to the client",
        loads: [("iptables-restore", ipt("-A OUTPUT -d 10.232.0.1/32 -j DROP"))], reply, .blocked, "-d 10.232.0.1/32"),
    FirewallRow(
        "iptables-legacy OUTPUT DROP sport 22",
        loads: [("iptables-legacy-restore", ipt("-A OUTPUT -p tcp --sport 22 -j DROP"))], reply, .blocked, "--sport 22"),
    FirewallRow(
        "iptables mangle POSTROUTING DROP sport 22",
        loads: [("iptables-restore", ipt("-A POSTROUTING -p tcp --sport 22 -j DROP", table: "mangle"))], reply,
        .blocked, "-A POSTROUTING"),
    FirewallRow(
        "iptables OUTPUT owner match: the server's socket is not read",
        loads: [("iptables-restore", ipt("-A OUTPUT -m owner --uid-owner 1000 -j DROP"))], reply, .undecided, "owner"),
    FirewallRow(
        "ip6tables OUTPUT DROP while the client uses IPv4",
        loads: [("ip6tables-restore", ipt("-A OUTPUT -p tcp --sport 22 -j DROP"))], reply, .pass),
]

/// The rows over real `iptables-restore` rulesets (listed back with `iptables-save` at test time).
let iptablesRows: [FirewallRow] = [
    FirewallRow(
        "DROP port 22", loads: [("iptables-restore", ipt("-A INPUT -p tcp --dport 22 -j DROP"))], .blocked,
        "-A INPUT -p tcp -m tcp --dport 22 -j DROP"),
    FirewallRow(
        "DROP from the client's network",
        loads: [("iptables-restore", ipt("-A INPUT -s 10.232.0.0/24 -p tcp --dport 22 -j DROP"))], .blocked,
        "-s 10.232.0.0/24"),
    FirewallRow(
        "DROP from another network", loads: [("iptables-restore", ipt("-A INPUT -s 192.0.2.0/24 -j DROP"))], .pass),
    FirewallRow(
        "DROP all but the client", loads: [("iptables-restore", ipt("-A INPUT ! -s 10.232.0.1/32 -j DROP"))], .pass),
    FirewallRow(
        "-i eth0", loads: [("iptables-restore", ipt("-A INPUT -i eth0 -p tcp --dport 22 -j DROP"))], .blocked, "-i eth0"
    ),
    FirewallRow("-i lo", loads: [("iptables-restore", ipt("-A INPUT -i lo -j DROP"))], .pass),
    FirewallRow("-i eth+", loads: [("iptables-restore", ipt("-A INPUT -i eth+ -j REJECT"))], .blocked, "-i eth+"),
    FirewallRow(
        "multiport", loads: [("iptables-restore", ipt("-A INPUT -p tcp -m multiport --dports 20:25,80 -j DROP"))],
        .blocked, "--dports 20:25,80"),
    FirewallRow(
        "conntrack NEW", loads: [("iptables-restore", ipt("-A INPUT -m conntrack --ctstate NEW -j DROP"))],
        .blocked, "--ctstate NEW"),
    FirewallRow(
        "established only, policy DROP",
        loads: [
            ("iptables-restore", ipt("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", policy: "DROP"))
        ],
        .blocked, "policy DROP"),
    FirewallRow(
        "state NEW accepted under policy DROP",
        loads: [("iptables-restore", ipt("-A INPUT -p tcp -m state --state NEW --dport 22 -j ACCEPT", policy: "DROP"))],
        .pass, "--state NEW"),
    FirewallRow(
        "a DROP in a user chain",
        loads: [
            (
                "iptables-restore",
                ipt("-A INPUT -p tcp --dport 22 -j SSH\n-A SSH -j LOG\n-A SSH -j DROP", chains: ":SSH - [0:0]\n")
            )
        ],
        .blocked, "-A SSH -j DROP"),
    FirewallRow(
        "RETURN from a user chain",
        loads: [
            (
                "iptables-restore",
                ipt(
                    "-A INPUT -j SSH\n-A INPUT -p tcp --dport 22 -j DROP\n-A SSH -j RETURN\n-A SSH -j ACCEPT",
                    chains: ":SSH - [0:0]\n")
            )
        ],
        .blocked, "-A INPUT -p tcp -m tcp --dport 22 -j DROP"),
    FirewallRow(
        "goto a user chain: its end applies the policy",
        loads: [
            (
                "iptables-restore",
                ipt(
                    "-A INPUT -g WEB\n-A INPUT -j ACCEPT\n-A WEB -p tcp --dport 80 -j ACCEPT",
                    policy: "DROP", chains: ":WEB - [0:0]\n")
            )
        ],
        .blocked, "policy DROP"),
    FirewallRow(
        "a DROP in raw PREROUTING",
        loads: [("iptables-restore", ipt("-A PREROUTING -p tcp --dport 22 -j DROP", table: "raw"))],
        .blocked, "-A PREROUTING"),
    FirewallRow(
        "legacy iptables", loads: [("iptables-legacy-restore", ipt("-A INPUT -p tcp --dport 22 -j DROP"))], .blocked,
        "-A INPUT -p tcp -m tcp --dport 22 -j DROP"),
    FirewallRow(
        "iptables ACCEPT but an nft drop",
        loads: [
            ("iptables-restore", ipt("-A INPUT -p tcp --dport 22 -j ACCEPT")),
            ("nft", "table inet t {\n chain input { type filter hook input priority 10; tcp dport 22 drop; }\n}"),
        ],
        .blocked, "tcp dport 22 drop"),
    FirewallRow(
        "ip6tables DROP while the client uses IPv4",
        loads: [("ip6tables-restore", ipt("-A INPUT -p tcp --dport 22 -j DROP"))], .pass),
    FirewallRow(
        "ip6tables DROP for an IPv6 client",
        loads: [("ip6tables-restore", ipt("-A INPUT -s fd00:232::/64 -p tcp --dport 22 -j DROP"))], v6, .blocked,
        "fd00:232::/64"),
    FirewallRow(
        "comment, LOG, then REJECT",
        loads: [
            (
                "iptables-restore",
                ipt(
                    "-A INPUT -p tcp --dport 22 -m comment --comment \"no ssh\" -j LOG --log-prefix \"ssh \"\n-A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset"
                )
            )
        ],
        .blocked, "--reject-with tcp-reset"),
    FirewallRow(
        "source ports of every client",
        loads: [("iptables-restore", ipt("-A INPUT -p tcp --sport 1024:65535 -j ACCEPT", policy: "DROP"))],
        .pass, "--sport 1024:65535"),
    FirewallRow(
        "a recent hit count (ufw limit) is not reached by one connection",
        loads: [
            (
                "iptables-restore",
                ipt(
                    """
                    -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name ssh
                    -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 30 --hitcount 6 --name ssh -j DROP
                    -A INPUT -p tcp --dport 22 -j ACCEPT
                    """, policy: "DROP")
            )
        ],
        .pass, "-j ACCEPT"),
    FirewallRow(
        "recent --rcheck cannot be evaluated",
        loads: [
            ("iptables-restore", ipt("-A INPUT -p tcp --dport 22 -m recent --rcheck --seconds 60 --name ssh -j DROP"))
        ],
        .undecided, "recent"),
]

@Suite("firewall-allows", .serialized)
struct FirewallAllowsTests {
    /// Loads a row's rules into `namespace` after clearing every table, then evaluates them as the check does.
    func evaluate(_ row: FirewallRow, in namespace: TestNetworkNamespace, scratch: TemporaryDirectory) async throws
        -> (FirewallAllows.Decision, CheckResult)
    {
        try await clearFirewall(namespace)
        for (index, load) in row.loads.enumerated() {
            let file = try scratch.write("load-\(index)", load.text)
            try await namespace.run(load.program == "nft" ? ["nft", "-f", file] : [load.program, file])
        }
        let sources = await FirewallAllows.collect(namespace.executor, family: row.packet.family, timeout: testTimeout)
        let decision = FirewallAllows.decide(sources.chains(for: row.packet))
        return (decision, FirewallAllows.result(decision, packet: row.packet, evidence: [:]))
    }

    func clearFirewall(_ namespace: TestNetworkNamespace) async throws {
        try await namespace.run(["nft", "flush", "ruleset"])
        for program in ["iptables-legacy", "ip6tables-legacy"] {
            for table in ["filter", "raw", "mangle"] {
                try await namespace.run([program, "-t", table, "-F"])
                try await namespace.run([program, "-t", table, "-X"])
            }
            try await namespace.run([program, "-P", "INPUT", "ACCEPT"])
            try await namespace.run([program, "-P", "OUTPUT", "ACCEPT"])
        }
    }

    func check(_ row: FirewallRow, _ decision: FirewallAllows.Decision, _ result: CheckResult) {
        #expect(decision.kind == row.kind, "\(row.name): \(result.summary) \(result.evidence)")
        if let decidedBy = row.decidedBy {
            let text =
                row.kind == .undecided
                ? result.summary
                : decision.outcome?.rule ?? "policy \(decision.chain?.policy ?? "?")"
            #expect(text.contains(decidedBy), "\(row.name): decided by '\(text)', expected '\(decidedBy)'")
        }
        switch row.kind {
        case .pass: #expect(result.status == .pass, "\(row.name): \(result)")
        case .blocked:
            #expect(result.status == .fail, "\(row.name): \(result)")
            #expect(
                result.evidence["way"]?.hasPrefix(row.packet.isReply ? "out" : "in") == true,
                "\(row.name): \(result.evidence)")
        case .undecided:
            #expect(result.status == .error, "\(row.name): \(result)")
            #expect(result.summary.hasPrefix("unknown (rule "), "\(row.name): \(result.summary)")
        }
    }

    /// Loads each row's rules into a fresh namespace in turn and checks the verdict.
    func checkAll(_ rows: [FirewallRow], namespace name: String) async throws {
        let namespace = try await TestNetworkNamespace(name)
        let scratch = try TemporaryDirectory("rb-fw")
        defer {
            namespace.delete()
            scratch.remove()
        }
        for row in rows {
            let (decision, result) = try await evaluate(row, in: namespace, scratch: scratch)
            check(row, decision, result)
        }
    }

    @Test("nftables rulesets loaded with nft -f, read back as JSON")
    func nftRulesets() async throws {
        #expect(nftRows.count >= 30)
        try await checkAll(nftRows, namespace: "nft")
    }

    @Test("iptables, ip6tables and legacy rulesets loaded with *-restore, read back with *-save")
    func iptablesRulesets() async throws {
        try await checkAll(iptablesRows, namespace: "ipt")
    }

    @Test("the replies' way out: output and postrouting chains of nft, iptables and legacy, loaded for real")
    func outputRulesets() async throws {
        #expect(outputRows.count >= 25 && outputRows.allSatisfy(\.packet.isReply))
        try await checkAll(outputRows, namespace: "out")
    }

    @Test("the deciding rule is the rule as nft writes it, without counter values")
    func ruleText() {
        #expect(
            NftRuleset.withoutCounterValues("tcp dport 22 counter packets 3 bytes 180 drop")
                == "tcp dport 22 counter drop")
        #expect(
            Route.parse("10.232.0.1 dev eth0 src 10.232.0.2 uid 0\n    cache \n")
                == Route(device: "eth0", source: IPAddress("10.232.0.2")))
    }

    @Test("addresses, prefixes and ranges")
    func addresses() throws {
        let client = try #require(IPAddress("10.232.0.1"))
        #expect(IPPrefix(address: try #require(IPAddress("10.232.0.0")), length: 30).contains(client))
        #expect(!IPPrefix(address: try #require(IPAddress("10.232.0.4")), length: 30).contains(client))
        #expect(client.isBetween(try #require(IPAddress("10.0.0.0")), try #require(IPAddress("10.255.0.0"))))
        let six = try #require(IPAddress("fd00:232::1"))
        #expect(IPPrefix(address: try #require(IPAddress("fd00:232::")), length: 64).contains(six))
        #expect(!IPPrefix(address: client, length: 0).contains(six))
        // A length past the family's width is held to it, as the firewalls read one.
        #expect(IPPrefix(address: client, length: 40).contains(client))
        #expect(!IPPrefix(address: client, length: 40).contains(try #require(IPAddress("10.232.0.2"))))
        #expect(IPAddress("10.232.0.300") == nil)
    }

    @Test(
        "port lists",
        arguments: [
            ("22", 22, true), ("20:25", 22, true), ("23:", 22, false), (":1024", 22, true),
            ("80,443,8000:8100", 8080, true), ("80,443", 22, false),
        ])
    func portLists(list: String, port: Int, expected: Bool) {
        #expect(IptablesRuleset.portList(list, contains: port) == expected)
    }

    @Test("the check through an executor: no rules, a drop, a reject, a policy, the replies' way out")
    func realRules() async throws {
        let namespace = try await TestNetworkNamespace("fw")
        defer { namespace.delete() }
        let context = CheckContext(timeout: testTimeout, vm: namespace.executor)
        let client = ["client-ip": "10.232.0.1"]

        let none = await FirewallAllows().run(client, context: context)
        #expect(none.status == .pass, "\(none)")
        #expect(none.summary == "no firewall rules")

        try await namespace.run(["iptables", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT"])
        try await namespace.run(["iptables", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP"])
        let dropped = await FirewallAllows().run(client.merging(["port": "22"]) { $1 }, context: context)
        #expect(dropped.status == .fail)
        #expect(
            dropped.summary == "iptables-nft table filter chain INPUT drops tcp/22 from 10.232.0.1: "
                + "-A INPUT -p tcp -m tcp --dport 22 -j DROP (rule 2 of chain INPUT)")
        #expect(dropped.evidence["verdict"] == "drop")
        #expect(dropped.evidence["chain"] == "INPUT (hook input, priority 0)")
        let otherPort = await FirewallAllows().run(client.merging(["port": "2222"]) { $1 }, context: context)
        #expect(otherPort.status == .pass, "\(otherPort)")

        try await namespace.run(["iptables", "-F", "INPUT"])
        try await namespace.run(["iptables", "-P", "INPUT", "DROP"])
        let policy = await FirewallAllows().run(client, context: context)
        #expect(
            policy.summary
                == "iptables-nft table filter chain INPUT drops tcp/22 from 10.232.0.1: policy DROP (no rule matches)")
        #expect(policy.evidence["policy"] == "DROP")

        try await namespace.run(["iptables", "-P", "INPUT", "ACCEPT"])
        try await namespace.run(["iptables", "-A", "OUTPUT", "-p", "tcp", "--sport", "22", "-j", "DROP"])
        let replies = await FirewallAllows().run(client, context: context)
        #expect(replies.status == .fail)
        #expect(
            replies.summary == "iptables-nft table filter chain OUTPUT drops the replies of tcp/22 to 10.232.0.1: "
                + "-A OUTPUT -p tcp -m tcp --sport 22 -j DROP (rule 1 of chain OUTPUT)")
        #expect(replies.evidence["chain"] == "OUTPUT (hook output, priority 0)")
        #expect(replies.evidence["way"] == "out: the server's replies")
        #expect(
            replies.evidence["inbound"]
                == "lets tcp/22 in from 10.232.0.1: iptables-nft table filter chain INPUT accepts by policy ACCEPT (no rule matches)"
        )
        #expect(replies.evidence["reply"]?.contains("ct state established, reply") == true)
        try await namespace.run(["iptables", "-F", "OUTPUT"])
        try await namespace.run(["iptables", "-P", "OUTPUT", "DROP"])
        let noEstablished = await FirewallAllows().run(client, context: context)
        #expect(
            noEstablished.summary.hasSuffix("drops the replies of tcp/22 to 10.232.0.1: policy DROP (no rule matches)"))
        try await namespace.run([
            "iptables", "-I", "OUTPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT",
        ])
        let established = await FirewallAllows().run(client, context: context)
        #expect(established.status == .pass, "\(established)")
        #expect(
            established.evidence["reply-passed"]?.contains("--ctstate RELATED,ESTABLISHED -j ACCEPT") == true,
            "\(established.evidence)")
        try await namespace.run(["iptables", "-F", "OUTPUT"])
        try await namespace.run(["iptables", "-P", "OUTPUT", "ACCEPT"])
        try await namespace.run(["nft", "add", "table", "inet", "t"])
        try await namespace.run(["nft", "add chain inet t input { type filter hook input priority 0; }"])
        try await namespace.run(["nft", "add rule inet t input tcp dport 22 counter reject"])
        let rejected = await FirewallAllows().run(client, context: context)
        #expect(rejected.status == .fail)
        #expect(
            rejected.summary == "nftables table inet t chain input rejects tcp/22 from 10.232.0.1: "
                + "tcp dport 22 counter reject (rule 1 of chain input)")
        let bad = await FirewallAllows().run(["client-ip": "not-an-address"], context: context)
        #expect(bad.status == .error)
    }

    /// The kernel's answer for the real thing: rulesets in a namespace joined to this machine by a veth
    /// pair on 10.232.X.0/30, a listener on port 22 inside, and a TCP connect from outside.
    @Test("the verdict matches what the kernel does to a real connection")
    func kernelAgrees() async throws {
        let lab = try await VethLab.make()
        defer { lab.delete() }
        let scratch = try TemporaryDirectory("rb-fw")
        defer { scratch.remove() }
        let client = lab.hostAddress
        let rulesets: [(name: String, loads: [(program: String, text: String)])] = [
            ("no rules", []),
            (
                "inet policy drop, established only",
                [("nft", inet("ct state established,related accept", policy: "drop"))]
            ),
            (
                "named set holding the client",
                [
                    (
                        "nft",
                        inet(
                            "ip saddr @blocked drop",
                            extra:
                                "set blocked { type ipv4_addr; flags interval; elements = { 192.0.2.0/24, \(client) } }"
                        )
                    )
                ]
            ),
            (
                "drop in a chain reached by jump",
                [
                    (
                        "nft",
                        """
                        table inet t {
                            chain ssh { tcp dport 22 drop; }
                            chain input { type filter hook input priority 0; jump ssh; }
                        }
                        """
                    )
                ]
            ),
            ("iifname eth0 drop", [("nft", inet("iifname \"eth0\" tcp dport 22 drop"))]),
            ("nft reject", [("nft", inet("tcp dport 22 reject"))]),
            ("drop of port 2222 only", [("nft", inet("tcp dport 2222 drop"))]),
            ("drop of a source range without the client", [("nft", inet("ip saddr 192.0.2.10-192.0.2.20 drop"))]),
            ("vmap drop", [("nft", inet("tcp dport vmap { 22 : drop }"))]),
            (
                "accept, then drop in a later base chain",
                [
                    (
                        "nft",
                        """
                        table inet a {
                            chain input { type filter hook input priority -10; tcp dport 22 accept; }
                        }
                        table ip b {
                            chain input { type filter hook input priority 10; tcp dport 22 drop; }
                        }
                        """
                    )
                ]
            ),
            (
                "drop in prerouting",
                [("nft", "table ip t {\n chain pre { type filter hook prerouting priority 0; tcp dport 22 drop; }\n}")]
            ),
            (
                "goto a chain whose end falls to policy drop",
                [
                    (
                        "nft",
                        """
                        table inet t {
                            chain web { tcp dport 80 accept; }
                            chain input { type filter hook input priority 0; policy drop; goto web; tcp dport 22 accept; }
                        }
                        """
                    )
                ]
            ),
            (
                "iptables ACCEPT but nft drop",
                [
                    ("iptables-restore", ipt("-A INPUT -p tcp --dport 22 -j ACCEPT")),
                    ("nft", inet("tcp dport 22 drop")),
                ]
            ),
            ("iptables-legacy REJECT", [("iptables-legacy-restore", ipt("-A INPUT -p tcp --dport 22 -j REJECT"))]),
            ("ip6tables DROP, IPv4 client", [("ip6tables-restore", ipt("-A INPUT -p tcp --dport 22 -j DROP"))]),
            (
                "netdev ingress on eth0 drops",
                [
                    (
                        "nft",
                        """
                        table netdev t {
                            chain ing { type filter hook ingress device "eth0" priority 0; tcp dport 22 drop; }
                        }
                        """
                    )
                ]
            ),
            (
                "reverse-path fib check and limit rate over",
                [("nft", inet("fib saddr . iif oif missing drop\ntcp dport 22 limit rate over 1/minute drop"))]
            ),
            ("concatenated set of source and port", [("nft", inet("ip saddr . tcp dport { \(client) . 22 } reject"))]),
            (
                "named map jumps to a rejecting chain",
                [
                    (
                        "nft",
                        """
                        table inet t {
                            map ports { type inet_service : verdict; elements = { 22 : jump ssh } }
                            chain ssh { ct state new reject with tcp reset; }
                            chain input { type filter hook input priority 0; tcp dport vmap @ports; }
                        }
                        """
                    )
                ]
            ),
            (
                "policy drop, client's /30 accepted",
                [("nft", inet("ip saddr 10.232.\(lab.octet).0/30 tcp dport 22 accept", policy: "drop"))]
            ),
            // The replies' way out.
            ("nft output drops tcp sport 22", [("nft", inetOutput("tcp sport 22 drop"))]),
            (
                "nft output policy drop, established accepted",
                [("nft", inetOutput("ct state established,related accept", policy: "drop"))]
            ),
            (
                "nft output policy drop, no established accept",
                [("nft", inetOutput("tcp dport 22 accept", policy: "drop"))]
            ),
            ("nft output drops the VM's own SSH out only", [("nft", inetOutput("tcp dport 22 drop"))]),
            ("iptables OUTPUT DROP sport 22", [("iptables-restore", ipt("-A OUTPUT -p tcp --sport 22 -j DROP"))]),
            (
                "iptables OUTPUT policy DROP, ESTABLISHED accepted",
                [("iptables-restore", ipt("-A OUTPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT", output: "DROP"))]
            ),
            ("iptables-legacy OUTPUT policy DROP", [("iptables-legacy-restore", ipt("", output: "DROP"))]),
        ]
        var rows = 0
        var seen: Set<String> = []
        for ruleset in rulesets {
            try await clearFirewall(lab.namespace)
            for (index, load) in ruleset.loads.enumerated() {
                let file = try scratch.write("k-\(index)", load.text)
                try await lab.namespace.run(load.program == "nft" ? ["nft", "-f", file] : [load.program, file])
            }
            let context = CheckContext(timeout: testTimeout, vm: lab.namespace.executor)
            let result = await FirewallAllows().run(["port": "22", "client-ip": client], context: context)
            let kernel = try await lab.connect(port: 22)
            seen.insert(kernel)
            let predicted: String
            switch result.status {
            case .pass: predicted = "open"
            // A reply that does not get out leaves the client waiting, whatever the rule's verdict.
            case .fail:
                predicted =
                    result.evidence["verdict"] == "reject" && result.evidence["way"]?.hasPrefix("in") == true
                    ? "refused" : "timeout"
            default: predicted = "error: \(result.summary)"
            }
            #expect(predicted == kernel, "\(ruleset.name): evaluator \(result.summary), kernel \(kernel)")
            #expect(result.evidence["packet"]?.contains("on eth0") == true, "\(result.evidence)")
            rows += 1
        }
        #expect(rows >= 12)
        #expect(seen == ["open", "timeout", "refused"], "the rulesets must make the kernel answer every way")
    }
}

extension FirewallAllowsTests {
    @Test("for an IPv6 client too, the verdict matches what the kernel does")
    func kernelAgreesIPv6() async throws {
        let lab = try await VethLab.make()
        defer { lab.delete() }
        let scratch = try TemporaryDirectory("rb-fw")
        defer { scratch.remove() }
        let rulesets: [(name: String, loads: [(program: String, text: String)], expected: String)] = [
            ("no rules", [], "open"),
            ("ip6tables DROP", [("ip6tables-restore", ipt("-A INPUT -p tcp --dport 22 -j DROP"))], "timeout"),
            (
                "iptables DROP does not see IPv6", [("iptables-restore", ipt("-A INPUT -p tcp --dport 22 -j DROP"))],
                "open"
            ),
            (
                "nft ip6 saddr prefix reject",
                [("nft", inet("ip6 saddr fd00:232::/32 tcp dport 22 reject with tcp reset"))], "refused"
            ),
            (
                "nft ip table does not see IPv6",
                [("nft", "table ip t {\n chain c { type filter hook input priority 0; policy drop; }\n}")], "open"
            ),
            ("nft meta nfproto ipv6 drop", [("nft", inet("meta nfproto ipv6 tcp dport 22 drop"))], "timeout"),
        ]
        for ruleset in rulesets {
            try await clearFirewall(lab.namespace)
            for (index, load) in ruleset.loads.enumerated() {
                let file = try scratch.write("k6-\(index)", load.text)
                try await lab.namespace.run(load.program == "nft" ? ["nft", "-f", file] : [load.program, file])
            }
            let context = CheckContext(timeout: testTimeout, vm: lab.namespace.executor)
            let result = await FirewallAllows().run(["port": "22", "client-ip": lab.hostAddress6], context: context)
            let kernel = try await lab.connect(port: 22, ipv6: true)
            let predicted =
                result.status == .pass
                ? "open"
                : result.status == .fail
                    ? (result.evidence["verdict"] == "reject" ? "refused" : "timeout")
                    : "error: \(result.summary)"
            #expect(kernel == ruleset.expected, "\(ruleset.name): kernel \(kernel)")
            #expect(predicted == kernel, "\(ruleset.name): evaluator \(result.summary), kernel \(kernel)")
        }
    }
}

/// A namespace joined to this machine by a veth pair on 10.232.X.0/30 (host .1, namespace `eth0` .2)
/// and fd00:232:X::/64 (::1, ::2), with a bounded python3 listener on port 22 of both inside.
struct VethLab {
    let namespace: TestNetworkNamespace
    let hostInterface: String
    let octet: Int
    let listener: BackgroundProcess

    var hostAddress: String { "10.232.\(octet).1" }
    var vmAddress: String { "10.232.\(octet).2" }
    var hostAddress6: String { "fd00:232:\(octet)::1" }
    var vmAddress6: String { "fd00:232:\(octet)::2" }

    static func make() async throws -> VethLab {
        let namespace = try await TestNetworkNamespace("kern")
        var octet = Int(getpid() % 200) + 20
        for _ in 0..<50 {
            let used = try await sh(["ip", "-4", "-o", "addr", "show", "to", "10.232.\(octet).0/30"])
            if used.isEmpty, try await sh(["ip", "link", "show", "rbfw\(octet)h"], allowFailure: true).isEmpty {
                break
            }
            octet = (octet - 20 + 1) % 200 + 20
        }
        let host = "rbfw\(octet)h"
        do {
            try await sh(["ip", "link", "add", host, "type", "veth", "peer", "name", "rbfw\(octet)v"])
            try await sh(["ip", "link", "set", "rbfw\(octet)v", "netns", namespace.name])
            try await namespace.run(["ip", "link", "set", "rbfw\(octet)v", "name", "eth0"])
            try await sh(["ip", "addr", "add", "10.232.\(octet).1/30", "dev", host])
            try await sh(["ip", "link", "set", host, "up"])
            try await namespace.run(["ip", "addr", "add", "10.232.\(octet).2/30", "dev", "eth0"])
            try await namespace.run(["ip", "link", "set", "eth0", "up"])
            try await sh(["ip", "-6", "addr", "add", "fd00:232:\(octet)::1/64", "dev", host, "nodad"])
            try await namespace.run(["ip", "-6", "addr", "add", "fd00:232:\(octet)::2/64", "dev", "eth0", "nodad"])
        } catch {
            runToEnd(["ip", "link", "delete", host])
            namespace.delete()
            throw error
        }
        let script = """
            import select, socket, sys, time
            socks = []
            for family, address in ((socket.AF_INET, sys.argv[1]), (socket.AF_INET6, sys.argv[2])):
                s = socket.socket(family); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((address, 22)); s.listen(64); socks.append(s)
            end = time.time() + 180; n = 0
            while time.time() < end and n < 500:
                ready, _, _ = select.select(socks, [], [], 1)
                for s in ready:
                    c, _ = s.accept(); n += 1; c.close()
            """
        let listener = BackgroundProcess([
            "ip", "netns", "exec", namespace.name, "python3", "-c", script,
            "10.232.\(octet).2", "fd00:232:\(octet)::2",
        ])
        let lab = VethLab(namespace: namespace, hostInterface: host, octet: octet, listener: listener)
        for _ in 0..<50 {
            if try await lab.connect(port: 22) == "open", try await lab.connect(port: 22, ipv6: true) == "open" {
                return lab
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        lab.delete()
        throw SetupError("the listener in \(namespace.name) did not come up")
    }

    /// `open`, `refused` or `timeout` (1.5 s) for a TCP connect from this machine to the namespace.
    func connect(port: Int, ipv6: Bool = false) async throws -> String {
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET); s.settimeout(1.5)
            try:
                s.connect((sys.argv[1], int(sys.argv[2]))); print("open")
            except socket.timeout:
                print("timeout")
            except ConnectionRefusedError:
                print("refused")
            except OSError as e:
                print("error %s" % e)
            """
        return try await sh(["python3", "-c", script, ipv6 ? vmAddress6 : vmAddress, String(port)])
            .trimmingCharacters(in: " ")
    }

    func delete() {
        listener.stop()
        runToEnd(["ip", "link", "delete", hostInterface])
        namespace.delete()
    }
}
