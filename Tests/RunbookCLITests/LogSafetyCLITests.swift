import Foundation
import Glibc
import RunbookActions
import Testing

/// A runbook whose verify step runs `sleep SECONDS` and fails, then one more check.
private func slowRunbook(seconds: String) -> String {
    """
    ---
    id: slow
    title: Slow
    models: {arm: Resource Manager}
    verify: waits
    ---
    # Slow

    ## Waits {#waits}

    ```check command run="sleep \(seconds)" expect-exit=7 timeout=30s
    ```

    ## Then {#then}

    ```check command run="true"
    ```
    """
}

/// The last JSON object of a JSON Lines file.
private func lastEvent(_ path: String) throws -> [String: Any] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let line = try #require(text.split(separator: "\n").last)
    return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

@Suite("Run logs are never lost or replaced", .serialized)
struct LogSafetyCLITests {
    @Test("20 runs started together leave 20 logs, each ending with run-end")
    func concurrentRunsKeepTheirLogs() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("slow.md", slowRunbook(seconds: "0"))
        let state = folder.url.appendingPathComponent("state").path
        // One shell starts all twenty at once and waits for them.
        let script = """
            for i in $(seq 1 20); do "$1" run arm --runbook "$2" --non-interactive >/dev/null 2>&1 & done; wait
            """
        let output = try await ProcessRunner.run(
            ["/bin/sh", "-c", script, "sh", try runbookBinary(), book.path],
            environment: ["XDG_STATE_HOME": state, "NO_COLOR": "1"], timeout: .seconds(120))
        #expect(output.exitCode == 0)
        let logs = try FileManager.default.contentsOfDirectory(atPath: state + "/runbook/runs")
        #expect(logs.count == 20, "logs: \(logs)")
        for log in logs {
            let end = try lastEvent(state + "/runbook/runs/" + log)
            #expect(end["event"] as? String == "run-end")
        }
    }

    @Test("--log into a device node writes into it and leaves it a device")
    func logIntoDevice() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("slow.md", slowRunbook(seconds: "0"))
        // A private copy of /dev/null (major 1, minor 3), so the test never risks the real one.
        let device = folder.url.appendingPathComponent("null").path
        guard mknod(device, S_IFCHR | 0o666, (1 << 8) | 3) == 0 else {
            Issue.record("mknod failed (errno \(errno)); this test needs root")
            return
        }
        let result = try await runbook(["run", "arm", "--runbook", book.path, "--non-interactive", "--log", device])
        #expect(result.exitCode == 1, "\(result.stderr)")
        var info = stat()
        #expect(lstat(device, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFCHR, "the device node was replaced")
    }

    @Test("--log into a FIFO writes the log into the pipe")
    func logIntoFIFO() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("slow.md", slowRunbook(seconds: "0"))
        let fifo = folder.url.appendingPathComponent("pipe").path
        let copy = folder.url.appendingPathComponent("copy.jsonl").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let script = """
            cat "$3" > "$4" & reader=$!
            "$1" run arm --runbook "$2" --non-interactive --log "$3" >/dev/null 2>&1; rc=$?
            wait $reader; exit $rc
            """
        let output = try await ProcessRunner.run(
            ["/bin/sh", "-c", script, "sh", try runbookBinary(), book.path, fifo, copy],
            environment: ["NO_COLOR": "1"], timeout: .seconds(60))
        #expect(output.exitCode == 1)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(try lastEvent(copy)["event"] as? String == "run-end")
    }

    @Test("--log naming a symbolic link is refused (exit 2) and the link's target is untouched")
    func logSymlinkRefused() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("slow.md", slowRunbook(seconds: "0"))
        let target = try folder.write("precious.txt", "keep me\n")
        let link = folder.url.appendingPathComponent("log.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        let result = try await runbook(["run", "arm", "--runbook", book.path, "--non-interactive", "--log", link])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("symbolic link"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
    }

    @Test("a full disk does not crash the run: one warning, the run's own exit code")
    func fullDisk() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("slow.md", slowRunbook(seconds: "0"))
        // /dev/full fails every write with ENOSPC; a private copy (major 1, minor 7).
        let full = folder.url.appendingPathComponent("full").path
        guard mknod(full, S_IFCHR | 0o666, (1 << 8) | 7) == 0 else {
            Issue.record("mknod failed (errno \(errno)); this test needs root")
            return
        }
        let result = try await runbook(["run", "arm", "--runbook", book.path, "--non-interactive", "--log", full])
        #expect(result.exitCode == 1, "\(result.stderr)")
        let warnings = result.stderr.components(separatedBy: "is incomplete").count - 1
        #expect(warnings == 1, "\(result.stderr)")
    }

    @Test("SIGHUP and a closed stdout pipe end the run with run-end in the log (exit 129, 141)")
    func hangupAndBrokenPipe() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("slow.md", slowRunbook(seconds: "5"))
        let log = folder.url.appendingPathComponent("hup.jsonl").path
        let hup = """
            "$1" run arm --runbook "$2" --non-interactive --log "$3" >/dev/null 2>&1 & pid=$!
            sleep 1; kill -HUP $pid; wait $pid
            """
        let hupOutput = try await ProcessRunner.run(
            ["/bin/sh", "-c", hup, "sh", try runbookBinary(), book.path, log], timeout: .seconds(60))
        #expect(hupOutput.exitCode == 129)
        let end = try lastEvent(log)
        #expect(end["event"] as? String == "run-end")
        #expect(end["outcome"] as? String == "interrupted")

        // `| head -c 1`: the reader goes away after the first byte; the next write raises SIGPIPE.
        let pipeLog = folder.url.appendingPathComponent("pipe.jsonl").path
        let quick = try folder.write("quick.md", slowRunbook(seconds: "1"))
        let pipe = """
            "$1" run arm --runbook "$2" --non-interactive --format json --log "$3" 2>/dev/null | head -c 1 >/dev/null
            """
        _ = try await ProcessRunner.run(
            ["/bin/sh", "-c", pipe, "sh", try runbookBinary(), quick.path, pipeLog], timeout: .seconds(60))
        let pipeEnd = try lastEvent(pipeLog)
        #expect(pipeEnd["event"] as? String == "run-end")
    }

    @Test("render -o: a symlink refused, a file replaced and announced (devices and FIFOs: OutputCLITests)")
    func renderOutput() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let target = try folder.write("precious.txt", "keep me\n")
        let link = folder.url.appendingPathComponent("page.html").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target.path)
        let toLink = try await runbook(["render", "ssh-connection", "-o", link])
        #expect(toLink.exitCode == 2)
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")

        let page = try folder.write("old.html", "old")
        let toFile = try await runbook(["render", "ssh-connection", "-o", page.path])
        #expect(toFile.exitCode == 0)
        #expect(toFile.stderr.contains("wrote \(page.path)"))
        #expect(try String(contentsOf: page, encoding: .utf8).contains("</html>"))
    }
}
