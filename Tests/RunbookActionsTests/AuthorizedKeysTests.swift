import Testing
@testable import RunbookActions

@Suite("authorized-keys")
struct AuthorizedKeysTests {
    /// A user `rbkeys` (uid 4242) with a real home in a temp dir, seen through a mount namespace whose
    /// /etc/passwd has that user (needs root): getent, stat and cat run for real.
    struct FakeUser {
        let directory: TemporaryDirectory
        var home: String { directory.file("home") }
        var keysFile: String { home + "/.ssh/authorized_keys" }
        var clientKey: String { directory.file("client_key") }
        let executor: PrefixExecutor

        static func make() async throws -> FakeUser {
            let directory = try TemporaryDirectory("rb-keys")
            let passwd = try await sh(["cat", "/etc/passwd"]) + "rbkeys:x:4242:4242::\(directory.file("home")):/bin/sh\n"
            try directory.write("passwd", passwd)
            try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "client", "-f", directory.file("client_key")])
            try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("other_key")])
            try await sh(["mkdir", "-p", directory.file("home/.ssh")])
            let other = try await sh(["cat", directory.file("other_key.pub")])
            let mine = try await sh(["cat", directory.file("client_key.pub")])
            try directory.write("home/.ssh/authorized_keys",
                                "# keys\n\(other)from=\"10.0.0.0/8\",no-pty \(mine)", mode: 0o600)
            try await sh(["chmod", "755", directory.file("home")])
            try await sh(["chmod", "700", directory.file("home/.ssh")])
            try await sh(["chown", "-R", "4242:4242", directory.file("home")])
            let script = #"mount --bind "$1" /etc/passwd && shift && exec "$@""#
            return FakeUser(directory: directory, executor: PrefixExecutor(
                prefix: ["unshare", "-m", "sh", "-c", script, "sh", directory.file("passwd")]))
        }

        var context: CheckContext { CheckContext(timeout: testTimeout, vm: executor) }
    }

    @Test("finds the client's key behind options and other keys")
    func found() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let result = await AuthorizedKeys().run(["user": "rbkeys", "identity": user.clientKey], context: user.context)
        #expect(result.status == .pass, "\(result)")
        #expect(result.summary == "key found in \(user.keysFile)")
        #expect(result.evidence["mode \(user.home)/.ssh"] == "700 rbkeys")
    }

    @Test("derives the public key with ssh-keygen when IDENTITY.pub is missing")
    func derived() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        try await sh(["rm", user.clientKey + ".pub"])
        let result = await AuthorizedKeys().run(["user": "rbkeys", "identity": user.clientKey], context: user.context)
        #expect(result.status == .pass, "\(result)")
    }

    @Test("fails when the client's key is not there")
    func missingKey() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let stranger = user.directory.file("stranger")
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger])
        let result = await AuthorizedKeys().run(["user": "rbkeys", "public-key": stranger + ".pub"], context: user.context)
        #expect(result.status == .fail)
        let blob = try #require(AuthorizedKeys.Key(line: try await sh(["cat", stranger + ".pub"]))).blob
        #expect(result.summary == "the client's key (ssh-ed25519 \(blob.prefix(4))…\(blob.suffix(4))) is not in \(user.keysFile)")
    }

    @Test("fails where StrictModes would ignore the keys", arguments: [
        ("chmod", "777", ".ssh", "is mode 777"), ("chmod", "664", ".ssh/authorized_keys", "is mode 664"),
        ("chmod", "775", "", "is mode 775"), ("chown", "4243", ".ssh", "is owned by UNKNOWN"),
    ])
    func strictModes(tool: String, value: String, relative: String, expected: String) async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let path = relative.isEmpty ? user.home : user.home + "/" + relative
        try await sh([tool, value, path])
        let result = await AuthorizedKeys().run(["user": "rbkeys", "identity": user.clientKey], context: user.context)
        #expect(result.status == .fail)
        #expect(result.summary == "\(path) \(expected); sshd's StrictModes ignores keys there", "\(result)")
    }

    @Test("fails for an unknown user or a missing file")
    func missing() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let nobody = await AuthorizedKeys().run(["user": "rb-nobody"], context: user.context)
        #expect(nobody.summary == "user rb-nobody does not exist in the VM")
        try await sh(["rm", user.keysFile])
        let noFile = await AuthorizedKeys().run(["user": "rbkeys"], context: user.context)
        #expect(noFile.summary == "\(user.keysFile) does not exist")
    }
}
