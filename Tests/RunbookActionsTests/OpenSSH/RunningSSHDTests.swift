import Testing

@testable import RunbookActions

/// Outputs captured from real runs (OpenSSH 9.2, Linux 6.x) on this machine.
enum Captured {
    /// `/proc/PID/cmdline` of `sshd -f /tmp/h-sshd/t1/cfg -o "AllowUsers nobody" -o DenyUsers=x -E /tmp/h-sshd/t1/log`:
    /// sshd rewrote its title, one string.
    static let listenerTitle =
        "sshd: /usr/sbin/sshd -f /tmp/h-sshd/t1/cfg -o AllowUsers nobody -o DenyUsers=x -E /tmp/h-sshd/t1/log [listener] 0 of 10-100 startups"

    /// `/proc/17417/stat` of that sshd; `btime 1795923983` in `/proc/stat`, `getconf CLK_TCK` 100.
    static let listenerStat =
        "17417 (sshd) S 1 17417 17417 0 -1 4194368 58 0 0 0 0 0 0 0 20 0 1 0 57392 15826944 807 18446744073709551615 94596919279616 94596920124301 140726368055824 0 0 0 0 4096 81925 1 0 0 17 0 0 0 0 0 0 94596920477552 94596920493712 94597328809984 140726368062066 140726368062161 140726368062161 140726368063465 0"

    /// Its LISTEN socket in `/proc/net/tcp` (127.0.0.1:2299, inode 38570).
    static let listenerTCP = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:08FB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 38570 1 00000000d0aa04d1 100 0 0 10 0
        """

    /// `/proc/net/tcp` and `/proc/net/tcp6` of a namespace with listeners on 0.0.0.0:2201, 127.0.0.1:2202,
    /// 10.9.0.2:2203, [::]:2204 (IPV6_V6ONLY), [::]:2205 (dual-stack), [::1]:2206, [::ffff:10.9.0.2]:2207,
    /// [2001:db8::2]:2208; the namespace's address is 10.9.0.2/24 and 2001:db8::2/64 on a0.
    static let tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:089A 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104341 1 00000000b46451d0 100 0 0 10 0
           1: 0200090A:089B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104342 1 00000000e2740468 100 0 0 10 0
           2: 00000000:0899 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104340 1 00000000ba750f1d 100 0 0 10 0
        """
    static let tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000001000000:089E 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104345 1 0000000095b3166b 100 0 0 10 0
           1: 0000000000000000FFFF00000200090A:089F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104346 1 0000000095dd7da1 100 0 0 10 0
           2: B80D0120000000000000000002000000:08A0 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104347 1 0000000099bdbe12 100 0 0 10 0
           3: 00000000000000000000000000000000:089C 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104343 1 00000000a0fad766 100 0 0 10 0
           4: 00000000000000000000000000000000:089D 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 104344 1 00000000cbc59a78 100 0 0 10 0
        """
    /// `ip route get 10.9.0.7`, `ip route get 10.9.0.2`, `ip -6 route get 2001:db8::9` in that namespace.
    static let routeV4 = "10.9.0.7 dev a0 src 10.9.0.2 uid 0 \n    cache \n"
    static let routeLocal = "local 10.9.0.2 dev lo src 10.9.0.2 uid 0 \n    cache <local> \n"
    static let routeV6 = "2001:db8::9 from :: dev a0 proto kernel src 2001:db8::2 metric 256 pref medium\n"

    /// The lines `sshd -T` printed for the rules, with
    /// `-f cfg -o "AllowUsers nobody" -C user=alice,host=10.1.2.3,addr=10.1.2.3` (the file: `AllowUsers alice
    /// bob@10.0.0.0/8`, `Match Address 10.1.2.3` → `PubkeyAuthentication no`).
    static let dumpMatched = """
        port 2299
        listenaddress 127.0.0.1:2299
        permitrootlogin without-password
        pubkeyauthentication no
        strictmodes yes
        usedns no
        authorizedkeysfile .ssh/authorized_keys .ssh/authorized_keys2
        allowusers nobody
        allowusers alice
        allowusers bob@10.0.0.0/8
        authenticationmethods any
        """

    /// `sshd -T -f cfg2 -C user=rblab,host=10.231.5.1,addr=10.231.5.1,lport=2299` (PermitRootLogin
    /// forced-commands-only, AllowUsers with user@host entries, DenyGroups wheel, two method lists, a Match
    /// Address 10.231.0.0/16 block turning keys off).
    static let dumpRules = """
        port 2299
        listenaddress 127.0.0.1:2299
        permitrootlogin forced-commands-only
        pubkeyauthentication no
        usedns no
        allowusers rblab@10.9.9.9
        allowusers alice@10.0.0.0/8,!10.0.0.5
        allowusers bob
        denygroups wheel
        authenticationmethods publickey,password publickey,keyboard-interactive
        """
    /// The same from 192.0.2.7, outside the Match block.
    static let dumpRulesOutside = dumpRules.replacingOccurrences(
        of: "pubkeyauthentication no", with: "pubkeyauthentication yes")
}

@Suite("running sshd")
struct RunningSSHDTests {
    @Test("reads -f, -o and -p back from sshd's rewritten title")
    func title() {
        let words = RunningSSHD.commandWords([Captured.listenerTitle])
        #expect(words.first == "/usr/sbin/sshd")
        #expect(!words.contains("[listener]"))
        let parsed = RunningSSHD.parseCommandLine(words)
        #expect(parsed.config == "/tmp/h-sshd/t1/cfg")
        #expect(parsed.options == ["AllowUsers nobody", "DenyUsers=x"])
        #expect(parsed.ports == [])
    }

    @Test(
        "command lines as argv",
        arguments: [
            (["/usr/sbin/sshd", "-D"], nil as String?, [String](), [String]()),
            (
                ["/usr/sbin/sshd", "-Df/etc/alt", "-p", "2222", "-oAllowUsers=x"], "/etc/alt", ["AllowUsers=x"],
                ["2222"]
            ),
            (["sshd", "-o", "AllowUsers a b", "-e", "-p2299"], nil, ["AllowUsers a b"], ["2299"]),
            (["/usr/sbin/sshd", "-D", "-f", "/etc/ssh/my config"], "/etc/ssh/my config", [], []),
        ])
    func argv(words: [String], config: String?, options: [String], ports: [String]) {
        let parsed = RunningSSHD.parseCommandLine(RunningSSHD.commandWords(words))
        #expect(parsed.config == config)
        #expect(parsed.options == options)
        #expect(parsed.ports == ports)
    }

    @Test("start time from /proc/PID/stat field 22 and btime")
    func startTime() {
        #expect(RunningSSHD.startTicks(stat: Captured.listenerStat) == 57392)
        #expect(RunningSSHD.startTicks(stat: "5 (a) b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 999 1") == 999)
    }

    @Test("chooses the sshd holding the port's socket; else one listening elsewhere; else none")
    func choose() {
        let sockets = ListeningSocket.parse(procNetTCP: Captured.listenerTCP)
        let scan = RunningSSHD.parseScan(
            """
            btime 1795923983
            hz 100
            pid 900
            comm sshd
            exe /usr/sbin/sshd
            stat 900 (sshd) S 17417 900 900 0 -1 4194368 58 0 0 0 0 0 0 0 20 0 1 0 60000 0
            arg sshd: root [priv]
            sock 55555
            end
            pid 17417
            comm sshd
            exe /usr/sbin/sshd (deleted)
            stat \(Captured.listenerStat)
            arg \(Captured.listenerTitle)
            sock 38570
            end
            """)
        let onPort = RunningSSHD.choose(port: 2299, sockets: sockets, scan: scan)
        #expect(onPort?.pid == 17417)
        #expect(onPort?.onPort == true)
        #expect(onPort?.configPath == "/tmp/h-sshd/t1/cfg")
        #expect(onPort?.configFromCommandLine == true)
        #expect(onPort?.executableDeleted == true)
        #expect(onPort?.executable == "/usr/sbin/sshd")
        #expect(onPort?.startTime == 1_795_923_983 + 573)
        #expect(onPort?.endpoints == "127.0.0.1:2299")
        #expect(
            onPort?.configArguments == ["-f", "/tmp/h-sshd/t1/cfg", "-o", "AllowUsers nobody", "-o", "DenyUsers=x"])
        let elsewhere = RunningSSHD.choose(port: 22, sockets: sockets, scan: scan)
        #expect(elsewhere?.pid == 17417)
        #expect(elsewhere?.onPort == false)
        #expect(RunningSSHD.choose(port: 22, sockets: sockets, scan: RunningSSHD.Scan()) == nil)
    }

    @Test("routes as ip route get prints them")
    func routes() {
        #expect(Route.parse(Captured.routeV4) == Route(device: "a0", source: IPAddress("10.9.0.2"), isLocal: false))
        #expect(Route.parse(Captured.routeLocal) == Route(device: "lo", source: IPAddress("10.9.0.2"), isLocal: true))
        #expect(Route.parse(Captured.routeV6)?.source == IPAddress("2001:db8::2"))
    }
}

@Suite("sshd login rules")
struct SSHDLoginRulesTests {
    static func verdict(
        _ dump: String, user: String = "rblab", groups: [String] = ["rblab"], address: String? = "10.231.5.1",
        host: String? = nil
    ) -> SSHDLoginRules.Verdict {
        SSHDLoginRules.evaluate(
            user: user, groups: groups, settings: OpenSSHSettings.parse(dump), address: address, hostName: host)
    }

    @Test("AllowUsers from -o and the file, then the Match block's PubkeyAuthentication")
    func matched() {
        let alice = Self.verdict(Captured.dumpMatched, user: "alice", address: "10.1.2.3")
        #expect(alice.refusals.map(\.directive) == ["PubkeyAuthentication"])
        #expect(
            alice.refusals.first?.summary
                == "PubkeyAuthentication no: sshd accepts no key for alice from 10.1.2.3 (a Match block may set it)")
        // bob@10.0.0.0/8 holds 10.1.2.3, not 192.0.2.7.
        let bob = Self.verdict(Captured.dumpMatched, user: "bob", address: "10.1.2.3")
        #expect(bob.refusals.map(\.directive) == ["PubkeyAuthentication"])
        let bobOutside = Self.verdict(Captured.dumpMatched, user: "bob", address: "192.0.2.7")
        #expect(bobOutside.refusals.first?.directive == "AllowUsers")
        let rblab = Self.verdict(Captured.dumpMatched, address: "10.1.2.3")
        #expect(
            rblab.refusals.first?.summary
                == "AllowUsers nobody alice bob@10.0.0.0/8 does not let rblab in from 10.1.2.3")
    }

    @Test("user@host entries, groups, root, methods: each a distinct refusal in sshd's order")
    func rules() {
        let rblab = Self.verdict(Captured.dumpRules)
        #expect(rblab.refusals.map(\.directive) == ["AllowUsers", "PubkeyAuthentication", "AuthenticationMethods"])
        #expect(
            rblab.refusals[0].summary
                == "AllowUsers rblab@10.9.9.9 alice@10.0.0.0/8,!10.0.0.5 bob does not let rblab in from 10.231.5.1 (rblab@10.9.9.9 does not match the client from 10.231.5.1)"
        )
        #expect(
            rblab.refusals[2].summary
                == "AuthenticationMethods publickey,password publickey,keyboard-interactive: no list completes with a key alone in batch mode"
        )
        let alice = Self.verdict(
            Captured.dumpRulesOutside, user: "alice", groups: ["alice", "wheel"], address: "10.0.0.6")
        #expect(alice.refusals.map(\.directive) == ["DenyGroups", "AuthenticationMethods"])
        #expect(alice.refusals[0].summary == "DenyGroups wheel refuses alice: member of wheel (entry wheel)")
        let aliceExcluded = Self.verdict(
            Captured.dumpRulesOutside, user: "alice", groups: ["alice"], address: "10.0.0.5")
        #expect(aliceExcluded.refusals.first?.directive == "AllowUsers")
        let root = Self.verdict("permitrootlogin no\n", user: "root", groups: ["root"])
        #expect(root.refusals.map(\.summary) == ["PermitRootLogin no refuses root"])
        let forced = Self.verdict(Captured.dumpRulesOutside + "\nallowusers root", user: "root", groups: ["root"])
        #expect(forced.notes.first?.hasPrefix("PermitRootLogin forced-commands-only") == true)
        #expect(Self.verdict("permitrootlogin without-password\n", user: "root").refusals.isEmpty)
        #expect(Self.verdict("permitrootlogin no\n").refusals.isEmpty, "PermitRootLogin is about root only")
    }

    @Test("DenyUsers, AllowGroups and methods that do complete with a key")
    func more() {
        #expect(
            Self.verdict("denyusers rb*@10.231.*\n").refusals.first?.summary
                == "DenyUsers rb*@10.231.* refuses rblab from 10.231.5.1 (entry rb*@10.231.*)")
        #expect(Self.verdict("denyusers rb*@10.232.*\n").refusals.isEmpty)
        #expect(
            Self.verdict("allowgroups adm sudo\n", groups: ["rblab", "users"]).refusals.first?.summary
                == "AllowGroups adm sudo includes none of rblab's groups (rblab users)")
        #expect(Self.verdict("allowgroups us?rs\n", groups: ["rblab", "users"]).refusals.isEmpty)
        #expect(Self.verdict("authenticationmethods publickey,password publickey\n").refusals.isEmpty)
        #expect(Self.verdict("authenticationmethods publickey,publickey\n").refusals.count == 1)
        #expect(Self.verdict("authenticationmethods any\n").refusals.isEmpty)
    }

    @Test("without the client's address: decided when both outcomes agree, undecided otherwise")
    func unknownClient() {
        let maybe = Self.verdict("allowusers rblab@10.9.9.9\n", address: nil)
        #expect(maybe.refusals.isEmpty)
        #expect(maybe.undecided == ["AllowUsers lets rblab in only if the client's address matches rblab@10.9.9.9"])
        let no = Self.verdict("allowusers alice@10.9.9.9\n", address: nil)
        #expect(no.refusals.first?.directive == "AllowUsers")
        #expect(no.undecided.isEmpty)
        let yes = Self.verdict("allowusers rblab@10.9.9.9\nallowusers rblab\n", address: nil)
        #expect(yes.refusals.isEmpty && yes.undecided.isEmpty)
        #expect(Self.verdict("denyusers rblab@10.*\n", address: nil).undecided.count == 1)
    }
}

@Suite("listening address")
struct ListeningAddressTests {
    static let sockets =
        ListeningSocket.parse(procNetTCP: Captured.tcp) + ListeningSocket.parse(procNetTCP: Captured.tcp6)

    static func reach(_ port: Int, client: String?, route: String? = Captured.routeV4) -> ListeningSocket.Reach {
        let v6only: Set<Int> = [2204, 2206, 2208]
        return ListeningSocket.reachability(
            sockets.filter { $0.port == port }, client: client.flatMap(IPAddress.init),
            route: route.flatMap(Route.parse), v6only: { v6only.contains($0.port) })
    }

    @Test("parses every family of listener captured")
    func parsed() {
        #expect(
            Self.sockets.map(\.endpoint).sorted() == [
                "0.0.0.0:2201", "10.9.0.2:2203", "127.0.0.1:2202", "[2001:db8::2]:2208", "[::1]:2206",
                "[::]:2204", "[::]:2205", "[::ffff:10.9.0.2]:2207",
            ])
    }

    @Test(
        "who reaches which listener",
        arguments: [
            (2201, "10.9.0.7" as String?, "reach"), (2201, "2001:db8::9", "other"),
            (2202, "10.9.0.7", "loopback"), (2202, "127.0.0.1", "reach"),
            (2203, "10.9.0.7", "reach"), (2203, nil, "undecided"),
            (2204, "10.9.0.7", "other"), (2204, "2001:db8::9", "reach"), (2204, nil, "undecided"),
            (2205, "10.9.0.7", "reach"), (2205, nil, "reach"),
            (2206, "10.9.0.7", "loopback"),
            (2207, "10.9.0.7", "reach"),
            (2208, "10.9.0.7", "other"),
        ])
    func reach(port: Int, client: String?, expected: String) {
        let result = Self.reach(
            port, client: client, route: client.map { $0.contains(":") ? Captured.routeV6 : Captured.routeV4 })
        switch result {
        case .reachable: #expect(expected == "reach", "\(port) \(String(describing: client)): \(result)")
        case .loopbackOnly: #expect(expected == "loopback", "\(port): \(result)")
        case .otherAddress: #expect(expected == "other", "\(port): \(result)")
        case .undecided: #expect(expected == "undecided", "\(port): \(result)")
        }
    }

    @Test("the IPv6 listener on the VM's IPv6 address serves an IPv6 client routed to it")
    func ipv6Specific() {
        #expect(Self.reach(2208, client: "2001:db8::9", route: Captured.routeV6) == .reachable("[2001:db8::2]:2208"))
    }
}
