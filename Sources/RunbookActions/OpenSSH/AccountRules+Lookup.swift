extension AccountRules.Passwd {
    /// What `getent passwd USER` says of an account in the VM.
    enum Lookup: Equatable {
        case found(AccountRules.Passwd)
        /// No such account (`getent` exits 2, or prints nothing).
        case missing
        /// `getent` failed otherwise, or printed a line that is no passwd entry: its error text.
        case unreadable(String)
    }

    /// Looks `user` up in the VM's passwd database (files, LDAP, sssd: whatever NSS sshd uses).
    static func lookup(_ user: String, on vm: any Executor, timeout: Duration) async throws(ExecutorError) -> Lookup {
        let output = try await vm.run(["getent", "passwd", user], timeout: timeout)
        let line = output.standardOutput.trimmedLine
        if output.exitCode == 2 || (output.succeeded && line.isEmpty) { return .missing }
        guard output.succeeded, let passwd = AccountRules.Passwd(line: line) else {
            return .unreadable(output.standardError.trimmedLine)
        }
        return .found(passwd)
    }
}
