import Foundation
import RunbookCore

/// `authorized-keys`: whether sshd accepts the client's public key for the user, reading the files
/// sshd reads (`AuthorizedKeysFile` of the effective settings), with sshd's StrictModes walk and
/// the key's options (`from=`, `expiry-time=`, …) evaluated for this client.
struct AuthorizedKeys: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "authorized-keys",
            summary:
                "Checks that sshd accepts the client's key for the user: the files sshd reads, StrictModes, the key's options.",
            arguments: [
                ArgumentSpec("user", .string, required: true, help: "The user logging in."),
                ArgumentSpec(
                    "identity", .string,
                    help: "The client's private key; its public half is IDENTITY.pub or derived with ssh-keygen -y."),
                ArgumentSpec("public-key", .string, help: "The client's public key file (instead of identity)."),
                ArgumentSpec(
                    "ssh-config", .string,
                    help:
                        "The client's ssh configuration (ssh -F); without identity, the first identity file it names that exists is the client's key."
                ),
                ArgumentSpec(
                    "path", .string,
                    help:
                        "Read this authorized_keys file (relative to the user's home) instead of sshd's AuthorizedKeysFile."
                ),
            ] + LoginContext.arguments,
            example: "check authorized-keys user={{user}} identity=~/.ssh/id_ed25519 host={{host}}",
            readsVM: true)
    }

    /// Prints, for the home directory and each file: canonical paths, the user's groups, and `stat`
    /// of each file and every directory above it (`%f %u %g %U`); and whether sshd is Debian's or
    /// Ubuntu's build (which accepts harmless group-writability).
    static let probeScript = #"""
        home=$1; user=$2; shift 2
        for s in sshd /usr/sbin/sshd /usr/local/sbin/sshd; do
          s=$(command -v "$s" 2>/dev/null) && break
        done
        printf 'variant\t%s\n' "$(grep -a -o -m1 -E '(Debian|Ubuntu)-[0-9][0-9A-Za-z.+~]*' "$s" 2>/dev/null | head -n1)"
        printf 'home\t%s\n' "$(realpath -e -- "$home" 2>/dev/null)"
        printf 'groups\t%s\n' "$(id -G -- "$user" 2>/dev/null)"
        for f; do
          if r=$(realpath -e -- "$f" 2>/dev/null); then
            printf 'file\t%s\t%s\n' "$f" "$r"
            p=$r; i=0
            while [ "$i" -lt 64 ]; do
              printf 'stat\t%s\t%s\n' "$p" "$(stat -c '%f %u %g %U' -- "$p" 2>/dev/null)"
              [ "$p" = / ] && break
              p=$(dirname -- "$p"); i=$((i+1))
            done
          else
            printf 'missing\t%s\n' "$f"
          fi
        done
        """#

    /// What the probe found.
    struct Probe {
        var home: String?
        var groups: Set<Int> = []
        /// File as expanded → canonical path (`nil`: missing).
        var canonical: [String: String?] = [:]
        var statuses: [String: StrictModes.Status] = [:]
        /// `Debian-2+deb12u10` when sshd is a Debian or Ubuntu build.
        var debianBuild: String?

        init(output: String) {
            for line in output.split(separator: "\n") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                switch fields.first {
                case "home": home = fields.count > 1 && !fields[1].isEmpty ? fields[1] : nil
                case "variant": debianBuild = fields.count > 1 && !fields[1].isEmpty ? fields[1] : nil
                case "groups":
                    groups = Set((fields.count > 1 ? fields[1] : "").split(separator: " ").compactMap { Int($0) })
                case "file" where fields.count >= 3: canonical[fields[1]] = .some(fields[2])
                case "missing" where fields.count >= 2: canonical[fields[1]] = .some(nil)
                case "stat" where fields.count >= 3:
                    if let status = StrictModes.Status(statFields: fields[2].split(separator: " ")) {
                        statuses[fields[1]] = status
                    }
                default: break
                }
            }
        }
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let user = try arguments.string("user")
        try requireNotOption(user, argument: "user")
        let clientKey = try await Self.clientKey(arguments, context: context)

        let account = try await AccountRules.Passwd.lookup(user, on: vm, timeout: context.timeout)
        guard case .found(let passwd) = account else {
            return .skipped(
                "user \(user) does not exist in the VM; the account check explains it", evidence: ["user": user])
        }
        let login = try await LoginContext.make(user: user, arguments: arguments, context: context, vm: vm)
        var evidence = [
            "user": user, "config": login.configFile,
            "client-ip": login.clientAddress ?? "unknown", "client-ip-source": login.clientAddressSource,
        ]
        let strict = login.flag("strictmodes", default: true)
        evidence["strictmodes"] = strict ? "yes" : "no"
        let command = login.words("authorizedkeyscommand").joined(separator: " ")
        let keysCommand = command.isEmpty || command.lowercased() == "none" ? nil : command
        if let keysCommand { evidence["authorizedkeyscommand"] = keysCommand + " (not run)" }

        var files: [String]
        if let path = arguments.optional("path") {
            files = [path.hasPrefix("/") ? path : passwd.home + "/" + path]
            evidence["files-from"] = "path argument"
        } else {
            let expanded = login.authorizedKeysFiles(home: passwd.home, user: user, uid: passwd.uid)
            guard !expanded.contains(where: { $0 == nil }) else {
                return .error(
                    "AuthorizedKeysFile (\(login.words("authorizedkeysfile").joined(separator: " "))) has an unknown % token",
                    evidence: evidence)
            }
            files = expanded.compactMap { $0 }
            evidence["files-from"] = "AuthorizedKeysFile of \(login.configFile)"
        }
        evidence["files"] = files.isEmpty ? "none" : files.joined(separator: " ")
        guard !files.isEmpty else {
            if let keysCommand {
                return .skipped(
                    "AuthorizedKeysFile is none; AuthorizedKeysCommand \(keysCommand) supplies the keys (not run)",
                    evidence: evidence)
            }
            return .fail(
                "sshd reads no authorized_keys file (AuthorizedKeysFile none) and has no AuthorizedKeysCommand",
                evidence: evidence)
        }

        let probeOutput = try await vm.run(
            ["sh", "-c", Self.probeScript, "sh", passwd.home, user] + files, timeout: context.timeout)
        let probe = Probe(output: probeOutput.standardOutput)

        if let build = probe.debianBuild {
            evidence["sshd-build"] = build + " (group-writable allowed when the group is the user's alone)"
        }
        let harmless = try await Self.harmlessGroupWrites(probe: probe, uid: passwd.uid, vm: vm, context: context)

        // Read each file sshd can open, and note why it cannot open the others.
        var blocked: [(file: String, reason: String, holdsKey: Bool)] = []
        var readable: [(file: String, lines: [AuthorizedKeyLine])] = []
        var missing: [String] = []
        for file in files {
            guard let canonical = probe.canonical[file] ?? nil else {
                missing.append(file)
                continue
            }
            let lines: [AuthorizedKeyLine]
            if probe.statuses[canonical]?.isRegularFile == false {
                lines = []
            } else {
                do {
                    lines = AuthorizedKeyLine.parse(try await vm.readFile(canonical, timeout: context.timeout))
                } catch {
                    return .error("cannot read \(canonical) in the VM: \(error)", evidence: evidence)
                }
            }
            let holdsKey = clientKey.map { key in lines.contains { $0.key == key } } ?? false
            let violations = StrictModes.violations(
                file: canonical, home: probe.home, uid: passwd.uid,
                statuses: probe.statuses, strict: strict,
                harmlessGroupWrite: harmless)
            if let first = violations.first {
                let rule = first.problem == "is not a regular file" ? "" : " (StrictModes)"
                evidence["strictmodes \(file)"] = violations.map(\.description).joined(separator: "; ")
                blocked.append((file, "\(first)\(rule)", holdsKey))
            } else if let unreadable = StrictModes.readable(
                file: canonical, uid: passwd.uid, groups: probe.groups,
                statuses: probe.statuses)
            {
                blocked.append((file, unreadable.description, holdsKey))
            } else {
                readable.append((file, lines))
            }
        }
        if !missing.isEmpty { evidence["missing"] = missing.joined(separator: " ") }

        guard let clientKey else {
            let count = readable.reduce(0) { $0 + $1.lines.filter { $0.key != nil }.count }
            evidence["keys"] = String(count)
            if let first = blocked.first {
                return .fail("sshd ignores \(first.file): \(first.reason)", evidence: evidence)
            }
            if count == 0 { return .fail("no keys in \(files.joined(separator: ", "))", evidence: evidence) }
            return .pass(
                "\(count) key\(count == 1 ? "" : "s") in \(readable.map(\.file).joined(separator: ", "))",
                evidence: evidence)
        }
        evidence["client-key"] = clientKey.short

        var outcomes: [(file: String, line: Int, outcome: LineOutcome)] = []
        let needsClock = readable.contains {
            $0.lines.contains { $0.key == clientKey && ($0.optionsText ?? "").lowercased().contains("expiry-time") }
        }
        let clock = needsClock ? try await Self.clock(vm: vm, context: context) : (now: 0, offset: 0)
        let client = Client(
            address: login.clientAddress,
            host: await Self.remoteHost(login: login, vm: vm, context: context),
            now: clock.now, utcOffset: clock.offset)
        for (file, lines) in readable {
            for (line, outcome) in Self.outcomes(lines, key: clientKey, client: client) {
                outcomes.append((file, line, outcome))
            }
        }
        for (file, line, outcome) in outcomes {
            switch outcome {
            case .accepted(let options), .undecided(let options, _):
                evidence["accepted-at"] = "\(file):\(line)"
                let restrictions = options.restrictions
                if !restrictions.isEmpty { evidence["options"] = restrictions.joined(separator: ", ") }
                var summary = "key accepted in \(file):\(line)"
                if case .undecided(_, let note) = outcome {
                    evidence["note"] = note
                    summary += "; " + note
                }
                if let command = options.command { summary += "; it forces command=\"\(command)\"" }
                // PermitRootLogin forced-commands-only: root gets in only with a key whose line
                // forces a command (auth.c `auth_root_allowed`); this line forces none.
                if user == "root", options.command == nil,
                    login.words("permitrootlogin").first?.lowercased() == "forced-commands-only"
                {
                    return .fail(
                        "key found in \(file):\(line), but PermitRootLogin forced-commands-only admits root only with a command=\"…\" on the key's line",
                        evidence: evidence)
                }
                return .pass(summary, evidence: evidence)
            case .refused:
                continue
            }
        }
        let refusals = outcomes.compactMap { file, line, outcome -> String? in
            if case .refused(let reason) = outcome { return "\(file):\(line): \(reason)" }
            return nil
        }
        if !refusals.isEmpty { evidence["refused"] = refusals.joined(separator: "; ") }
        if let keysCommand {
            return .skipped(
                "the client's key is not accepted from the files, but AuthorizedKeysCommand \(keysCommand) may supply it (not run)",
                evidence: evidence)
        }
        if let holding = blocked.first(where: \.holdsKey) {
            return .fail("sshd ignores \(holding.file), which holds the key: \(holding.reason)", evidence: evidence)
        }
        if let refusal = refusals.first { return .fail(refusal, evidence: evidence) }
        if let first = blocked.first {
            return .fail("sshd ignores \(first.file): \(first.reason); the key is in no other file", evidence: evidence)
        }
        // Every file sshd would read is missing because the home directory is: the account explains it.
        if probe.home == nil, !missing.isEmpty, readable.isEmpty,
            missing.allSatisfy({ $0.hasPrefix(passwd.home + "/") })
        {
            return .skipped(
                "\(user)'s home directory \(passwd.home) does not exist; the account check explains it",
                evidence: evidence)
        }
        var summary = "the client's key (\(clientKey.short)) is not in \(files.joined(separator: ", "))"
        if missing.count == files.count { summary += missing.count == 1 ? " (missing)" : " (all missing)" }
        let usual = passwd.home + "/.ssh/authorized_keys"
        if !files.contains(usual), let text = try? await vm.readFile(usual, timeout: context.timeout),
            AuthorizedKeyLine.parse(text).contains(where: { $0.key == clientKey })
        {
            summary += "; it is in \(usual), which this sshd does not read"
        }
        return .fail(summary, evidence: evidence)
    }

    /// Whether Debian's sshd accepts a probed path's group write permission (never for other builds),
    /// from `getent group` of each such group and every account's primary group.
    static func harmlessGroupWrites(probe: Probe, uid: Int, vm: any Executor, context: CheckContext) async throws
        -> (StrictModes.Status) -> Bool
    {
        guard probe.debianBuild != nil else { return { _ in false } }
        let candidates = probe.statuses.values.filter { $0.mode & 0o022 == 0o020 }
        let gids = Set(candidates.map(\.gid))
        guard !gids.isEmpty else { return { _ in false } }
        let script =
            #"for g; do printf 'group\t%s\t%s\n' "$g" "$(getent group "$g")"; done; getent passwd | awk -F: '{ print "account\t" $3 "\t" $4 }'"#
        let output = try await vm.run(
            ["sh", "-c", script, "sh"] + gids.sorted().map(String.init), timeout: context.timeout)
        var groups: [Int: String] = [:]
        var accounts: [(uid: Int, gid: Int)] = []
        for line in output.standardOutput.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 3, fields[0] == "group", let gid = Int(fields[1]), !fields[2].isEmpty {
                groups[gid] = fields[2]
            }
            if fields.count == 3, fields[0] == "account", let uid = Int(fields[1]), let gid = Int(fields[2]) {
                accounts.append((uid, gid))
            }
        }
        return { StrictModes.debianAllowsGroupWrite($0, uid: uid, groupLine: groups[$0.gid], primaryGroups: accounts) }
    }

    /// The name sshd matches `from=` host patterns with: the address, or with `UseDNS yes` the name
    /// the VM's resolver gives for it (sshd also checks that the name maps back to the address).
    static func remoteHost(login: LoginContext, vm: any Executor, context: CheckContext) async -> String? {
        guard let address = login.clientAddress else { return nil }
        guard login.flag("usedns", default: false) else { return address }
        // A VM that cannot look the name up leaves sshd's fallback: the address.
        let name = try? await SSHDRemoteHost.name(of: address, on: vm, timeout: context.timeout)
        return name ?? address
    }

    /// The VM's clock and UTC offset (`date +%s %z`).
    static func clock(vm: any Executor, context: CheckContext) async throws -> (now: Int, offset: Int) {
        let output = try await vm.run(["date", "+%s %z"], timeout: context.timeout)
        let words = output.standardOutput.split(whereSeparator: \.isWhitespace)
        guard words.count == 2, let now = Int(words[0]), let zone = Int(words[1].dropFirst()) else {
            throw EarlyResult(.error("cannot read the VM's clock: \(output.standardOutput.trimmedLine)"))
        }
        let offset = (zone / 100 * 3600 + zone % 100 * 60) * (words[1].hasPrefix("-") ? -1 : 1)
        return (now, offset)
    }

    /// The client's public key from `public-key`, `identity.pub`, or `ssh-keygen -y -f identity`
    /// (which works only for a key without a passphrase). Read on the client, not in the VM.
    static func clientKey(_ arguments: Arguments, context: CheckContext) async throws -> PublicKey? {
        if let path = arguments.optional("public-key").map(context.expandingTilde) {
            let text = try await context.local.readFile(path, timeout: context.timeout)
            guard let key = PublicKey(publicKeyText: text) else {
                throw EarlyResult(.error("\(path) holds no public key"))
            }
            return key
        }
        var identity = arguments.optional("identity").map(context.expandingTilde)
        if identity == nil, let host = arguments.optional("host") {
            // No identity given: the key ssh itself would offer first, from the user's own
            // configuration (`ssh -G`, IdentityFile or ssh's default files), that exists here.
            let settings = try? await SSHEffectiveConfig.read(
                host: host, port: nil, user: arguments.optional("user"), config: arguments.optional("ssh-config"),
                identity: nil, context: context)
            identity = settings?.identityFiles.first { FileManager.default.fileExists(atPath: $0) }
        }
        guard let identity else { return nil }
        try requireNotOption(identity, argument: "identity")
        if let text = try? await context.local.readFile(identity + ".pub", timeout: context.timeout),
            let key = PublicKey(publicKeyText: text)
        {
            return key
        }
        let derived = try await context.local.run(
            ["ssh-keygen", "-y", "-P", "", "-f", identity], timeout: context.timeout)
        guard derived.succeeded, let key = PublicKey(publicKeyText: derived.standardOutput) else {
            throw EarlyResult(.error("cannot read the public key of \(identity): \(derived.standardError.trimmedLine)"))
        }
        return key
    }
}
