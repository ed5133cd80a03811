import Foundation
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

/// Runs the binary as a user would, from the repository root, under `timeout` (exit 124 when it hangs).
func runbook(
    _ arguments: [String], environment: [String: String] = [:], directory: URL = repositoryRoot,
    timeout: Int = 60
) throws -> Invocation {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = [String(timeout), try runbookBinary()] + arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let output = try TemporaryFile()
    let errors = try TemporaryFile()
    defer {
        output.remove()
        errors.remove()
    }
    process.standardOutput = output.handle
    process.standardError = errors.handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let result = Invocation(exitCode: process.terminationStatus, stdout: try output.contents(), stderr: try errors.contents())
    if result.exitCode == 124 { Issue.record("runbook \(arguments) did not finish within \(timeout)s") }
    return result
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

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-cli-\(UUID().uuidString)")
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
final class LoopbackSSHD {
    let directory: TemporaryDirectory
    let port: Int
    var process: Process?

    var identity: String { directory.url.appendingPathComponent("id_ed25519").path }
    var clientConfig: String { directory.url.appendingPathComponent("ssh_config").path }

    init() throws {
        directory = try TemporaryDirectory()
        port = Int.random(in: 20000...60000)
        let path = directory.url.path
        try shell("chmod 755 '\(path)' && ssh-keygen -q -t ed25519 -N '' -f '\(path)/host_key' && ssh-keygen -q -t ed25519 -N '' -f '\(path)/id_ed25519' && cp '\(path)/id_ed25519.pub' '\(path)/authorized_keys' && mkdir -p /run/sshd")
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
        let sshd = Process()
        sshd.executableURL = URL(fileURLWithPath: "/usr/sbin/sshd")
        sshd.arguments = ["-D", "-e", "-f", "\(path)/sshd_config"]
        sshd.standardError = FileHandle.nullDevice
        sshd.standardOutput = FileHandle.nullDevice
        sshd.standardInput = FileHandle.nullDevice
        try sshd.run()
        process = sshd
        // Wait until it listens: at most 50 tries, 100 ms apart.
        for _ in 0..<50 {
            if (try? shell("exec 3<>/dev/tcp/127.0.0.1/\(port)")) != nil { return }
            usleep(100_000)
        }
        throw CocoaError(.fileReadUnknown)
    }

    func stop() {
        process?.terminate()
        process?.waitUntilExit()
        process = nil
    }

    deinit {
        stop()
        directory.remove()
    }
}

/// Runs a bash script; its output goes through a file, not a pipe: a pipe's write end can leak into
/// long-lived children that other tests start at the same time, and reading it would never end.
@discardableResult
func shell(_ script: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    let output = try TemporaryFile()
    defer { output.remove() }
    process.standardOutput = output.handle
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    return try output.contents()
}

func whoami() -> String { (try? shell("id -un").trimmingCharacters(in: .whitespacesAndNewlines)) ?? "root" }
