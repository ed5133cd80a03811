/// The name sshd knows a client by with `UseDNS yes`: the VM's reverse lookup of the client's address,
/// lower-cased as sshd's `remote_hostname` does (host patterns of `AllowUsers`, `Match Host` and
/// `from=` are matched against it; without `UseDNS` sshd uses the address).
enum SSHDRemoteHost {
    /// The first name `getent hosts ADDRESS` gives in the VM, or `nil` when it gives none.
    static func name(
        of address: String, on vm: any Executor, timeout: Duration
    ) async throws(ExecutorError) -> String? {
        let output = try await vm.run(["getent", "hosts", address], timeout: timeout)
        let words = (output.standardOutput.nonEmptyLines.first ?? "").split(whereSeparator: \.isWhitespace)
        return words.count > 1 ? String(words[1]).lowercased() : nil
    }
}
