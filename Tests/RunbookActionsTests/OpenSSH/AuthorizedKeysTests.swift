import Foundation
import Testing

@testable import RunbookActions

#if canImport(Glibc)
    import Glibc
#endif

@Suite("authorized-keys", .serialized)
struct AuthorizedKeysTests {
    /// A user `rbkeys` (uid 4242) with a real home in a temp dir, seen through a mount namespace whose
    /// /etc/passwd and /etc/shadow have that user (needs root): getent, stat, cat and sshd -T run for
    /// real, with an sshd_config of the test's own.
    struct FakeUser {
        let directory: TemporaryDirectory
        var home: String { directory.file("home") }
        var keysFile: String { home + "/.ssh/authorized_keys" }
        var clientKey: String { directory.file("client_key") }
        var config: String { directory.file("sshd_config") }
        let executor: PrefixExecutor
        let mine: String

        static func make(
            shell: String = "/bin/sh", password: String = "*", expire: String = "", groups: String = "",
            moreAccounts: String = ""
        ) async throws -> FakeUser {
            let directory = try TemporaryDirectory("rb-keys")
            // mkdtemp made it 700: sshd, running as the user, could not get through it.
            // (Files and modes are set with system calls: a loaded machine is slow to start processes.)
            chmod(directory.path, 0o755)
            let passwd =
                try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
                + "rbkeys:x:4242:4242::\(directory.file("home")):\(shell)\n" + moreAccounts
            let shadow =
                try String(contentsOfFile: "/etc/shadow", encoding: .utf8)
                + "rbkeys:\(password):20786:0:99999:7::\(expire):\n"
            try directory.write("passwd", passwd)
            try directory.write("shadow", shadow, mode: 0o640)
            try directory.write("group", try String(contentsOfFile: "/etc/group", encoding: .utf8) + groups)
            try await sh([
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "client", "-f", directory.file("client_key"),
            ])
            try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("other_key")])
            try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("host_key")])
            mkdir("/run/sshd", 0o755)
            mkdir(directory.file("home"), 0o755)
            mkdir(directory.file("home/.ssh"), 0o700)
            let other = try String(contentsOfFile: directory.file("other_key.pub"), encoding: .utf8)
            let mine = try String(contentsOfFile: directory.file("client_key.pub"), encoding: .utf8)
            try directory.write(
                "home/.ssh/authorized_keys",
                "# keys\n\(other)from=\"10.0.0.0/8\",no-pty \(mine)", mode: 0o600)
            chmod(directory.file("home"), 0o755)
            chmod(directory.file("home/.ssh"), 0o700)
            for path in ["home", "home/.ssh", "home/.ssh/authorized_keys"] {
                chown(directory.file(path), 4242, 4242)
            }
            let user = FakeUser(
                directory: directory,
                executor: PrefixExecutor(prefix: [
                    "unshare", "-m", "sh", "-c",
                    #"mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && mount --bind "$3" /etc/group && shift 3 && exec "$@""#,
                    "sh", directory.file("passwd"), directory.file("shadow"), directory.file("group"),
                ]), mine: mine)
            try user.writeConfig()
            return user
        }

        func writeConfig(_ lines: String = "") throws {
            let pam = lines.contains("UsePAM") ? "" : "UsePAM no\n"
            try directory.write("sshd_config", "HostKey \(directory.file("host_key"))\n\(pam)\(lines)")
        }

        var context: CheckContext { CheckContext(timeout: testTimeout, vm: executor) }

        func check(_ extra: [String: String] = [:]) async -> CheckResult {
            var arguments = ["user": "rbkeys", "identity": clientKey, "config": config, "client-ip": "10.1.2.3"]
            arguments.merge(extra) { $1 }
            return await AuthorizedKeys().run(arguments, context: context)
        }
    }

    @Test("finds the client's key behind options and other keys, and reports the options")
    func found() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let result = await user.check()
        #expect(result.status == .pass, "\(result)")
        #expect(result.summary == "key accepted in \(user.keysFile):3")
        #expect(result.evidence["options"] == "from=\"10.0.0.0/8\", no-pty")
        #expect(result.evidence["files"] == "\(user.home)/.ssh/authorized_keys \(user.home)/.ssh/authorized_keys2")
    }

    @Test("derives the public key with ssh-keygen when IDENTITY.pub is missing")
    func derived() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        try await sh(["rm", user.clientKey + ".pub"])
        let result = await user.check()
        #expect(result.status == .pass, "\(result)")
    }

    @Test("fails when the client's key is not there")
    func missingKey() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let stranger = user.directory.file("stranger")
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger])
        let result = await user.check(["identity": "", "public-key": stranger + ".pub"])
        #expect(result.status == .fail)
        let key = try #require(PublicKey(publicKeyText: try await sh(["cat", stranger + ".pub"])))
        #expect(
            result.summary
                == "the client's key (\(key.short)) is not in \(user.keysFile), \(user.home)/.ssh/authorized_keys2")
    }

    @Test("from= and expiry-time= make sshd refuse the line, naming the option")
    func refusedByOptions() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let outside = await user.check(["client-ip": "192.0.2.1"])
        #expect(outside.status == .fail)
        #expect(
            outside.summary == "\(user.keysFile):3: from=\"10.0.0.0/8\" does not match the client address 192.0.2.1")
        try user.directory.write("home/.ssh/authorized_keys", "expiry-time=\"20200101\" \(user.mine)", mode: 0o600)
        let expired = await user.check()
        #expect(
            expired.summary
                == "\(user.keysFile):1: expiry-time=\"20200101\" has passed (the VM's local time); sshd ignores the key"
        )
        try user.directory.write(
            "home/.ssh/authorized_keys", "expiry-time=\"20991231Z\",restrict,command=\"uptime\" \(user.mine)",
            mode: 0o600)
        let later = await user.check()
        #expect(later.status == .pass)
        #expect(later.summary == "key accepted in \(user.keysFile):1; it forces command=\"uptime\"")
    }

    /// (tool, value, path relative to home, the violation sshd's safe_path reports first)
    @Test(
        "StrictModes over real files: the file, then each directory up to the home",
        arguments: [
            ("chmod", "777", ".ssh", "has a bad mode: owner rbkeys (uid 4242), mode 777"),
            ("chmod", "620", ".ssh/authorized_keys", "has a bad mode: owner rbkeys (uid 4242), group 4242, mode 620"),
            ("chmod", "775", "", "has a bad mode: owner rbkeys (uid 4242), group 4242, mode 775"),
            ("chmod", "757", "", "has a bad mode: owner rbkeys (uid 4242), mode 757"),
            ("chown", "4243", ".ssh", "has a bad owner: owner UNKNOWN (uid 4243), mode 700"),
            ("chown", "4243", ".ssh/authorized_keys", "has a bad owner: owner UNKNOWN (uid 4243), mode 600"),
        ])
    func strictModes(tool: String, value: String, relative: String, problem: String) async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let path = relative.isEmpty ? user.home : user.home + "/" + relative
        try await sh([tool, value, path])
        let result = await user.check()
        #expect(result.status == .fail)
        #expect(
            result.summary == "sshd ignores \(user.keysFile), which holds the key: \(path) \(problem) (StrictModes)",
            "\(result)")
        // With StrictModes no sshd reads the file anyway (if the user can).
        try user.writeConfig("StrictModes no\n")
        let lax = await user.check()
        if tool == "chown" {
            // Still owned by another user: sshd opens the file as rbkeys, who cannot get to it.
            let problem = relative == ".ssh" ? "cannot be searched" : "cannot be read"
            #expect(
                lax.summary
                    == "sshd ignores \(user.keysFile), which holds the key: \(path) \(problem) by the user (owner UNKNOWN, mode \(relative == ".ssh" ? "700" : "600"))"
            )
        } else {
            #expect(lax.status == .pass, "\(lax)")
        }
    }

    /// Debian's and Ubuntu's sshd accept a group-writable path whose group has the user as its only
    /// member (`user-group-modes.patch`); the sshd here is Debian's, so this runs its rule for real.
    @Test(
        "Debian's harmless group-writability",
        arguments: [
            ("rbkeys:x:4242:\n", "", true),  // the user's private group
            ("rbkeys:x:4242:rbkeys\n", "", true),  // listed as its only member too
            ("rbkeys:x:4242:rbkeys,other\n", "", false),  // two listed members
            // another account's primary group
            ("rbkeys:x:4242:\n", "rbother:x:4243:4242::/nonexistent:/bin/sh\n", false),
            ("", "", false),  // no such group
        ])
    func debianGroupWrite(group: String, accounts: String, accepted: Bool) async throws {
        let user = try await FakeUser.make(groups: group, moreAccounts: accounts)
        defer { user.directory.remove() }
        try await sh(["chmod", "775", user.home])
        let result = await user.check()
        #expect(result.evidence["sshd-build"]?.hasPrefix("Debian-") == true)
        #expect((result.status == .pass) == accepted, "\(result)")
        try await sh(["chmod", "757", user.home])
        #expect(await user.check().status == .fail)  // others may write: never harmless
    }

    @Test("root-owned files and directories pass; a directory is not a key file")
    func rootAndTypes() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        try await sh(["chown", "0:0", user.keysFile])
        try await sh(["chmod", "644", user.keysFile])
        #expect(await user.check().status == .pass)
        try await sh(["rm", user.keysFile])
        try await sh(["mkdir", user.keysFile])
        let directory = await user.check()
        #expect(
            directory.summary
                == "sshd ignores \(user.keysFile): \(user.keysFile) is not a regular file; the key is in no other file")
    }

    @Test("reads the files of AuthorizedKeysFile with %u, %U, %h and walks up to / outside the home")
    func otherFiles() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let keys = user.directory.file("keys")
        try await sh(["mkdir", "-p", keys])
        try await sh(["cp", user.clientKey + ".pub", keys + "/rbkeys.4242"])
        try user.writeConfig("StrictModes no\nAuthorizedKeysFile none \(keys)/%u.%U %h/nothing\n")
        let found = await user.check()
        #expect(found.summary == "key accepted in \(keys)/rbkeys.4242:1", "\(found)")
        #expect(found.evidence["files"] == "\(keys)/rbkeys.4242 \(user.home)/nothing")
        // Under StrictModes, a directory above the file that others may write makes sshd ignore it.
        try await sh(["chmod", "777", keys])
        try user.writeConfig("AuthorizedKeysFile \(keys)/%u.%U\n")
        let open = await user.check()
        #expect(
            open.summary
                == "sshd ignores \(keys)/rbkeys.4242, which holds the key: \(keys) has a bad mode: owner root (uid 0), mode 777 (StrictModes)"
        )
        // The key only in the home's file, which this sshd does not read.
        try await sh(["rm", keys + "/rbkeys.4242"])
        try await sh(["chmod", "755", keys])
        let elsewhere = await user.check()
        #expect(elsewhere.status == .fail)
        #expect(
            elsewhere.summary.hasSuffix(
                "is not in \(keys)/rbkeys.4242 (missing); it is in \(user.keysFile), which this sshd does not read"))
    }

    @Test("AuthorizedKeysCommand: a key missing from the files is not a failure")
    func keysCommand() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        try user.writeConfig("AuthorizedKeysCommand /usr/bin/true\nAuthorizedKeysCommandUser nobody\n")
        try user.directory.write("home/.ssh/authorized_keys", "", mode: 0o600)
        let result = await user.check()
        #expect(result.status == .skipped)
        #expect(result.evidence["authorizedkeyscommand"] == "/usr/bin/true (not run)")
    }

    @Test("an unknown user or a missing home is the account's finding, not the key's")
    func account() async throws {
        let user = try await FakeUser.make()
        defer { user.directory.remove() }
        let nobody = await user.check(["user": "rb-nobody"])
        #expect(nobody.status == .skipped)
        #expect(nobody.summary == "user rb-nobody does not exist in the VM; the account check explains it")
        try await sh(["rm", "-rf", user.home])
        let homeless = await user.check()
        #expect(homeless.status == .skipped)
        #expect(
            homeless.summary == "rbkeys's home directory \(user.home) does not exist; the account check explains it")
    }

    @Test(
        "%-tokens of AuthorizedKeysFile",
        arguments: [
            (".ssh/authorized_keys", "/home/u/.ssh/authorized_keys"),
            ("%h/.ssh/k", "/home/u/.ssh/k"),
            ("/etc/ssh/keys/%u", "/etc/ssh/keys/u"),
            ("/k/%U/%u%%", "/k/1000/u%"),
            ("/k/%x", nil),
            ("/k/%", nil),
        ] as [(String, String?)])
    func expand(pattern: String, expected: String?) {
        #expect(LoginContext.expand(pattern, home: "/home/u", user: "u", uid: 1000) == expected)
    }

    @Test("key lines as sshd reads them")
    func keyLines() throws {
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHrnbN6CAaEOZmsTaQWPcAJbYxtHXLqybGDJtoXhQk7Z c"
        let lines = AuthorizedKeyLine.parse(
            """
              # comment
            \(key)
            no-pty,command="a b" \(key)
            from="x y",bad \(key)
            command="unterminated \(key)
            ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIHrnbN6CAaEOZmsTaQWPcAJbYxtHXLqybGDJtoXhQk7Z mislabeled
            """)
        #expect(lines.map(\.number) == [2, 3, 4, 5, 6])
        #expect(lines[0].key != nil && lines[0].optionsText == nil)
        #expect(lines[1].optionsText == "no-pty,command=\"a b\"" && lines[1].key == lines[0].key)
        #expect(lines[2].optionsText == "from=\"x y\",bad" && lines[2].key != nil)
        #expect(lines[3].invalid == "invalid key option string")
        #expect(lines[4].key == nil)  // the blob says ssh-ed25519
    }
}
