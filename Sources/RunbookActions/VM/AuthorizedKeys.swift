import RunbookCore

/// `authorized-keys`: whether the client's public key is in the user's authorized_keys inside the VM,
/// in a place whose modes sshd's StrictModes accepts.
struct AuthorizedKeys: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "authorized-keys",
            summary: "Checks that the client's key is in the user's authorized_keys and StrictModes accepts the file.",
            arguments: [
                ArgumentSpec("user", .string, required: true, help: "The user logging in."),
                ArgumentSpec("identity", .string, help: "The client's private key; its public half is IDENTITY.pub or derived with ssh-keygen -y."),
                ArgumentSpec("public-key", .string, help: "The client's public key file (instead of identity)."),
                ArgumentSpec("path", .string, help: "authorized_keys path, relative to the user's home (default .ssh/authorized_keys)."),
            ],
            example: "check authorized-keys user={{user}} identity=~/.ssh/id_ed25519",
            readsVM: true)
    }

    /// A public key: its type and base64 blob, the parts sshd compares.
    struct Key: Equatable {
        var type: String
        var blob: String

        /// `ssh-ed25519 AAAA…abcd`.
        var short: String { "\(type) \(blob.prefix(4))…\(blob.suffix(4))" }

        /// The key of an authorized_keys or .pub line, skipping options such as `from="10.0.0.1",no-pty`.
        init?(line: String) {
            let words = IptablesRuleset.tokens(line.trimmingCharacters(in: " "))
            guard !(words.first?.hasPrefix("#") ?? true) else { return nil }
            guard let index = words.firstIndex(where: Self.isKeyType), index + 1 < words.count else { return nil }
            self.type = words[index]
            self.blob = words[index + 1]
        }

        static func isKeyType(_ word: String) -> Bool {
            word.hasPrefix("ssh-") || word.hasPrefix("ecdsa-sha2-") || word.hasPrefix("sk-ssh-")
                || word.hasPrefix("sk-ecdsa-")
        }
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let user = try arguments.string("user")
        try requireNotOption(user, argument: "user")
        let clientKey = try await Self.clientKey(arguments, context: context)

        let passwd = try await vm.run(["getent", "passwd", user], timeout: context.timeout)
        let fields = passwd.standardOutput.trimmedLine.split(separator: ":", omittingEmptySubsequences: false)
        guard passwd.succeeded, fields.count >= 6 else {
            return .fail("user \(user) does not exist in the VM", evidence: ["user": user])
        }
        let home = String(fields[5])
        let relative = arguments.optional("path") ?? ".ssh/authorized_keys"
        let file = relative.hasPrefix("/") ? relative : home + "/" + relative
        let directory = String(file[..<(file.lastIndex(of: "/") ?? file.startIndex)])
        // sshd's StrictModes checks the file and every directory up to the home directory.
        var paths = [file, directory]
        if directory != home && directory.hasPrefix(home + "/") { paths.append(home) }

        let stat = try await vm.run(["stat", "-c", "%a %U %n", "--"] + paths, timeout: context.timeout)
        var modes: [String: (mode: Int, owner: String)] = [:]
        for line in stat.standardOutput.nonEmptyLines {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let mode = Int(parts[0], radix: 8) else { continue }
            modes[String(parts[2])] = (mode, String(parts[1]))
        }
        var evidence = ["user": user, "file": file]
        for path in paths { evidence["mode \(path)"] = modes[path].map { "\(String($0.mode, radix: 8)) \($0.owner)" } ?? "missing" }
        guard modes[file] != nil else {
            return .fail("\(file) does not exist", evidence: evidence)
        }
        for path in paths.reversed() {
            guard let (mode, owner) = modes[path] else { continue }
            if mode & 0o022 != 0 {
                return .fail("\(path) is mode \(String(mode, radix: 8)); sshd's StrictModes ignores keys there",
                             evidence: evidence)
            }
            if owner != user && owner != "root" {
                return .fail("\(path) is owned by \(owner); sshd's StrictModes ignores keys there", evidence: evidence)
            }
        }
        let text = try await vm.readFile(file, timeout: context.timeout)
        let keys = text.split(separator: "\n").compactMap { Key(line: String($0)) }
        evidence["keys"] = String(keys.count)
        guard let clientKey else {
            if keys.isEmpty { return .fail("\(file) holds no keys", evidence: evidence) }
            return .pass("\(keys.count) key\(keys.count == 1 ? "" : "s") in \(file)", evidence: evidence)
        }
        evidence["client-key"] = clientKey.short
        guard keys.contains(clientKey) else {
            return .fail("the client's key (\(clientKey.short)) is not in \(file)", evidence: evidence)
        }
        return .pass("key found in \(file)", evidence: evidence)
    }

    /// The client's public key from `public-key`, `identity.pub`, or `ssh-keygen -y -f identity`.
    static func clientKey(_ arguments: Arguments, context: CheckContext) async throws -> Key? {
        if let path = arguments.optional("public-key").map(context.expandingTilde) {
            let text = try await context.local.readFile(path, timeout: context.timeout)
            guard let key = text.split(separator: "\n").lazy.compactMap({ Key(line: String($0)) }).first else {
                throw EarlyResult(.error("\(path) holds no public key"))
            }
            return key
        }
        guard let identity = arguments.optional("identity").map(context.expandingTilde) else { return nil }
        if let text = try? await context.local.readFile(identity + ".pub", timeout: context.timeout),
            let key = text.split(separator: "\n").lazy.compactMap({ Key(line: String($0)) }).first
        {
            return key
        }
        let derived = try await context.local.run(["ssh-keygen", "-y", "-f", identity], timeout: context.timeout)
        guard derived.succeeded, let key = Key(line: derived.standardOutput.trimmedLine) else {
            throw EarlyResult(.error("cannot read the public key of \(identity): \(derived.standardError.trimmedLine)"))
        }
        return key
    }
}
