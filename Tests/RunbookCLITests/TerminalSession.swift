import Foundation
import RunbookActions
import Testing

/// `runbook` in a real terminal: a detached tmux session of 80×40 on a private server socket,
/// driven with `send-keys` and read with `capture-pane`. The command's exit code is printed
/// as `[exit N]` after it ends; the session lives until `close()`.
final class TerminalSession: @unchecked Sendable {
    let socket = "runbook-test-\(UUID().uuidString.prefix(8))"
    let directory: TemporaryDirectory

    /// Starts `runbook ARGUMENTS` from the repository root in a terminal of `width` columns.
    init(_ arguments: [String], width: Int = 80, height: Int = 40, environment: [String: String] = [:]) async throws {
        directory = try TemporaryDirectory()
        let binary = try runbookBinary()
        let exports = (["NO_COLOR": "1"].merging(environment) { $1 })
            .map { "export \($0.key)=\(ShellQuote.quote($0.value))" }.sorted().joined(separator: "\n")
        let script = try directory.write(
            "run.sh",
            """
            unset COLUMNS LINES
            # Ctrl-C reaches the whole foreground group: the shell survives it to print the exit
            # code (a trap with a command is reset to the default in the child, unlike an ignore).
            trap : INT
            \(exports)
            cd \(ShellQuote.quote(repositoryRoot.path))
            \(([binary] + arguments).map(ShellQuote.quote).joined(separator: " "))
            echo "[exit $?]"
            exec sleep 600

            """)
        try await tmux([
            "-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height), "-s", "t",
            "/bin/sh \(ShellQuote.quote(script.path))",
        ])
    }

    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        let output = try await ProcessRunner.run(["tmux", "-L", socket] + arguments, timeout: .seconds(10))
        guard output.succeeded else {
            Issue.record("tmux \(arguments.joined(separator: " ")) failed: \(output.standardError)")
            throw CocoaError(.executableLoad)
        }
        return output.standardOutput
    }

    /// The screen as shown (`joined`: wrapped lines put back together).
    func screen(joined: Bool = false) async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", "t"] + (joined ? ["-J"] : []))
    }

    func send(_ keys: String...) async throws {
        try await tmux(["send-keys", "-t", "t"] + keys)
    }

    /// Polls the screen (every 50 ms, at most `seconds`) until it contains `text`.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 20, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> String
    {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try await screen()
            if last.contains(text) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record(
            "'\(text)' did not appear within \(seconds) s; the screen:\n\(last)", sourceLocation: sourceLocation)
        throw CocoaError(.fileReadUnknown)
    }

    /// The lines the run wrote: from the first (`id · model`) to the one before `[exit N]`.
    func runLines(joined: Bool = false) async throws -> [String] {
        let lines = try await screen(joined: joined).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let end = lines.firstIndex { $0.hasPrefix("[exit ") } ?? lines.count
        return Array(lines[..<end])
    }

    /// Ends the session (a session left behind by a failed test ends itself after 600 s).
    func close() async {
        _ = try? await ProcessRunner.run(["tmux", "-L", socket, "kill-server"], timeout: .seconds(10))
        directory.remove()
    }
}
