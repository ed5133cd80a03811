import Foundation
import Testing

@testable import RunbookActions

/// What every command runbook starts goes through: found or not found, exit codes and output.
@Suite("ProcessRunner")
struct ProcessRunnerTests {
    @Test("a program on no PATH folder is notFound, by name or by path")
    func notFound() async throws {
        await #expect(throws: ExecutorError.notFound("runbook-no-such-program")) {
            try await ProcessRunner.run(["runbook-no-such-program", "-x"], timeout: .seconds(10))
        }
        await #expect(throws: ExecutorError.notFound("/nonexistent/runbook-no-such-program")) {
            try await ProcessRunner.run(["/nonexistent/runbook-no-such-program"], timeout: .seconds(10))
        }
        // The child's PATH decides: a PATH without /bin does not find `sh`.
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        await #expect(throws: ExecutorError.notFound("sh")) {
            try await ProcessRunner.run(
                ["sh", "-c", "true"], environment: ["PATH": folder.path], timeout: .seconds(10))
        }
    }

    @Test(
        "a program found on the child's PATH runs with its arguments; its exit code, stdout and stderr come back as they are"
    )
    func exitCodeAndOutput() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write(
            "runbook-echo-args", "#!/bin/sh\nprintf '[%s]' \"$@\"; cat; echo oops >&2; exit 7\n", mode: 0o755)
        let output = try await ProcessRunner.run(
            ["runbook-echo-args", "a b", "-c", "--"], environment: ["PATH": "\(folder.path):/usr/bin:/bin"],
            input: "from stdin", timeout: .seconds(10))
        #expect(
            output == ProcessOutput(exitCode: 7, standardOutput: "[a b][-c][--]from stdin", standardError: "oops\n"))
        let success = try await ProcessRunner.run(["/bin/sh", "-c", "exit 0"], timeout: .seconds(10))
        #expect(success.exitCode == 0 && success.standardOutput.isEmpty && success.standardError.isEmpty)
    }

    @Test("a command ended by a signal exits 128 + the signal")
    func signalled() async throws {
        let terminated = try await ProcessRunner.run(["sh", "-c", "kill -TERM $$"], timeout: .seconds(10))
        #expect(terminated.exitCode == 143)
        let killed = try await ProcessRunner.run(["sh", "-c", "kill -KILL $$"], timeout: .seconds(10))
        #expect(killed.exitCode == 137)
    }

    @Test("an executable file that is neither ELF nor #! does not start (no /bin/sh fallback)")
    func noShellFallback() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let script = try folder.write("bare", "echo ran\n", mode: 0o755)
        #expect(!ProcessRunner.startsDirectly(script))
        #expect(ProcessRunner.startsDirectly("/bin/sh"))  // a symlink to dash on Debian
        #expect(!ProcessRunner.startsDirectly(folder.path))
        await #expect(throws: ExecutorError.self) {
            try await ProcessRunner.run([script], timeout: .seconds(10))
        }
    }

    @Test("a command that overruns its time limit is timedOut")
    func timedOut() async throws {
        await #expect(throws: ExecutorError.timedOut(command: "sleep 5", after: .milliseconds(300))) {
            try await ProcessRunner.run(["sleep", "5"], timeout: .milliseconds(300))
        }
    }

    #if os(Linux)
        @Test("on Linux children start through setpriv --pdeathsig and timeout (both in Debian's essential set)")
        func guardedOnLinux() async throws {
            let prefix = try #require(await ProcessRunner.parentDeathPrefix.value)
            #expect(prefix.contains("--pdeathsig"))
            // The command is the child of `timeout`, in the group `setpriv` leads.
            let output = try await ProcessRunner.run(
                ["sh", "-c", "ps -o comm= -p $PPID; ps -o pgid= -p $$; ps -o pgid= -p $PPID"], timeout: .seconds(10))
            let lines = output.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.first == "timeout", "\(output)")
            #expect(lines.count == 3 && lines[1] == lines[2], "\(output)")
        }
    #endif
}
