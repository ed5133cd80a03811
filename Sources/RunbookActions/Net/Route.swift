/// The route the kernel picks toward an address, as the first line of `ip route get ADDRESS` gives it:
/// `10.0.0.1 dev eth0 src 10.0.0.4 uid 0`, or `local 127.0.0.1 dev lo src 127.0.0.1 uid 0` for an
/// address of the machine itself.
struct Route: Equatable, Sendable {
    /// The interface the packets leave by.
    var device: String?
    /// The source address the kernel picks (`src`), the machine's own address toward the target.
    var source: IPAddress?
    /// Whether the target is an address of this machine.
    var isLocal: Bool = false

    /// Reads the first line of `ip route get` output; `nil` when there is none.
    static func parse(_ text: String) -> Route? {
        guard let line = text.nonEmptyLines.first else { return nil }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func after(_ key: String) -> String? {
            guard let index = words.firstIndex(of: key), index + 1 < words.count else { return nil }
            return words[index + 1]
        }
        return Route(
            device: after("dev"), source: after("src").flatMap(IPAddress.init), isLocal: words.first == "local")
    }

    /// Runs `ip route get ADDRESS` through `executor`: the route, or `nil` when `ip` finds none.
    ///
    /// A literal address cannot be read as an option by `ip`, so the argument needs no guard.
    static func get(
        to address: IPAddress, on executor: any Executor, timeout: Duration
    ) async throws(ExecutorError) -> Route? {
        let output = try await executor.run(["ip", "route", "get", address.description], timeout: timeout)
        return output.succeeded ? parse(output.standardOutput) : nil
    }
}
