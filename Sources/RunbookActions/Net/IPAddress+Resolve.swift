extension IPAddress {
    /// `host` as an address: a literal, or the first address `getent ahosts` gives where `executor`
    /// runs (`nil` when the name does not resolve).
    static func resolve(
        _ host: String, on executor: any Executor, timeout: Duration
    ) async throws(ExecutorError) -> IPAddress? {
        if let address = IPAddress(host) { return address }
        let output = try await executor.run(["getent", "ahosts", "--", host], timeout: timeout)
        guard output.succeeded else { return nil }
        return output.standardOutput.nonEmptyLines.lazy.compactMap { line in
            line.split(separator: " ").first.flatMap { IPAddress(String($0)) }
        }.first
    }
}
