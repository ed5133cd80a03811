import RunbookCore

/// `login-account`: whether the user's account lets sshd log it in and start a session: it exists,
/// is not locked or expired as sshd (or PAM) decides, has a shell that exists, is executable and
/// allows a session, and a home directory.
struct LoginAccount: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "login-account",
            summary:
                "Checks the user's account as sshd does: exists, not locked or expired, a usable shell, a home directory.",
            arguments: [ArgumentSpec("user", .string, required: true, help: "The user logging in.")]
                + LoginContext.arguments,
            example: "check login-account user={{user}} host={{host}}",
            readsVM: true)
    }

    /// The shell's `stat` (following links, as sshd's `stat` does), whether the home directory and
    /// /etc/nologin exist, whether sshd's PAM stack has pam_nologin, and the VM's clock.
    static let probeScript = #"""
        printf 'shell\t%s\n' "$(stat -L -c '%f' -- "$1" 2>/dev/null)"
        if [ -d "$2" ]; then echo 'home	yes'; else echo 'home	no'; fi
        if [ -e /etc/nologin ]; then echo 'nologin	yes'; else echo 'nologin	no'; fi
        if grep -qs '^[^#]*pam_nologin' /etc/pam.d/sshd; then echo 'pam-nologin	yes'; fi
        printf 'now\t%s\n' "$(date +%s)"
        """#

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let user = try arguments.string("user")
        try requireNotOption(user, argument: "user")
        let passwd: AccountRules.Passwd
        switch try await AccountRules.Passwd.lookup(user, on: vm, timeout: context.timeout) {
        case .found(let entry):
            passwd = entry
        case .missing:
            return .fail(
                "user \(user) does not exist in the VM; sshd refuses every login as \(user)", evidence: ["user": user])
        case .unreadable(let reason):
            return .error("getent passwd \(user) failed: \(reason)", evidence: ["user": user])
        }
        let login = try await LoginContext.make(user: user, arguments: arguments, context: context, vm: vm)
        let shadowOutput = try await vm.run(["getent", "shadow", user], timeout: context.timeout)
        let shadow = shadowOutput.succeeded ? AccountRules.Shadow(line: shadowOutput.standardOutput.trimmedLine) : nil
        let probe = try await vm.run(
            ["sh", "-c", Self.probeScript, "sh", passwd.effectiveShell, passwd.home],
            timeout: context.timeout)
        var facts: [String: String] = [:]
        for line in probe.standardOutput.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if parts.count == 2 { facts[parts[0]] = parts[1] } else if parts.count == 1 { facts[parts[0]] = "" }
        }
        guard let now = facts["now"].flatMap({ Int($0) }) else {
            return .error("cannot read the VM's clock", evidence: ["user": user])
        }
        let usePAM = login.flag("usepam", default: false)
        let chroot = login.words("chrootdirectory").first.map { $0.lowercased() != "none" } ?? false
        var evidence = [
            "user": user, "config": login.configFile, "uid": String(passwd.uid), "home": passwd.home,
            "shell": passwd.effectiveShell, "usepam": usePAM ? "yes" : "no",
            "shadow": shadow.map {
                "\(Self.masked($0.password)):\($0.lastChange):\($0.minimum):\($0.maximum):\($0.warning):\($0.inactive):\($0.expire)"
            }
                ?? "unreadable",
        ]
        if chroot { evidence["chrootdirectory"] = login.words("chrootdirectory").joined(separator: " ") }

        let verdict = AccountRules.verdict(
            passwd: passwd, shadow: shadow, usePAM: usePAM, chrooted: chroot,
            today: now / 86_400)
        if case .refused(let reason) = verdict { return .fail(reason, evidence: evidence) }

        // allowed_user: the shell must exist and be executable (unless sshd chroots the user).
        if !chroot {
            guard let mode = facts["shell"].flatMap({ Int($0, radix: 16) }) else {
                return .fail(
                    "the shell \(passwd.effectiveShell) does not exist; sshd refuses \(user)", evidence: evidence)
            }
            if mode & 0o170000 != 0o100000 || mode & 0o111 == 0 {
                return .fail(
                    "the shell \(passwd.effectiveShell) is not executable (mode \(String(mode & 0o7777, radix: 8))); sshd refuses \(user)",
                    evidence: evidence)
            }
        }
        if facts["home"] != "yes" {
            let files = login.authorizedKeysFiles(home: passwd.home, user: user, uid: passwd.uid).compactMap { $0 }
            let underHome = files.filter { $0.hasPrefix(passwd.home + "/") }
            if !underHome.isEmpty {
                return .fail(
                    "the home directory \(passwd.home) does not exist, so sshd cannot read \(underHome.joined(separator: ", "))",
                    evidence: evidence)
            }
            evidence["note"] = "the home directory \(passwd.home) does not exist; sshd starts the session in /"
        }
        // session.c do_nologin without PAM; pam_nologin (in /etc/pam.d/sshd) with it.
        if passwd.uid != 0 && facts["nologin"] == "yes" {
            if !usePAM {
                return .fail(
                    "/etc/nologin exists: sshd ends every session of a user other than root", evidence: evidence)
            }
            if facts["pam-nologin"] == "yes" {
                return .fail(
                    "/etc/nologin exists and /etc/pam.d/sshd uses pam_nologin: users other than root are refused",
                    evidence: evidence)
            }
        }
        if AccountRules.refusesSessions(passwd.effectiveShell) {
            return .fail(
                "the shell \(passwd.effectiveShell) refuses sessions: authentication passes, then the session ends at once",
                evidence: evidence)
        }
        if case .noSession(let reason) = verdict { return .fail(reason, evidence: evidence) }
        return .pass("\(user) (uid \(passwd.uid)) may log in; shell \(passwd.effectiveShell)", evidence: evidence)
    }

    /// A password field for evidence: markers (`*`, `!`, `!*`) as they are, a hash never.
    static func masked(_ password: String) -> String {
        if password.count <= 2 { return password }
        return password.hasPrefix("!") ? "!(hash)" : "(hash)"
    }
}
