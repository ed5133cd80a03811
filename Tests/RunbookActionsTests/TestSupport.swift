import Foundation
import RunbookCore
// Temporary folders, set-up commands, loopback ports and the test sshd, for every file here.
@_exported import RunbookTestSupport

@testable import RunbookActions

#if canImport(Glibc)
    import Glibc
#endif

/// A listener on 127.0.0.1 that sends a line of HTTP instead of an SSH banner, then hangs up.
func startGarbageListener(port: Int) -> BackgroundProcess {
    let script = """
        import socket, sys, time
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); s.settimeout(300)
        end = time.time() + 300
        while time.time() < end:
            c, _ = s.accept(); c.sendall(b"HTTP/1.1 400 Bad Request\\r\\n\\r\\nnot ssh\\n"); c.close()
        """
    return BackgroundProcess(["python3", "-c", script, String(port)])
}

/// A network namespace made for one test (needs root), deleted by `delete()`.
struct TestNetworkNamespace {
    let name: String

    init(_ label: String) async throws {
        name = "rb-t-\(label)-\(getpid())-\(UInt32.random(in: 0..<100_000))"
        try await sh(["ip", "netns", "add", name])
        try await sh(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])
    }

    var executor: PrefixExecutor { PrefixExecutor(prefix: ["ip", "netns", "exec", name]) }

    func run(_ argv: [String]) async throws { try await sh(["ip", "netns", "exec", name] + argv) }

    /// Deletes the namespace; synchronous so that it can run in `defer`.
    func delete() { runToEnd(["ip", "netns", "delete", name]) }
}

extension CheckAction {
    /// Runs the action with `values` as its arguments.
    func run(_ values: [String: String], context: CheckContext = CheckContext(timeout: testTimeout)) async
        -> CheckResult
    {
        await run(Arguments(values, schema: schema), context: context)
    }
}

/// A context whose VM is this machine.
func localVM(timeout: Duration = testTimeout, environment: [String: String] = [:]) -> CheckContext {
    CheckContext(timeout: timeout, vm: LocalExecutor(), environment: environment)
}

/// The time a check may take in tests: generous, because a loaded CI machine can take seconds to
/// start a process; checks that pass or fail quickly do so long before it.
let testTimeout: Duration = .seconds(20)

/// The repository's root.
let repositoryRoot = Repository.root
