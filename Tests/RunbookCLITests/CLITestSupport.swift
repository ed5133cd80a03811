import Foundation
import RunbookActions
import Testing

/// The repository's root, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `runbook` binary (swift build puts it beside the test bundle).
func runbookBinary() throws -> String {
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("runbook").path,
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("runbook").path,
        repositoryRoot.appendingPathComponent(".build/debug/runbook").path,
    ]
    for path in candidates where FileManager.default.isExecutableFile(atPath: path) { return path }
    Issue.record("runbook binary not found; run swift build first (looked in \(candidates))")
    throw CocoaError(.fileNoSuchFile)
}

struct Invocation {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}

/// Runs the binary as a user would, from the repository root, with a time limit.
///
/// Children are started with swift-subprocess (the project's ProcessRunner) only: Foundation's
/// `Process` in the same test process as swift-subprocess left children unreaped and hung the suite.
func runbook(_ arguments: [String], environment: [String: String] = [:], timeout: Int = 60) async throws -> Invocation {
    var env = ["NO_COLOR": "1"]
    for (key, value) in environment { env[key] = value }
    let binary = try runbookBinary()
    // cd to the repository root so that the default knowledge base ./Runbooks is the project's.
    let script = "cd \"$1\" && shift && exec \"$@\""
    let output = try await ProcessRunner.run(
        ["/bin/sh", "-c", script, "sh", repositoryRoot.path, binary] + arguments, environment: env,
        timeout: .seconds(timeout))
    return Invocation(exitCode: output.exitCode, stdout: output.standardOutput, stderr: output.standardError)
}

/// A file to capture a child's output (files, unlike pipes, never fill up and block the child).
struct TemporaryFile {
    let url: URL
    let handle: FileHandle

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    func contents() throws -> String { try String(contentsOf: url, encoding: .utf8) }

    func remove() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }
}

/// A temporary folder removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    /// - Parameter short: a short name (`/tmp/rb-1a2b3c4d`), as the paths a person types are.
    init(short: Bool = false) throws {
        url = short
            ? URL(fileURLWithPath: "/tmp/rb-\(UUID().uuidString.prefix(8).lowercased())")
            : FileManager.default.temporaryDirectory.appendingPathComponent("runbook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A real OpenSSH server on 127.0.0.1 with a throw-away host key and one authorized client key.
final class LoopbackSSHD: @unchecked Sendable {
    let directory: TemporaryDirectory
    let port: Int
    private var running = true

    var identity: String { directory.url.appendingPathComponent("id_ed25519").path }
    var clientConfig: String { directory.url.appendingPathComponent("ssh_config").path }
    var pidFile: String { directory.url.appendingPathComponent("sshd.pid").path }

    private init(directory: TemporaryDirectory, port: Int) {
        self.directory = directory
        self.port = port
    }

    /// Starts sshd (it daemonizes itself) and waits until it listens: at most 50 tries, 100 ms apart.
    static func start() async throws -> LoopbackSSHD {
        let directory = try TemporaryDirectory()
        let port = Int.random(in: 20000...60000)
        let server = LoopbackSSHD(directory: directory, port: port)
        let path = directory.url.path
        try await shell("chmod 755 '\(path)' && ssh-keygen -q -t ed25519 -N '' -f '\(path)/host_key' && ssh-keygen -q -t ed25519 -N '' -f '\(path)/id_ed25519' && cp '\(path)/id_ed25519.pub' '\(path)/authorized_keys' && mkdir -p /run/sshd")
        _ = try directory.write("sshd_config", """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(path)/host_key
            PidFile \(path)/sshd.pid
            AuthorizedKeysFile \(path)/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            PermitRootLogin prohibit-password

            """)
        _ = try directory.write("ssh_config", """
            Host *
                UserKnownHostsFile \(path)/known_hosts
                StrictHostKeyChecking accept-new
                IdentitiesOnly yes

            """)
        try await shell("$(command -v sshd || echo /usr/sbin/sshd) -f '\(path)/sshd_config' </dev/null >/dev/null 2>&1")
        for _ in 0..<50 {
            if (try? await shell("exec 3<>/dev/tcp/127.0.0.1/\(port)")) != nil { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw CocoaError(.fileReadUnknown)
    }

    func stop() {
        guard running else { return }
        running = false
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
            // Wait until it is gone so the port is closed: at most 50 × 20 ms.
            for _ in 0..<50 where kill(pid, 0) == 0 { usleep(20_000) }
        }
    }

    deinit {
        stop()
        directory.remove()
    }
}

/// Runs a bash script and returns its standard output; throws when it fails.
@discardableResult
func shell(_ script: String) async throws -> String {
    let output = try await ProcessRunner.run(["/bin/bash", "-c", script], timeout: .seconds(30))
    guard output.succeeded else { throw CocoaError(.executableLoad) }
    return output.standardOutput
}

func whoami() -> String { ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? String(cString: getpwuid(getuid())!.pointee.pw_name) }
