import Foundation
import RunbookActions
import Testing

/// A runbook whose fix starts a background `sleep 30`, writes its pid, and waits for it.
private let orphanRunbook = """
    ---
    id: orphan
    title: Orphan
    models: {arm: Resource Manager}
    inputs:
      pidfile: {description: where the fix writes its child's pid, required: true}
    verify: ok
    ---
    # Orphan

    ## OK {#ok}

    ```check command run="false"
    ```

    ## Fix {#fix}

    ```run sh timeout=TIMEOUT
    sleep 30 & echo $! > "$PIDFILE"; wait
    ```
    """

/// True while the process runs (a zombie, dead but not yet reaped by PID 1, does not count).
private func running(_ pid: String) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// Waits (bounded: 30 × 100 ms) until the pid file holds a pid.
private func waitForPid(_ path: String) async throws -> String {
    for _ in 0..<30 {
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
            !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("the fix never wrote \(path)")
    throw CancellationError()
}

@Suite("Nothing left running", .serialized)
struct ChildProcessCLITests {
    @Test("a fix that times out is stopped with its children")
    func timeoutStopsTheGroup() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("orphan.md", orphanRunbook.replacingOccurrences(of: "TIMEOUT", with: "1s"))
        let pidfile = folder.url.appendingPathComponent("pid").path
        let result = try await runbook([
            "run", "arm", "--runbook", book.path, "-i", "pidfile=\(pidfile)", "--yes", "--non-interactive",
        ])
        #expect(result.exitCode == 1)
        let pid = try await waitForPid(pidfile)
        #expect(!running(pid), "the fix's sleep (pid \(pid)) outlived runbook")
    }

    @Test("SIGTERM during a fix stops its children; the step is logged interrupted; exit 143")
    func signalStopsTheGroup() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("orphan.md", orphanRunbook.replacingOccurrences(of: "TIMEOUT", with: "60s"))
        let pidfile = folder.url.appendingPathComponent("pid").path
        let log = folder.url.appendingPathComponent("run.jsonl").path
        let script = """
            "$1" run arm --runbook "$2" -i "pidfile=$3" --yes --non-interactive --log "$4" >/dev/null 2>&1 & pid=$!
            for i in $(seq 1 50); do [ -s "$3" ] && break; sleep 0.1; done
            kill -TERM $pid; wait $pid
            """
        let output = try await ProcessRunner.run(
            ["/bin/sh", "-c", script, "sh", try runbookBinary(), book.path, pidfile, log], timeout: .seconds(60))
        #expect(output.exitCode == 143)
        let pid = try await waitForPid(pidfile)
        #expect(!running(pid), "the fix's sleep (pid \(pid)) outlived runbook")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let fix = try #require(lines.first { $0.contains("\"step\":\"fix\"") })
        #expect(fix.contains("\"status\":\"interrupted\""), "\(fix)")
        #expect(!fix.contains("CancellationError"))
        #expect(lines.last?.contains("\"outcome\":\"interrupted\"") == true)
    }
}
