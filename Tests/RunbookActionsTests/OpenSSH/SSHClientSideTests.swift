import Foundation
import Testing

@testable import RunbookActions

#if canImport(Glibc)
    import Glibc
#endif

/// The client-side checks read ssh the way ssh reads itself: `ssh -G`, its identity rules and its
/// known_hosts (issue 10). Captured outputs come from OpenSSH 9.2p1 (Debian 12).
@Suite("ssh client side")
struct SSHClientSideTests {
    // MARK: ssh -G and its errors

    @Test(
        "reads ssh's configuration errors with file and line",
        arguments: [
            (
                "Bad owner or permissions on /tmp/runbook-lab/rb-cli/client-home/.ssh/config", "config bad permissions",
                "/tmp/runbook-lab/rb-cli/client-home/.ssh/config"
            ),
            (
                "/tmp/runbook-lab/rb-cli/client-home/.ssh/config: line 8: Bad configuration option: thisisnotanoption\n"
                    + "/tmp/runbook-lab/rb-cli/client-home/.ssh/config: terminating, 1 bad configuration options",
                "config syntax error", "/tmp/runbook-lab/rb-cli/client-home/.ssh/config:8"
            ),
            (
                "/tmp/runbook-lab/rb-cli/client-home/.ssh/config.x line 2: no argument after keyword \"port\"\n"
                    + "/tmp/runbook-lab/rb-cli/client-home/.ssh/config.x: terminating, 1 bad configuration options",
                "config syntax error", "/tmp/runbook-lab/rb-cli/client-home/.ssh/config.x:2"
            ),
            (
                "/home/a b/.ssh/config line 3: keyword port extra arguments at end of line\nterminating",
                "config syntax error", "/home/a b/.ssh/config:3"
            ),
            ("Can't open user config file /nonexist: No such file or directory", "config unreadable", "/nonexist"),
        ])
    func configProblems(stderr: String, kind: String, location: String) {
        let problem = SSHEffectiveConfig.problem(in: stderr)
        #expect(problem?.kind.rawValue == kind, "\(stderr)")
        #expect(problem?.location == location, "\(String(describing: problem))")
    }

    @Test("no problem in ssh's chatter that is not about the config")
    func noProblem() {
        #expect(
            SSHEffectiveConfig.problem(in: "Pseudo-terminal will not be allocated because stdin is not a terminal.")
                == nil)
        #expect(SSHEffectiveConfig.problem(in: "ssh: connect to host 10.0.0.1 port 22: Connection refused") == nil)
        #expect(
            SSHEffectiveConfig.problem(
                in: "/bin/bash: line 1: /nonexistent/nc: No such file or directory\n"
                    + "kex_exchange_identification: Connection closed by remote host") == nil)
    }

    /// `ssh -G -p 22 -l rblab -- 10.231.175.2` of the lab client in its home (abridged).
    static let labG = """
        host 10.231.175.2
        user rblab
        hostname 10.231.175.2
        port 22
        stricthostkeychecking ask
        identityfile ~/.ssh/id_ed25519
        identityfile %d/.ssh/extra_%r
        globalknownhostsfile /dev/null
        userknownhostsfile /tmp/runbook-lab/rb-cli/client-home/.ssh/known_hosts /tmp/runbook-lab/rb-cli/client-home/.ssh/known_hosts2
        proxyjump rblab@[127.0.0.1]:9
        """

    @Test("parses ssh -G and expands ~ and tokens with the passwd home, as ssh does")
    func parsesG() {
        let config = SSHEffectiveConfig(
            settings: OpenSSHSettings.parse(Self.labG), home: "/h", localUser: "root", command: "ssh -G")
        #expect(config.identityFiles == ["/h/.ssh/id_ed25519", "/h/.ssh/extra_rblab"])
        #expect(!config.identityFilesAreDefaults)
        #expect(
            config.knownHostsFiles == [
                "/tmp/runbook-lab/rb-cli/client-home/.ssh/known_hosts",
                "/tmp/runbook-lab/rb-cli/client-home/.ssh/known_hosts2",
            ])
        #expect(config.optional("proxyjump") == "rblab@[127.0.0.1]:9")
        #expect(config.optional("proxycommand") == nil)
        #expect(config.port == 22 && config.user == "rblab")
        let defaults = SSHEffectiveConfig(
            settings: OpenSSHSettings.parse(
                SSHEffectiveConfig.defaultIdentityFiles.map { "identityfile \($0)" }.joined(separator: "\n")),
            home: "/h", localUser: "root", command: "")
        #expect(defaults.identityFilesAreDefaults)
    }

    @Test("the passwd home is the one ssh uses, not $HOME")
    func passwdHome() async throws {
        let entry = SSHEffectiveConfig.passwdEntry()
        let getent = try await sh(["getent", "passwd", String(getuid())])
        #expect(getent.split(separator: ":").map(String.init)[5] == entry.home)
        #expect(getent.hasPrefix(entry.user + ":"))
    }

    // MARK: known_hosts

    @Test("reads ssh-keygen -F (plain and hashed entries, markers) and ssh-keyscan")
    func parsesKnownHosts() {
        let plain = """
            # Host 10.231.175.2 found: line 1 
            10.231.175.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIISg8nWycmIkxVpTgBSlM3uYPFK0HU6SzepdTpIJslhm
            """
        #expect(
            SSHHostKey.parseFound(plain, file: "/k") == [
                SSHHostKey.KnownEntry(
                    file: "/k", line: 1, type: "ssh-ed25519",
                    blob: "AAAAC3NzaC1lZDI1NTE5AAAAIISg8nWycmIkxVpTgBSlM3uYPFK0HU6SzepdTpIJslhm")
            ])
        let hashed = """
            # Host 10.231.175.2 found: line 3 
            |1|mtQmtQ/QYyAd/u44a49Z7dDyC1w=|TX1YCkk6yJl3Pqx8qGh3i2kEw9g= ssh-ed25519 AAAAC3Nz
            # Host 10.231.175.2 found: line 7 
            @revoked 10.231.175.2 ssh-rsa AAAAB3
            """
        let entries = SSHHostKey.parseFound(hashed, file: "/k")
        #expect(entries.map(\.line) == [3, 7])
        #expect(entries[0].blob == "AAAAC3Nz" && entries[0].marker == nil)
        #expect(entries[1].marker == "@revoked" && entries[1].type == "ssh-rsa")
        let scan = """
            # 10.231.175.2:22 SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10
            10.231.175.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIISg8nWycmIkxVpTgBSlM3uYPFK0HU6SzepdTpIJslhm
            """
        #expect(SSHHostKey.parseKeys(scan).map(\.type) == ["ssh-ed25519"])
        #expect(SSHHostKey.keyscanType("ecdsa-sha2-nistp256") == "ecdsa")
    }

    /// A client config (for -F) that points known_hosts at `knownHosts`.
    func clientConfig(_ directory: TemporaryDirectory, knownHosts: String, extra: String = "") throws -> String {
        try directory.write(
            "client_config",
            "Host *\n    UserKnownHostsFile \(knownHosts)\n    GlobalKnownHostsFile /dev/null\n\(extra)", mode: 0o600)
    }

    func hostKeyLine(_ server: TestSSHServer) throws -> String {
        try String(contentsOfFile: server.directory.file("host_key.pub"), encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
    }

    @Test("a real server: known passes (plain and hashed), unknown fails with the fingerprint, accept-new passes")
    func hostKeyKnownAndUnknown() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let knownHosts = directory.file("known_hosts")
        let config = try clientConfig(directory, knownHosts: knownHosts)
        let arguments = ["host": "127.0.0.1", "port": String(server.port), "config": config]
        let fingerprint = try await sh(["ssh-keygen", "-l", "-f", server.directory.file("host_key.pub")])
            .split(separator: " ")[1]

        try directory.write("known_hosts", "[127.0.0.1]:\(server.port) \(try hostKeyLine(server))\n")
        let known = await SSHHostKey().run(arguments)
        #expect(known.status == .pass, "\(known)")
        #expect(known.evidence["known-entry"] == "\(knownHosts):1")
        #expect(known.evidence["fingerprint"] == String(fingerprint))

        try await sh(["ssh-keygen", "-q", "-H", "-f", knownHosts])
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8).hasPrefix("|1|"))
        let hashed = await SSHHostKey().run(arguments)
        #expect(hashed.status == .pass, "\(hashed)")

        // A name without [host]:port matches only port 22: for this port the key is unknown.
        try directory.write("known_hosts", "127.0.0.1 \(try hostKeyLine(server))\n")
        let unknown = await SSHHostKey().run(arguments)
        #expect(unknown.status == .fail, "\(unknown)")
        #expect(unknown.evidence["class"] == "host key unknown")
        #expect(unknown.evidence["fingerprint"] == "ssh-ed25519 \(fingerprint)")
        #expect(unknown.evidence["accept"] == "ssh-keyscan -p \(server.port) -t ed25519 -- 127.0.0.1 >> \(knownHosts)")
        #expect(unknown.summary.contains("not a fault of the VM"))

        let lenient = try clientConfig(
            directory, knownHosts: knownHosts, extra: "    StrictHostKeyChecking accept-new\n")
        let accepted = await SSHHostKey().run(["host": "127.0.0.1", "port": String(server.port), "config": lenient])
        #expect(accepted.status == .pass, "\(accepted)")
    }

    @Test("a real server whose key changed: both fingerprints and the file:line")
    func hostKeyChanged() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await sh(["ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", directory.file("other")])
        let other = try String(contentsOfFile: directory.file("other.pub"), encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let knownHosts = try directory.write("known_hosts", "# a comment\n[127.0.0.1]:\(server.port) \(other)\n")
        let config = try clientConfig(directory, knownHosts: knownHosts)
        let result = await SSHHostKey().run(["host": "127.0.0.1", "port": String(server.port), "config": config])
        let offered = try await sh(["ssh-keygen", "-l", "-f", server.directory.file("host_key.pub")]).split(
            separator: " ")[1]
        let old = try await sh(["ssh-keygen", "-l", "-f", directory.file("other.pub")]).split(separator: " ")[1]
        #expect(result.status == .fail, "\(result)")
        #expect(result.evidence["class"] == "host key changed")
        #expect(result.evidence["known-entry"] == "\(knownHosts):2")
        #expect(result.evidence["known-fingerprint"] == "ecdsa-sha2-nistp256 \(old)")
        #expect(result.evidence["offered-fingerprint"] == "ssh-ed25519 \(offered)")
    }

    @Test("nothing answers: the host key cannot be learned, so the check is skipped")
    func hostKeyNoServer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try clientConfig(directory, knownHosts: directory.file("known_hosts"))
        let result = await SSHHostKey().run(["host": "127.0.0.1", "port": String(try freePort()), "config": config])
        #expect(result.status == .skipped, "\(result)")
    }

    // MARK: identities (file-mode ssh-host=)

    func identityCheck(_ config: String) async -> CheckResult {
        await FileMode().run(["ssh-host": "lab", "ssh-config": config])
    }

    @Test(
        "identity files judged as ssh loads them: mode of your own key, missing, passphrase; another user's key is not checked"
    )
    func identities() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = directory.file("id")
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key])
        let config = try directory.write("config", "Host lab\n    IdentityFile \(key)\n", mode: 0o600)

        let good = await identityCheck(config)
        #expect(good.status == .pass, "\(good)")

        try await sh(["chmod", "640", key])
        let open = await identityCheck(config)
        #expect(open.status == .fail, "\(open)")
        #expect(open.evidence["class"] == "bad key permissions")
        #expect(open.evidence["mode"] == "640")

        // sshkey_perm_ok checks only keys the user owns; root reads another user's key.
        if getuid() == 0 {
            try await sh(["chown", "65534", key])
            let foreign = await identityCheck(config)
            #expect(foreign.status == .pass, "\(foreign)")
            try await sh(["chown", "0", key])
        }
        try await sh(["chmod", "600", key])

        try await sh(["ssh-keygen", "-q", "-p", "-P", "", "-N", "secret words", "-f", key])
        let locked = await identityCheck(config)
        #expect(locked.status == .fail, "\(locked)")
        #expect(locked.evidence["class"] == "key needs passphrase")

        let missing = try directory.write(
            "config2", "Host lab\n    IdentityFile \(directory.file("absent"))\n", mode: 0o600)
        let gone = await identityCheck(missing)
        #expect(gone.status == .fail, "\(gone)")
        #expect(gone.evidence["class"] == "identity missing")

        let broken = try directory.write("config3", "Host lab\n    NoSuchOption x\n", mode: 0o600)
        let unread = await identityCheck(broken)
        #expect(unread.status == .error, "\(unread)")
        #expect(unread.evidence["file"] == "\(broken):2")
    }

    // MARK: ssh-login against a real server

    @Test("an unknown host key: the login is tried again with a throw-away known_hosts")
    func retryUnknownHostKey() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let empty = server.directory.file("empty_known_hosts")
        let strict = "UserKnownHostsFile=\(empty),GlobalKnownHostsFile=/dev/null,StrictHostKeyChecking=yes"
        let healthy = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(server.port), "user": "root", "identity": server.clientKey,
            "config": "/dev/null", "options": strict,
        ])
        #expect(healthy.status == .fail)
        #expect(healthy.evidence["class"] == "host key unknown", "\(healthy)")
        #expect(healthy.evidence["retry"] == "logged in", "\(healthy)")
        #expect(!FileManager.default.fileExists(atPath: empty), "the user's known_hosts is left alone")

        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", server.directory.file("other")])
        let wrongKey = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(server.port), "user": "root",
            "identity": server.directory.file("other"),
            "config": "/dev/null", "options": strict,
        ])
        #expect(wrongKey.evidence["class"] == "host key unknown", "\(wrongKey)")
        #expect(wrongKey.evidence["retry"] == "auth refused", "\(wrongKey)")
    }

    @Test("a key with a passphrase in batch mode: 'key needs passphrase', not a bare auth refusal")
    func passphraseLogin() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        try await sh(["ssh-keygen", "-q", "-p", "-P", "", "-N", "secret words", "-f", server.clientKey])
        let result = await SSHLogin().run(
            [
                "host": "127.0.0.1", "port": String(server.port), "user": "root", "identity": server.clientKey,
                "config": "/dev/null", "options": server.clientOptions,
            ], context: CheckContext(timeout: testTimeout, environment: [:]))
        #expect(result.status == .fail)
        #expect(result.evidence["class"] == "key needs passphrase", "\(result)")
        #expect(result.evidence["stderr"]?.contains("Permission denied (publickey)") == true)
    }
}
