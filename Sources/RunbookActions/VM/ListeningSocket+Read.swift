extension ListeningSocket {
    /// `/proc/net/tcp` could not be read in the VM (`/proc/net/tcp6` is missing when IPv6 is off).
    struct Unreadable: Error, Sendable {
        /// What `cat` said.
        var reason: String
    }

    /// The VM's LISTEN sockets, from `/proc/net/tcp` and, when IPv6 is on, `/proc/net/tcp6`, read in
    /// one command (one round trip, which matters for `az vm run-command`).
    static func read(on executor: any Executor, timeout: Duration) async throws -> [ListeningSocket] {
        let script = "cat /proc/net/tcp || exit 3; echo '--- tcp6'; cat /proc/net/tcp6 2>/dev/null; exit 0"
        let output = try await executor.run(["sh", "-c", script], timeout: timeout)
        if output.exitCode == 3 { throw Unreadable(reason: output.standardError.trimmedLine) }
        return parse(procNetTCP: output.standardOutput)
    }
}
