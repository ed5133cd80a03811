import Testing
@testable import RunbookActions

@Suite("sshd-config")
struct SSHDConfigTests {
    /// Writes an sshd_config with a throw-away host key and `lines`, and returns its path.
    func config(_ directory: TemporaryDirectory, _ lines: String) async throws -> String {
        let hostKey = directory.file("host_key")
        try await sh(["sh", "-c", "test -e \"$1\" || ssh-keygen -q -t ed25519 -N '' -f \"$1\"", "sh", hostKey])
        try await sh(["mkdir", "-p", "/run/sshd"])
        return try directory.write("sshd_config", "HostKey \(hostKey)\nUsePAM no\n" + lines)
    }

    @Test("a bad option fails with sshd's line")
    func badOption() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await config(directory, "Port 22\nFoo bar\n")
        let result = await SSHDConfig().run(["path": path], context: localVM())
        #expect(result.status == .fail)
        #expect(result.evidence["error"] == "line 4: Bad configuration option: Foo", "\(result)")
        #expect(result.summary == "\(path) is invalid: line 4: Bad configuration option: Foo")
    }

    @Test("a valid file passes with its effective settings; another port fails")
    func ports() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await config(directory, "Port 2222\nPasswordAuthentication no\n")
        let valid = await SSHDConfig().run(["path": path, "port": "2222"], context: localVM())
        #expect(valid.status == .pass, "\(valid)")
        #expect(valid.summary == "valid; port 2222")
        #expect(valid.evidence["passwordauthentication"] == "no")
        let wrong = await SSHDConfig().run(["path": path, "port": "22"], context: localVM())
        #expect(wrong.status == .fail)
        #expect(wrong.summary == "sshd is configured for port 2222, not 22")
    }

    @Test("AllowUsers, DenyUsers and PermitRootLogin decide about the user")
    func users() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let allow = try await config(directory, "AllowUsers alice bob@10.* rb?ax\n")
        let notListed = await SSHDConfig().run(["path": allow, "user": "rblab"], context: localVM())
        #expect(notListed.status == .fail)
        #expect(notListed.summary == "AllowUsers (alice bob@10.* rb?ax) does not include rblab")
        #expect(await SSHDConfig().run(["path": allow, "user": "bob"], context: localVM()).status == .pass)
        #expect(await SSHDConfig().run(["path": allow, "user": "rbxax"], context: localVM()).status == .pass)

        let deny = try await config(directory, "DenyUsers test* \nPermitRootLogin no\n")
        let denied = await SSHDConfig().run(["path": deny, "user": "tester"], context: localVM())
        #expect(denied.summary == "DenyUsers (test*) matches tester by test*")
        let root = await SSHDConfig().run(["path": deny, "user": "root"], context: localVM())
        #expect(root.summary == "PermitRootLogin no refuses root")
    }

    @Test("AllowGroups and DenyGroups use the user's real groups")
    func groups() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let allow = try await config(directory, "AllowGroups sshusers\n")
        let result = await SSHDConfig().run(["path": allow, "user": "root"], context: localVM())
        #expect(result.status == .fail)
        #expect(result.summary == "AllowGroups (sshusers) includes none of root's groups (root)", "\(result)")
        let deny = try await config(directory, "DenyGroups ro*\n")
        #expect(await SSHDConfig().run(["path": deny, "user": "root"], context: localVM()).summary
            == "DenyGroups (ro*) matches root's group root")
        let missing = await SSHDConfig().run(["path": deny, "user": "rb-nobody-here"], context: localVM())
        #expect(missing.summary == "user rb-nobody-here does not exist in the VM")
    }
}
