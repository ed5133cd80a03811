import Foundation
import RunbookActions
// The CLI runner, temporary folders, the test sshd and set-up commands, for every file here.
@_exported import RunbookTestSupport
import Testing

/// The repository's root.
let repositoryRoot = URL(fileURLWithPath: Repository.root)

extension TemporaryDirectory {
    /// Writes `text` to `name` inside the folder (making the folders on the way); the file as a URL.
    func write(_ name: String, _ text: String) throws -> URL {
        URL(fileURLWithPath: try write(name, text, mode: 0o644))
    }
}

/// The test sshd, by the name these tests gave it.
typealias LoopbackSSHD = TestSSHServer

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

func whoami() -> String {
    ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
        ?? String(cString: getpwuid(getuid())!.pointee.pw_name)
}
