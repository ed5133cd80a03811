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
private func running(_ pid: String) -> Bool { Int32(pid).map(ProcessTable.isRunning) ?? false }

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

    // MARK: kill -9 of runbook itself

    /// A runbook whose verify step is `check` (a fence) and whose fix is `fix` (a minute to run).
    private static func killedRunbook(check: String, fix: String = "true") -> String {
        """
        ---
        id: killed
        title: Killed
        models: {arm: Resource Manager}
        verify: ok
        ---
        # Killed

        ## OK {#ok}

        \(check)

        ## Fix {#fix}

        ```run sh timeout=60s
        \(fix)
        ```
        """
    }

    /// Starts `runbook run` on `text` in the background, waits until a process whose argument
    /// list holds `marker` and whose program is `program` runs, kills runbook with SIGKILL, and
    /// returns what still has `marker` 2 s later (polled every 100 ms; empty once all are gone).
    private func survivorsOfKill9(_ text: String, marker: String, program: String) async throws -> [(
        pid: Int32, argv: [String]
    )] {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("killed.md", text)
        let log = folder.url.appendingPathComponent("run.jsonl").path
        let started = try await ProcessRunner.run(
            [
                "/bin/sh", "-c",
                "\"$1\" run arm --runbook \"$2\" --yes --non-interactive --log \"$3\" </dev/null >/dev/null 2>&1 & echo $!",
                "sh", try runbookBinary(), book.path, log,
            ],
            timeout: .seconds(10))
        let runbookPID = try #require(Int32(started.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(runbookPID, SIGKILL) }
        var seen = false
        for _ in 0..<200 where !seen {
            seen = ProcessTable.processes(withArgument: marker).contains { ($0.argv.first ?? "").hasSuffix(program) }
            if !seen { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(seen, "\(program) with \(marker) never started")
        kill(runbookPID, SIGKILL)
        var left = ProcessTable.processes(withArgument: marker)
        for _ in 0..<20 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = ProcessTable.processes(withArgument: marker)
        }
        // Leave nothing behind even when the test fails.
        for survivor in left { kill(survivor.pid, SIGKILL) }
        return left
    }

    /// A `sleep` duration no other process on the machine uses.
    private static func uniqueDuration() -> String {
        "\(Int.random(in: 3000...5999)).\(Int.random(in: 100_000...999_999))"
    }

    @Test("kill -9 of runbook during a command check: the command is gone within 2 s")
    func kill9StopsACheck() async throws {
        let marker = Self.uniqueDuration()
        let check = "```check command run=\"sleep \(marker)\" timeout=60s\n```"
        let left = try await survivorsOfKill9(Self.killedRunbook(check: check), marker: marker, program: "sleep")
        #expect(left.isEmpty, "still running after runbook was killed: \(left)")
    }

    /// Fixes whose processes are none of them runbook's child: a background sleep, a subshell's and
    /// a foreground one; and the same with SIGTERM ignored, which only SIGKILL stops.
    @Test(
        "kill -9 of runbook during a fix: the fix's shell and its children are gone within 2 s",
        arguments: ["SLEEP &\n( SLEEP; true ) &\nSLEEP\nwait", "trap '' TERM\nSLEEP &\nSLEEP\nwait"])
    func kill9StopsAFix(script: String) async throws {
        let marker = Self.uniqueDuration()
        let fix = script.replacingOccurrences(of: "SLEEP", with: "sleep \(marker)")
        let text = Self.killedRunbook(check: "```check command run=\"false\"\n```", fix: fix)
        let left = try await survivorsOfKill9(text, marker: marker, program: "sleep")
        #expect(left.isEmpty, "still running after runbook was killed: \(left)")
    }

    @Test("kill -9 of runbook while ssh waits for a banner that never comes: ssh is gone within 2 s")
    func kill9StopsSSH() async throws {
        let listener = try SilentListener()
        let check = "```check ssh-login host=127.0.0.1 port=\(listener.port) timeout=60s\n```"
        let left = try await survivorsOfKill9(
            Self.killedRunbook(check: check), marker: String(listener.port), program: "ssh")
        #expect(left.isEmpty, "still running after runbook was killed: \(left)")
    }
}
