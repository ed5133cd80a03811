import Testing

@testable import RunbookActions

@Suite("ssh-client-config")
struct SSHClientConfigTests {
    func writeConfig(_ directory: TemporaryDirectory, _ body: String) throws -> String {
        try directory.write("ssh_config", "Host lab\n    HostName 127.0.0.1\n" + body, mode: 0o600)
    }

    @Test("reads the effective port and user; -p and -l win over the config, as in the login")
    func portAndUser() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try writeConfig(directory, "    Port 2222\n    User rblab\n    IdentityFile /tmp/lab_key\n")
        let ok = await SSHClientConfig().run(["host": "lab", "config": config])
        #expect(ok.status == .pass, "\(ok)")
        #expect(ok.summary == "port 2222, user rblab, no proxy")
        #expect(ok.evidence["hostname"] == "127.0.0.1")
        #expect(ok.evidence["identityfile"] == "/tmp/lab_key")
        let given = await SSHClientConfig().run(["host": "lab", "config": config, "port": "22", "user": "azureuser"])
        #expect(given.summary == "port 22, user azureuser, no proxy", "\(given)")
        #expect(given.evidence["command"]?.hasSuffix("-p 22 -l azureuser -- lab") == true, "\(given)")
        // A host that looks like an option never reaches ssh.
        let option = await SSHClientConfig().run(["host": "-oProxyCommand=touch /tmp/x", "config": config])
        #expect(option.status == .error)
    }

    @Test("a config ssh refuses is a finding with the file and line; an -F file that is missing too")
    func refusedConfig() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bad = try writeConfig(directory, "    ThisIsNotAnOption yes\n")
        let syntax = await SSHClientConfig().run(["host": "lab", "config": bad])
        #expect(syntax.status == .fail, "\(syntax)")
        #expect(syntax.evidence["file"] == "\(bad):3", "\(syntax)")
        #expect(syntax.evidence["class"] == "config syntax error")
        #expect(syntax.summary.contains("Bad configuration option: thisisnotanoption"), "\(syntax)")
        let missing = await SSHClientConfig().run(["host": "lab", "config": directory.file("absent")])
        #expect(missing.status == .fail, "\(missing)")
        #expect(missing.evidence["class"] == "config unreadable", "\(missing)")
    }

    @Test("a ProxyCommand that reaches a real sshd passes; one that reaches nothing fails")
    func proxyCommand() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let working = try writeConfig(
            directory, "    Port \(server.port)\n    ProxyCommand bash -c \"exec 3<>/dev/tcp/%h/%p && exec cat <&3\"\n")
        let ok = await SSHClientConfig().run(["host": "lab", "config": working])
        #expect(ok.status == .pass, "\(ok)")
        #expect(ok.summary.hasPrefix("port \(server.port), user root, ProxyCommand reaches SSH-2.0-OpenSSH"))

        let closed = try freePort()
        let broken = try writeConfig(
            directory, "    Port \(closed)\n    ProxyCommand bash -c \"exec 3<>/dev/tcp/%h/%p && exec cat <&3\"\n")
        let failed = await SSHClientConfig().run(["host": "lab", "config": broken])
        #expect(failed.status == .fail)
        #expect(
            failed.summary.hasPrefix(
                "ProxyCommand 'bash -c \"exec 3<>/dev/tcp/%h/%p && exec cat <&3\"' reaches no SSH server: "),
            "\(failed)")
        #expect(failed.summary.contains("Connection refused"))
    }

    @Test("a ProxyCommand that answers with something else fails")
    func proxyNotSSH() async throws {
        let port = try freePort()
        let listener = startGarbageListener(port: port)
        defer { listener.stop() }
        try await waitForListener(port)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try writeConfig(
            directory, "    Port \(port)\n    ProxyCommand bash -c \"exec 3<>/dev/tcp/%h/%p && exec cat <&3\"\n")
        let result = await SSHClientConfig().run(["host": "lab", "config": config])
        #expect(result.status == .fail)
        #expect(result.summary.hasSuffix("reaches no SSH server: it answered 'HTTP/1.1 400 Bad Request'"), "\(result)")
    }

    @Test("a ProxyJump host is probed")
    func proxyJump() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reachable = try writeConfig(directory, "    ProxyJump jumper@127.0.0.1:\(server.port)\n")
        let ok = await SSHClientConfig().run(["host": "lab", "config": reachable])
        #expect(ok.summary == "port 22, user root, via jump host 127.0.0.1:\(server.port) (reachable)", "\(ok)")
        let closed = try freePort()
        let unreachable = try writeConfig(directory, "    ProxyJump 127.0.0.1:\(closed)\n")
        let failed = await SSHClientConfig().run(["host": "lab", "config": unreachable])
        #expect(failed.status == .fail)
        #expect(failed.summary.hasPrefix("jump host 127.0.0.1:\(closed) does not answer"), "\(failed)")
    }

    @Test("expands ProxyCommand tokens and reads ProxyJump hops")
    func pure() {
        #expect(
            SSHClientConfig.expand("nc -X 5 %h %p # %r %% %n", host: "10.0.0.4", port: "22", user: "az", alias: "vm1")
                == "nc -X 5 10.0.0.4 22 # az % vm1")
        #expect(SSHClientConfig.firstJump("ops@bastion.example.com:2200,inner") == ("bastion.example.com", 2200))
        #expect(SSHClientConfig.firstJump("ssh://[::1]:2022") == ("::1", 2022))
        #expect(SSHClientConfig.firstJump("bastion") == ("bastion", 22))
    }
}
