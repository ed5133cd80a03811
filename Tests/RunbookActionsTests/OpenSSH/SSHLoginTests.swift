import Testing

@testable import RunbookActions

@Suite("ssh-login")
struct SSHLoginTests {
    @Test(
        "classifies real OpenSSH messages",
        arguments: [
            ("ssh: connect to host 127.0.0.1 port 42223: Connection refused", "refused"),
            ("ssh: connect to host 10.1.2.3 port 22: Connection timed out", "timed out"),
            ("Connection timed out during banner exchange\nConnection to 10.1.2.3 port 22 timed out", "timed out"),
            ("ssh: connect to host 10.1.2.3 port 22: No route to host", "no route"),
            ("ssh: connect to host 10.1.2.3 port 22: Network is unreachable", "no route"),
            ("ssh: Could not resolve hostname no-such-host.invalid: Name or service not known", "name not resolved"),
            (
                "kex_exchange_identification: Connection closed by remote host\nConnection closed by 127.0.0.1 port 42224",
                "not ssh"
            ),
            (
                "kex_exchange_identification: read: Connection reset by peer\nConnection reset by 127.0.0.1 port 22",
                "not ssh"
            ),
            ("banner exchange: Connection to 127.0.0.1 port 8080: invalid format", "not ssh"),
            (
                "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                    + "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
                    + "Host key for [127.0.0.1]:42222 has changed and you have requested strict checking.\n"
                    + "Host key verification failed.", "host key changed"
            ),
            (
                "No ED25519 host key is known for [127.0.0.1]:42222 and you have requested strict checking.\n"
                    + "Host key verification failed.", "host key unknown"
            ),
            (
                "Warning: Permanently added '[127.0.0.1]:42222' (ED25519) to the list of known hosts.\n"
                    + "root@127.0.0.1: Permission denied (publickey).", "auth refused"
            ),
            ("Received disconnect from 127.0.0.1 port 22:2: Too many authentication failures", "auth refused"),
            (
                "@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n"
                    + "Permissions 0644 for '/tmp/k' are too open.\nThis private key will be ignored.\n"
                    + "Load key \"/tmp/k\": bad permissions\nroot@127.0.0.1: Permission denied (publickey).",
                "bad key permissions"
            ),
            (
                "kex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535",
                "proxy failed"
            ),
            (
                "/bin/bash: line 1: /nonexistent/nc: No such file or directory\n"
                    + "kex_exchange_identification: Connection closed by remote host\n"
                    + "Connection closed by UNKNOWN port 65535", "proxy failed"
            ),
            // Captured from OpenSSH 9.2p1 (Debian 12), the lab client in its own home (Tests/Lab/lab client).
            ("Bad owner or permissions on /root/.ssh/config", "config bad permissions"),
            (
                "/tmp/runbook-lab/rb-cli/client-home/.ssh/config: line 8: Bad configuration option: thisisnotanoption\n"
                    + "/tmp/runbook-lab/rb-cli/client-home/.ssh/config: terminating, 1 bad configuration options",
                "config syntax error"
            ),
            (
                "/tmp/runbook-lab/rb-cli/client-home/.ssh/config.x line 2: no argument after keyword \"port\"\n"
                    + "/tmp/runbook-lab/rb-cli/client-home/.ssh/config.x: terminating, 1 bad configuration options",
                "config syntax error"
            ),
            ("Can't open user config file /nonexist: No such file or directory", "config unreadable"),
            (
                "no such identity: /tmp/runbook-lab/rb-cli/client-home/.ssh/id_ed25519: No such file or directory\n"
                    + "rblab@10.231.175.2: Permission denied (publickey).", "identity missing"
            ),
            (
                "Warning: Permanently added '10.231.175.2' (ED25519) to the list of known hosts.\n"
                    + "Load key \"/tmp/h-cli/unreadable\": Permission denied\nrblab@10.231.175.2: Permission denied (publickey).",
                "identity unreadable"
            ),
            (
                "Load key \"/tmp/k\": incorrect passphrase supplied to decrypt private key\n"
                    + "rblab@10.231.175.2: Permission denied (publickey).", "key needs passphrase"
            ),
            (
                "ssh: connect to host 127.0.0.1 port 9: Connection refused\n"
                    + "kex_exchange_identification: Connection closed by remote host\nConnection closed by UNKNOWN port 65535",
                "proxy failed"
            ),
            ("Host key verification failed.", "host key unknown"),
            (
                "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                    + "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
                    + "The fingerprint for the ED25519 key sent by the remote host is\n"
                    + "SHA256:J1J9VnxJQLxfxLSq9jjQyzFwoXWl1ENC0sbytkN9iWQ.\n"
                    + "Offending ECDSA key in /tmp/runbook-lab/rb-cli/client-home/.ssh/known_hosts:1\n"
                    + "Host key for 10.231.175.2 has changed and you have requested strict checking.\n"
                    + "Host key verification failed.", "host key changed"
            ),
            ("ssh: connect to host 10.231.175.2 port 2: Connection refused", "refused"),
        ])
    func classifies(stderr: String, expected: String) {
        #expect(SSHLogin.classify(stderr).rawValue == expected, "\(stderr)")
    }

    @Test("logs in to a real sshd with the right key")
    func logsIn() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let result = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(server.port), "user": "root", "identity": server.clientKey,
            "config": "/dev/null", "options": server.clientOptions,
        ])
        #expect(result.status == .pass, "\(result)")
        #expect(result.summary == "logged in to root@127.0.0.1:\(server.port)")
    }

    @Test("a key the server does not know is 'auth refused'; an unknown host key is 'host key unknown'")
    func wrongKeyAndHostKey() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let other = server.directory.file("other_key")
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other])
        let wrongKey = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(server.port), "user": "root", "identity": other,
            "config": "/dev/null", "options": server.clientOptions,
        ])
        #expect(wrongKey.status == .fail)
        #expect(wrongKey.evidence["reason"] == "auth refused", "\(wrongKey)")
        #expect(wrongKey.evidence["stderr"]?.contains("Permission denied") == true)

        let strict = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(server.port), "user": "root", "identity": server.clientKey,
            "config": "/dev/null",
            "options":
                "UserKnownHostsFile=\(server.directory.file("empty_known_hosts")),GlobalKnownHostsFile=/dev/null,StrictHostKeyChecking=yes",
        ])
        #expect(strict.evidence["reason"] == "host key unknown", "\(strict)")

        let changed = server.directory.file("changed_known_hosts")
        try "[127.0.0.1]:\(server.port) \(try String(contentsOfFile: other + ".pub", encoding: .utf8))"
            .write(toFile: changed, atomically: false, encoding: .utf8)
        let changedResult = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(server.port), "user": "root", "identity": server.clientKey,
            "config": "/dev/null", "options": "UserKnownHostsFile=\(changed),GlobalKnownHostsFile=/dev/null",
        ])
        #expect(changedResult.evidence["reason"] == "host key changed", "\(changedResult)")
    }

    @Test("a private key readable by others is 'bad key permissions'")
    func unprotectedKey() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        try await sh(["chmod", "644", server.clientKey])
        let result = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(server.port), "user": "root", "identity": server.clientKey,
            "config": "/dev/null", "options": server.clientOptions,
        ])
        #expect(result.evidence["reason"] == "bad key permissions", "\(result)")
    }

    @Test("a closed port is 'refused'")
    func closedPort() async throws {
        let port = try freePort()
        let result = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(port), "config": "/dev/null",
            "options": "UserKnownHostsFile=/dev/null,StrictHostKeyChecking=no",
        ])
        #expect(result.status == .fail)
        #expect(result.evidence["reason"] == "refused", "\(result)")
        #expect(result.summary == "connection refused by 127.0.0.1:\(port)")
    }

    @Test("a listener that sends something else is 'not ssh'")
    func notSSH() async throws {
        let port = try freePort()
        let listener = startGarbageListener(port: port)
        defer { listener.stop() }
        try await waitForListener(port)
        let result = await SSHLogin().run([
            "host": "127.0.0.1", "port": String(port), "config": "/dev/null",
            "options": "UserKnownHostsFile=/dev/null,StrictHostKeyChecking=no",
        ])
        #expect(result.evidence["reason"] == "not ssh", "\(result)")
    }

    @Test("a host that looks like an option is an error, not an ssh option")
    func optionInjection() async {
        let result = await SSHLogin().run(["host": "-oProxyCommand=touch /tmp/x"])
        #expect(result.status == .error)
    }
}
