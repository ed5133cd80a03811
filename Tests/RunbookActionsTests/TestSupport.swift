import Foundation
@testable import RunbookActions
import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under the temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "rb-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SetupError("mkdtemp failed") }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o644) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, mode_t(mode))
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct SetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a setup command to the end; throws when it fails.
///
/// Goes through ``ProcessRunner`` (swift-subprocess), not Foundation's `Process`: tests run in parallel, and a
/// child started by `Process` inherits the pipes of others, so their readers never see the end.
@discardableResult
func sh(_ argv: [String], allowFailure: Bool = false) async throws -> String {
    let output = try await ProcessRunner.run(argv, timeout: .seconds(20))
    if !output.succeeded && !allowFailure {
        throw SetupError("\(argv.joined(separator: " ")) exited \(output.exitCode): \(output.standardError)")
    }
    return output.standardOutput
}

/// A process started for a test (a server, a listener), torn down by `stop()`.
///
/// It runs in a task; cancelling the task makes swift-subprocess terminate the child.
final class BackgroundProcess: Sendable {
    private let task: Task<Void, Never>

    init(_ argv: [String]) {
        // Long enough for a slow suite on a loaded machine (an sshd killed mid-test fails its logins);
        // `stop()` ends it as soon as the test is done.
        task = Task { _ = try? await ProcessRunner.run(argv, timeout: .seconds(900)) }
    }

    func stop() { task.cancel() }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SetupError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw SetupError("bind failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether a TCP connection to 127.0.0.1:port succeeds now.
func acceptsConnections(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// Waits (at most 100 tries over about 5 s) until 127.0.0.1:port accepts connections.
func waitForListener(_ port: Int) async throws {
    for _ in 0..<100 {
        if acceptsConnections(port) { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw SetupError("nothing came to listen on 127.0.0.1:\(port)")
}

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

/// A real OpenSSH server on 127.0.0.1 with a throw-away host key, logging in `root` with `clientKey`.
struct TestSSHServer {
    let directory: TemporaryDirectory
    let port: Int
    let process: BackgroundProcess

    var clientKey: String { directory.file("client_key") }
    var knownHosts: String { directory.file("known_hosts") }
    /// Options that keep the client away from the user's own files.
    var clientOptions: String {
        "UserKnownHostsFile=\(knownHosts),GlobalKnownHostsFile=/dev/null,StrictHostKeyChecking=accept-new"
    }

    static func start() async throws -> TestSSHServer {
        let directory = try TemporaryDirectory("rb-sshd")
        try await sh(["mkdir", "-p", "/run/sshd"])
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("host_key")])
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("client_key")])
        try await sh(["cp", directory.file("client_key.pub"), directory.file("authorized_keys")])
        let port = try freePort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory.file("host_key"))
            PidFile \(directory.file("sshd.pid"))
            AuthorizedKeysFile \(directory.file("authorized_keys"))
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password

            """
        try directory.write("sshd_config", config)
        let process = BackgroundProcess(
            ["/usr/sbin/sshd", "-D", "-E", directory.file("sshd.log"), "-f", directory.file("sshd_config")])
        let server = TestSSHServer(directory: directory, port: port, process: process)
        do {
            try await waitForListener(port)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    func stop() {
        process.stop()
        directory.remove()
    }
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

/// Runs a command to the end without capturing anything, for clean-up in `defer`.
///
/// `system(3)` waits for its own child only; Foundation's `Process` is not used in tests because,
/// beside swift-subprocess in one test process, it left children unreaped.
func runToEnd(_ argv: [String]) {
    _ = system(argv.map(ShellQuote.quote).joined(separator: " ") + " </dev/null >/dev/null 2>&1")
}

/// The time a check may take in tests: generous, because a loaded CI machine can take seconds to
/// start a process; checks that pass or fail quickly do so long before it.
let testTimeout: Duration = .seconds(20)

/// The repository's root, found from this file's path.
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()
