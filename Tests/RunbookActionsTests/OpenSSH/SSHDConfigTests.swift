import Testing

@testable import RunbookActions

#if canImport(Glibc)
    import Glibc
#endif

/// A real sshd in a network namespace of its own (so no other sshd of this machine is seen), started
/// with `-f` on a file at a non-default path, listening on 127.0.0.1 at a non-default port.
struct NamespacedSSHD {
    let namespace: TestNetworkNamespace
    let directory: TemporaryDirectory
    let port: Int
    let config: String
    let process: BackgroundProcess

    var context: CheckContext { CheckContext(timeout: testTimeout, vm: namespace.executor) }
    var clientKey: String { directory.file("client_key") }

    static func start(_ label: String, lines: String, options: [String] = [], port: Int = 2299) async throws
        -> NamespacedSSHD
    {
        let namespace = try await TestNetworkNamespace(label)
        let directory = try TemporaryDirectory("rb-\(label)")
        do {
            try await sh(["mkdir", "-p", directory.file("conf")])
            try await TestSSHD.makeKeys(in: directory.path)
            let config = try directory.write(
                "conf/alt_sshd_config", TestSSHD.config(port: port, folder: directory.path, extra: lines))
            let process = BackgroundProcess(
                [
                    "ip", "netns", "exec", namespace.name, "/usr/sbin/sshd", "-D", "-E", directory.file("sshd.log"),
                    "-f", config,
                ] + options.flatMap { ["-o", $0] })
            let server = NamespacedSSHD(
                namespace: namespace, directory: directory, port: port, config: config, process: process)
            for _ in 0..<100 {
                let ss = try await sh(["ip", "netns", "exec", namespace.name, "ss", "-Hltn", "sport = :\(port)"])
                if !ss.isEmpty { return server }
                try await Task.sleep(for: .milliseconds(50))
            }
            server.stop()
            throw SetupError(
                "sshd did not come to listen: \((try? await sh(["cat", directory.file("sshd.log")])) ?? "")")
        } catch {
            namespace.delete()
            directory.remove()
            throw error
        }
    }

    /// A real batch-mode login as root with the client key from inside the namespace: whether sshd let it in.
    func logsIn() async throws -> Bool {
        let output = try await ProcessRunner.run(
            [
                "ip", "netns", "exec", namespace.name, "ssh", "-F", "/dev/null", "-i", clientKey, "-p", String(port),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=no", "-o", "ConnectTimeout=5", "root@127.0.0.1", "true",
            ],
            timeout: testTimeout)
        return output.succeeded
    }

    func stop() {
        process.stop()
        // The daemon forks away from `ip netns exec`: end it by its pid file.
        runToEnd(["sh", "-c", "kill \"$(cat \"$1\")\"", "sh", directory.file("sshd.pid")])
        namespace.delete()
        directory.remove()
    }
}

@Suite("sshd-config", .serialized)
struct SSHDConfigTests {
    @Test("reads the running sshd's own -f file and -o options, not /etc/ssh/sshd_config; reports its ports")
    func ownConfig() async throws {
        let server = try await NamespacedSSHD.start(
            "own", lines: "AllowUsers someoneelse", options: ["DenyUsers nobody"])
        defer { server.stop() }

        let settings = try await RunningSSHD.effectiveSettings(
            port: server.port, user: "root", clientAddress: "127.0.0.1", executor: server.namespace.executor,
            timeout: testTimeout)
        #expect(settings.configPath == server.config)
        #expect(settings.pid != nil)
        #expect(settings["port"] == ["2299"])
        #expect(settings["denyusers"] == ["nobody"])
        #expect(settings["allowusers"] == ["someoneelse"])
        #expect(settings.evidence["config-source"] == "-f on the running sshd's command line")

        let valid = await SSHDConfig().run(["port": String(server.port)], context: server.context)
        #expect(valid.status == .pass, "\(valid)")
        #expect(valid.summary.hasPrefix("valid: \(server.config) (sshd pid "), "\(valid)")
        #expect(valid.summary.hasSuffix("listens on 127.0.0.1:2299)"), "\(valid)")
        #expect(valid.evidence["config"] == server.config)

        // Asked about port 22, where nothing listens: it is the sshd on 2299 that runs, and it says so.
        let other = await SSHDConfig().run(["port": "22"], context: server.context)
        #expect(other.status == .pass)
        #expect(other.summary.contains("127.0.0.1:2299"), "\(other)")
        #expect(!other.summary.contains("port 22"))
        #expect(other.evidence["sshd-note"] == "no sshd listens on port 22; this one listens on 127.0.0.1:2299")

        let login = await SSHDConfig().run(
            ["port": String(server.port), "user": "root", "client-ip": "127.0.0.1"], context: server.context)
        #expect(login.status == .fail)
        #expect(login.summary == "AllowUsers someoneelse does not let root in from 127.0.0.1", "\(login)")
        #expect(login.evidence["directive"] == "AllowUsers")
        #expect(login.evidence["config"] == server.config)
        #expect(try await server.logsIn() == false)
    }

    @Test("a file edited after sshd started and broken now: sshd still runs from the old load (pass, warning)")
    func editedNotRestarted() async throws {
        let server = try await NamespacedSSHD.start("edit", lines: "")
        defer { server.stop() }
        try await sh([
            "sh", "-c", "echo 'ThisIsNotAnOption yes' >>\"$1\" && touch -d \"@$(($(date +%s) + 60))\" \"$1\"", "sh",
            server.config,
        ])

        let valid = await SSHDConfig().run(["port": String(server.port)], context: server.context)
        #expect(valid.status == .pass, "\(valid)")
        #expect(valid.summary.contains("warning: \(server.config) is invalid now (line "), "\(valid)")
        #expect(
            valid.summary.contains("Bad configuration option: ThisIsNotAnOption), a restart would fail"), "\(valid)")
        #expect(valid.evidence["stale"]?.contains("edited, not restarted") == true)
        #expect(try await server.logsIn() == true)

        let login = await SSHDConfig().run(
            ["port": String(server.port), "user": "root", "client-ip": "127.0.0.1"], context: server.context)
        #expect(login.status == .error)
        #expect(
            login.summary.hasPrefix(
                "the running sshd's settings cannot be read: \(server.config) is invalid now (edited after sshd started)"
            ), "\(login)")
    }

    @Test("no sshd runs: the file sshd would read; a broken one fails")
    func noSSHD() async throws {
        let namespace = try await TestNetworkNamespace("nosshd")
        defer { namespace.delete() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("host_key")])
        let path = try directory.write("sshd_config", "HostKey \(directory.file("host_key"))\nUsePAM no\nFoo bar\n")
        let context = CheckContext(timeout: testTimeout, vm: namespace.executor)
        let result = await SSHDConfig().run(["path": path], context: context)
        #expect(result.status == .fail)
        #expect(result.summary == "\(path) is invalid: line 3: Bad configuration option: Foo (no sshd runs)")
        #expect(result.evidence["config-source"] == "no sshd runs: the file sshd would read")

        let good = try directory.write(
            "sshd_config", "HostKey \(directory.file("host_key"))\nUsePAM no\nDenyGroups ro*\n")
        let denied = await SSHDConfig().run(["path": good, "user": "root", "client-ip": "10.0.0.1"], context: context)
        #expect(
            denied.summary
                == "DenyGroups ro* refuses root: member of root (entry ro*) (no sshd runs: rules of \(good), the file sshd would read)",
            "\(denied)")
        let missing = await SSHDConfig().run(
            ["path": good, "user": "rb-nobody-here", "client-ip": "10.0.0.1"], context: context)
        #expect(missing.summary == "user rb-nobody-here does not exist in the VM (needed for AllowGroups/DenyGroups)")
    }

    /// Each row: config lines, and whether sshd's rules (as evaluated by the check) let root in from
    /// 127.0.0.1. A real batch-mode login against the real sshd must agree.
    static let rules: [(lines: String, options: [String], allowed: Bool, directive: String?)] = [
        ("AllowUsers root@127.0.0.1", [], true, nil),
        ("AllowUsers root@10.0.0.0/8", [], false, "AllowUsers"),
        ("AllowUsers root@127.0.0.0/8,!127.0.0.1", [], false, "AllowUsers"),
        ("DenyUsers r*@127.*", [], false, "DenyUsers"),
        ("DenyGroups root", [], false, "DenyGroups"),
        ("AllowGroups ro?t", [], true, nil),
        ("PermitRootLogin no", ["PermitRootLogin=no"], false, "PermitRootLogin"),
        ("Match Address 127.0.0.1\n  PubkeyAuthentication no", [], false, "PubkeyAuthentication"),
        ("Match Address 10.0.0.0/8\n  PubkeyAuthentication no", [], true, nil),
        ("AuthenticationMethods publickey,password", ["PasswordAuthentication=yes"], false, "AuthenticationMethods"),
        ("", ["AllowUsers=nobody"], false, "AllowUsers"),
    ]

    @Test("the verdict agrees with a real login against the real sshd", arguments: Self.rules.indices)
    func agreesWithSSHD(row: Int) async throws {
        let (lines, options, allowed, directive) = Self.rules[row]
        let server = try await NamespacedSSHD.start("rule\(row)", lines: lines, options: options, port: 2200 + row)
        defer { server.stop() }
        let result = await SSHDConfig().run(
            ["port": String(server.port), "user": "root", "client-ip": "127.0.0.1"], context: server.context)
        #expect(result.status == (allowed ? .pass : .fail), "\(result)")
        #expect(result.evidence["directive"] == directive, "\(result)")
        #expect(try await server.logsIn() == allowed, "real sshd: \(lines) \(options)")
    }

    @Test("port-listening: sshd on 127.0.0.1 is reachable from the VM itself, not from another client")
    func listening() async throws {
        let server = try await NamespacedSSHD.start("listen", lines: "")
        defer { server.stop() }
        let local = await PortListening().run(
            ["port": String(server.port), "process": "sshd", "client-ip": "127.0.0.1"], context: server.context)
        #expect(local.status == .pass, "\(local)")
        #expect(local.summary == "sshd listens on 127.0.0.1:2299, reachable from the client on 127.0.0.1:2299")
        let remote = await PortListening().run(
            ["port": String(server.port), "client-ip": "10.9.9.9"], context: server.context)
        #expect(remote.status == .fail)
        #expect(
            remote.summary == "sshd listens on 127.0.0.1:2299 only: loopback, unreachable from the client", "\(remote)")
    }
}
