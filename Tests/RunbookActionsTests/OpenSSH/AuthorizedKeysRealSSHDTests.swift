import Foundation
import Testing

@testable import RunbookActions

#if canImport(Glibc)
    import Glibc
#endif

/// A real sshd on 127.0.0.1 with its own `-f` config whose `AuthorizedKeysFile` is in an unusual
/// place with `%u`; the check must read the file sshd reads and agree with a real `ssh` login.
@Suite("authorized-keys against a real sshd", .serialized)
struct AuthorizedKeysRealSSHDTests {
    @Test("key in sshd's file: login works and the check passes; from= excluding 127.0.0.1: both refuse")
    func agreesWithSSH() async throws {
        // Under /run (root, 755 all the way up), so StrictModes yes has nothing to object to.
        let base = "/run/rb-keys-test-\(getpid())-\(UInt32.random(in: 0..<100_000))"
        try await sh(["mkdir", "-p", base + "/keys", "/run/sshd"])
        defer { runToEnd(["rm", "-rf", "--", base]) }
        try await sh(["chmod", "755", base, base + "/keys"])
        try await TestSSHD.makeKeys(in: base)
        let publicKey = try await sh(["cat", base + "/client_key.pub"])
        let port = try freePort()
        let config = base + "/sshd_config"
        let keysFile = base + "/keys/%u.keys"
        let text = TestSSHD.config(port: port, folder: base, authorizedKeysFile: keysFile, strictModes: true)
        try writeFile(config, text)
        func writeKeys(_ text: String) async throws {
            try writeFile(base + "/keys/root.keys", text)
        }
        try await writeKeys(publicKey)
        let server = BackgroundProcess(["/usr/sbin/sshd", "-D", "-E", base + "/sshd.log", "-f", config])
        defer { server.stop() }
        try await waitForListener(port)

        func login() async throws -> Bool {
            let output = try await ProcessRunner.run(
                [
                    "ssh", "-F", "/dev/null", "-i", base + "/client_key", "-p", String(port), "-o", "BatchMode=yes",
                    "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=\(base)/known_hosts",
                    "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=15", "root@127.0.0.1", "true",
                ], timeout: .seconds(40))
            return output.succeeded
        }
        func check() async -> CheckResult {
            await AuthorizedKeys().run(
                ["user": "root", "identity": base + "/client_key", "config": config, "host": "127.0.0.1"],
                context: localVM())
        }

        #expect(try await login())
        let accepted = await check()
        #expect(accepted.status == .pass, "\(accepted)")
        #expect(accepted.summary == "key accepted in \(base)/keys/root.keys:1")
        #expect(accepted.evidence["client-ip"] == "127.0.0.1")

        try await writeKeys("from=\"10.9.9.9\" " + publicKey)
        #expect(try await login() == false)
        let refused = await check()
        #expect(refused.status == .fail)
        #expect(
            refused.summary == "\(base)/keys/root.keys:1: from=\"10.9.9.9\" does not match the client address 127.0.0.1"
        )

        try await writeKeys("from=\"127.0.0.0/8,!10.0.0.0/8\" " + publicKey)
        #expect(try await login())
        #expect(await check().status == .pass)

        // Options sshd reads differently from a plain reading: the real login decides, and the
        // check must agree on every line.
        let lines = [
            "from=\"127.0.0.0/8\"", "from=\"!127.0.0.1,127.0.0.0/8\"", "from=\"127.0.0.*\"", "from=\"127.1\"",
            "from=\"127.0.0.1/8\"", "from=\"::1\"", "from=\"*,!10.0.0.0/8\"", "FROM=\"127.0.0.1\"",
            "expiry-time=\"20991231\"", "expiry-time=\"20200101Z\"", "restrict", "no-pty,no-port-forwarding",
            "bogus", "restrictive", "command=\"true\"", "cert-authority", "principals=\"root\"", "no-pty,",
        ]
        for options in lines {
            try await writeKeys(options + " " + publicKey)
            let loggedIn = try await login()
            let verdict = await check()
            #expect(
                loggedIn == (verdict.status == .pass),
                "\(options): ssh \(loggedIn ? "logged in" : "was refused"), the check: \(verdict)")
        }

        // StrictModes: the key directory writable by others.
        try await writeKeys(publicKey)
        try await sh(["chmod", "777", base + "/keys"])
        #expect(try await login() == false)
        let strict = await check()
        #expect(
            strict.summary
                == "sshd ignores \(base)/keys/root.keys, which holds the key: \(base)/keys has a bad mode: owner root (uid 0), mode 777 (StrictModes)"
        )

        // Writable by its group (root's): upstream sshd refuses, Debian's accepts when the group is
        // root's alone. Whatever this sshd does, the check must say the same.
        try await sh(["chmod", "775", base + "/keys"])
        let groupWritable = await check()
        #expect(try await login() == (groupWritable.status == .pass), "\(groupWritable)")

        // PermitRootLogin forced-commands-only: root gets in only with a key line forcing a command.
        try await sh(["chmod", "755", base + "/keys"])
        server.stop()
        try writeFile(
            config,
            try String(contentsOfFile: config, encoding: .utf8)
                .replacingOccurrences(
                    of: "PermitRootLogin prohibit-password", with: "PermitRootLogin forced-commands-only"))
        try await Task.sleep(for: .milliseconds(300))
        let forced = BackgroundProcess(["/usr/sbin/sshd", "-D", "-E", base + "/sshd2.log", "-f", config])
        defer { forced.stop() }
        try await waitForListener(port)
        try await writeKeys(publicKey)
        #expect(try await login() == false)
        let noCommand = await check()
        #expect(noCommand.status == .fail, "\(noCommand)")
        #expect(noCommand.summary.contains("forced-commands-only"))
        try await writeKeys("command=\"true\" " + publicKey)
        #expect(try await login())
        #expect(await check().status == .pass)
    }
}

/// Writes `text` to `path` with mode 644.
private func writeFile(_ path: String, _ text: String) throws {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, 0o644)
}

/// The account rules against a real sshd that sees the test's own passwd and shadow (it runs in the
/// same mount namespace setup as the check): whatever sshd does with the account, the check says.
@Suite("login-account against a real sshd", .serialized)
struct LoginAccountRealSSHDTests {
    /// (shell, password field, expire field, remove the home)
    @Test("the check agrees with a real login on each account")
    func agreesWithSSH() async throws {
        let user = try await AuthorizedKeysTests.FakeUser.make()
        defer { user.directory.remove() }
        let passwd = try await sh(["cat", "/etc/passwd"])
        let shadow = try await sh(["cat", "/etc/shadow"])
        // The fixture's line has from="10.0.0.0/8"; this client comes from 127.0.0.1.
        try user.directory.write("home/.ssh/authorized_keys", user.mine, mode: 0o600)
        try await sh(["chown", "4242:4242", user.keysFile])

        // (shell, shadow fields after the name, remove the home)
        let cases: [(shell: String, shadow: String, homeless: Bool)] = [
            ("/bin/sh", "*:20786:0:99999:7:::", false),
            ("/bin/sh", "!:20786:0:99999:7:::", false),
            ("/bin/sh", "!*:20786:0:99999:7:::", false),
            ("/bin/sh", "*:20786:0:99999:7::18262:", false),
            ("/usr/sbin/nologin", "*:20786:0:99999:7:::", false),
            ("/bin/false", "*:20786:0:99999:7:::", false),
            ("/bin/no-such-shell", "*:20786:0:99999:7:::", false),
            ("", "*:20786:0:99999:7:::", false),
            ("/bin/sh", "*:20786:0:99999:7:::", true),
            ("/bin/sh", "*:20786:0:99999:7::20786:", false),  // expires today: sshd lets in, pam_unix does not
            ("/bin/sh", "*:0:0:99999:7:::", false),  // chage -d 0: a password change first
            ("/bin/sh", "*:18262:0:30:7:10::", false),  // aged past max + inactive
            ("/bin/sh", "*:20089:0:30:7:::", false),  // aged past max
        ]
        for usePAM in [false, true] {
            let port = try freePort()
            try user.writeConfig(
                """
                Port \(port)
                ListenAddress 127.0.0.1
                PidFile \(user.directory.file("sshd.pid"))
                StrictModes yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM \(usePAM ? "yes" : "no")

                """)
            let server = BackgroundProcess(
                user.executor.prefix + [
                    "/usr/sbin/sshd", "-D", "-E", user.directory.file("sshd.log"), "-f", user.config,
                ])
            defer { server.stop() }
            try await waitForListener(port)
            for account in cases {
                // Written in place: sshd sees the files through bind mounts of these very inodes.
                try user.directory.write("passwd", passwd + "rbkeys:x:4242:4242::\(user.home):\(account.shell)\n")
                try user.directory.write("shadow", shadow + "rbkeys:\(account.shadow)\n", mode: 0o640)
                if account.homeless { try await sh(["mv", user.home, user.home + ".gone"]) }
                let login = try await ProcessRunner.run(
                    [
                        "ssh", "-F", "/dev/null", "-i", user.clientKey, "-p", String(port), "-o", "BatchMode=yes",
                        "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=\(user.directory.file("known_hosts"))",
                        "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=15", "rbkeys@127.0.0.1", "true",
                    ], timeout: .seconds(40))
                let verdict = await LoginAccount().run(
                    ["user": "rbkeys", "config": user.config, "host": "127.0.0.1"], context: user.context)
                let label =
                    "UsePAM \(usePAM) \(account): ssh exit \(login.exitCode) \(login.standardError.trimmedLine); the check: \(verdict.summary)"
                #expect((login.exitCode == 0) == (verdict.status == .pass), "\(label)")
                // Refused at authentication (255) or a session that ends at once (the shell's own exit code).
                if login.exitCode != 0 {
                    #expect(verdict.summary.contains("session") == (login.exitCode != 255), "\(label)")
                }
                if account.homeless { try await sh(["mv", user.home + ".gone", user.home]) }
            }
        }
    }

    @Test("/etc/nologin: sshd (UsePAM no) and pam_nologin (UsePAM yes) refuse, and so does the check")
    func nologin() async throws {
        let user = try await AuthorizedKeysTests.FakeUser.make()
        defer { user.directory.remove() }
        try user.directory.write("home/.ssh/authorized_keys", user.mine, mode: 0o600)
        try await sh(["chown", "4242:4242", user.keysFile])
        // A copy of /etc with the user and an /etc/nologin, mounted over /etc in a private mount
        // namespace only: the machine's own /etc is not touched.
        let etc = user.directory.file("etc")
        try await sh(["cp", "-a", "/etc", etc])
        try await sh(["cp", user.directory.file("passwd"), etc + "/passwd"])
        try await sh(["cp", user.directory.file("shadow"), etc + "/shadow"])
        try user.directory.write("etc/nologin", "maintenance\n")
        let executor = PrefixExecutor(prefix: [
            "unshare", "-m", "sh", "-c", #"mount --bind "$1" /etc && shift && exec "$@""#, "sh", etc,
        ])
        for usePAM in [false, true] {
            let port = try freePort()
            try user.writeConfig(
                """
                Port \(port)
                ListenAddress 127.0.0.1
                PidFile \(user.directory.file("sshd.pid"))
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM \(usePAM ? "yes" : "no")

                """)
            let server = BackgroundProcess(
                executor.prefix + [
                    "/usr/sbin/sshd", "-D", "-E", user.directory.file("sshd.log"), "-f", user.config,
                ])
            defer { server.stop() }
            try await waitForListener(port)
            let login = try await ProcessRunner.run(
                [
                    "ssh", "-F", "/dev/null", "-i", user.clientKey, "-p", String(port), "-o", "BatchMode=yes",
                    "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=\(user.directory.file("known_hosts"))",
                    "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=15", "rbkeys@127.0.0.1", "true",
                ], timeout: .seconds(40))
            let verdict = await LoginAccount().run(
                ["user": "rbkeys", "config": user.config, "host": "127.0.0.1"],
                context: CheckContext(timeout: testTimeout, vm: executor))
            let label =
                "UsePAM \(usePAM): ssh exit \(login.exitCode) \(login.standardError.trimmedLine); the check: \(verdict.summary)"
            #expect(login.exitCode != 0, "\(label)")
            #expect(verdict.status == .fail, "\(label)")
            #expect(verdict.summary.hasPrefix("/etc/nologin exists"), "\(label)")
            #expect(verdict.summary.contains("session") == (login.exitCode != 255), "\(label)")
        }
    }
}
