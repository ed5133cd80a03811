import Testing

@testable import RunbookActions

@Suite("login-account", .serialized)
struct LoginAccountTests {
    typealias FakeUser = AuthorizedKeysTests.FakeUser

    func check(_ user: FakeUser, _ name: String = "rbkeys") async -> CheckResult {
        await LoginAccount().run(["user": name, "config": user.config, "client-ip": "10.1.2.3"], context: user.context)
    }

    @Test("a healthy account passes")
    func healthy() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let result = await check(user)
        #expect(result.status == .pass, "\(result)")
        #expect(result.summary == "rbkeys (uid 4242) may log in; shell /bin/sh")
        #expect(result.evidence["shadow"] == "*:20786:0:99999:7:-1:-1")
    }

    @Test("a missing user fails")
    func missing() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let result = await check(user, "rb-nobody")
        #expect(result.status == .fail)
        #expect(result.summary == "user rb-nobody does not exist in the VM; sshd refuses every login as rb-nobody")
    }

    /// (shell, password, expire field, UsePAM line, expected summary)
    @Test(
        "locked, expired, shells that refuse sessions or do not exist",
        arguments: [
            (
                "/bin/sh", "!", "", "UsePAM no",
                "the account is locked: its password field starts with \"!\" (UsePAM no: sshd refuses locked accounts, even with a key)"
            ),
            (
                "/bin/sh", "*", "18262", "UsePAM no",
                "the account expired on 2020-01-01 (shadow expire field 18262; UsePAM no)"
            ),
            (
                "/usr/sbin/nologin", "*", "", "UsePAM no",
                "the shell /usr/sbin/nologin refuses sessions: authentication passes, then the session ends at once"
            ),
            (
                "/bin/false", "*", "", "UsePAM no",
                "the shell /bin/false refuses sessions: authentication passes, then the session ends at once"
            ),
            (
                "/bin/no-such-shell", "*", "", "UsePAM no",
                "the shell /bin/no-such-shell does not exist; sshd refuses rbkeys"
            ),
            (
                "/etc/passwd", "*", "", "UsePAM no",
                "the shell /etc/passwd is not executable (mode 644); sshd refuses rbkeys"
            ),
        ])
    func refused(shell: String, password: String, expire: String, pam: String, expected: String) async throws {
        let user = try await FakeUser.make(shell: shell, password: password, expire: expire)
        defer { user.directory.remove() }
        try user.writeConfig(pam + "\n")
        let result = await check(user)
        #expect(result.status == .fail)
        #expect(result.summary == expected, "\(result)")
    }

    @Test("a missing home directory fails when sshd's key files are in it")
    func homeMissing() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        try await sh(["rm", "-rf", user.home])
        let result = await check(user)
        #expect(
            result.summary
                == "the home directory \(user.home) does not exist, so sshd cannot read \(user.home)/.ssh/authorized_keys, \(user.home)/.ssh/authorized_keys2"
        )
        try user.writeConfig("AuthorizedKeysFile /etc/ssh/keys/%u\n")
        let elsewhere = await check(user)
        #expect(elsewhere.status == .pass)
        #expect(
            elsewhere.evidence["note"] == "the home directory \(user.home) does not exist; sshd starts the session in /"
        )
    }
}
