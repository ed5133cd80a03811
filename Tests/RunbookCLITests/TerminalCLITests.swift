import Foundation
import Testing

/// A runbook whose verify step fails (nothing listens on `port`), then a slow check, a manual
/// step with its question, and a check whose fix shows the input's value at the prompt.
private func promptRunbook(port: Int) -> String {
    """
    ---
    id: prompts
    title: Prompts
    inputs:
      target: {description: what the fix names, default: hello-value}
    verify: can-connect
    ---
    # Prompts

    ## Can connect {#can-connect .symptom}

    ```check tcp-connect host=127.0.0.1 port=\(port) timeout=2s
    ```

    ## The network {#network}

    ### A slow check {#slow}

    ```check command run="sleep 4"
    ```

    ### The edge lets it through {#edge question="Does the edge let SSH out?" finding="The edge blocks SSH"}

    Try from outside **your** network:

    ```sh
    ssh -v user@host
    ```

    ## The service {#service}

    ### The service runs {#service-runs}

    ```check command run="false" finding="The service is down" fix=#repair
    ```

    ## Fixes {#fixes}

    ### Repair the service {#repair}

    ```run sh
    echo "repairing $TARGET"
    ```
    """
}

@Suite("runbook run in a terminal (tmux)", .serialized)
struct TerminalCLITests {
    /// A knowledge base holding the prompt runbook, and the words to run it.
    private func promptRun() throws -> (TemporaryDirectory, [String]) {
        let kb = try TemporaryDirectory()
        // Nothing listens on 127.0.0.1:1 (as CLITests assume too).
        _ = try kb.write("prompts.md", promptRunbook(port: 1))
        return (
            kb,
            [
                "run", "default", "--kb", kb.url.path, "--runbook", "prompts", "--log",
                kb.url.appendingPathComponent("run.jsonl").path,
            ]
        )
    }

    @Test("a live line shows the running check with a spinner and the time so far; it is gone when the check ends")
    func liveLine() async throws {
        let (kb, words) = try promptRun()
        defer { kb.remove() }
        let session = try await TerminalSession(words)
        let during = try await session.waitFor("slow  A slow check")
        let line = try #require(during.split(separator: "\n").first { $0.contains("slow  A slow check") })
        #expect(line.first.map { "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏".contains($0) } == true, "\(line)")
        #expect(line.range(of: #"\d+\.\ds$"#, options: .regularExpression) != nil, "\(line)")
        let after = try await session.waitFor("[y/n/skip]")
        #expect(!after.contains("A slow check"), "the live line stays: \(after)")
        await session.close()
    }

    @Test(
        "a manual step: its section heading, its Markdown rendered (no fences), its question; an invalid answer is asked again"
    )
    func manualStep() async throws {
        let (kb, words) = try promptRun()
        defer { kb.remove() }
        let session = try await TerminalSession(words)
        let asked = try await session.waitFor("Does the edge let SSH out? [y/n/skip]")
        let lines = asked.split(separator: "\n").map(String.init)
        // The section's line (its heading, with what passed in it so far) comes first.
        let heading = try #require(lines.firstIndex { $0.contains("The network") })
        let question = try #require(lines.firstIndex { $0.hasPrefix("Does the edge let SSH out?") })
        #expect(heading < question)
        #expect(asked.contains("    Try from outside your network:"))
        #expect(asked.contains("        ssh -v user@host"))
        #expect(!asked.contains("```") && !asked.contains("**"))
        try await session.send("maybe", "Enter")
        try await session.waitFor("Please answer y, n or skip.")
        try await session.send("n", "Enter")
        try await session.waitFor("Run it? [y/N]")
        try await session.send("n", "Enter")
        let done = try await session.waitFor("[exit 1]")
        #expect(done.contains("✗ edge"), "\(done)")
        #expect(done.contains("The edge blocks SSH"))
        await session.close()
    }

    @Test("a consent prompt shows the fix with the input's value in place")
    func consentShowsValues() async throws {
        let (kb, words) = try promptRun()
        defer { kb.remove() }
        let session = try await TerminalSession(words + ["-i", "target=web-7"])
        try await session.waitFor("[y/n/skip]")
        try await session.send("y", "Enter")
        let prompt = try await session.waitFor("Run it? [y/N]")
        #expect(prompt.contains("Fix 'Repair the service' (repair) would run:"), "\(prompt)")
        #expect(prompt.contains(#"    echo "repairing web-7""#), "\(prompt)")
        try await session.send("y", "Enter")
        let done = try await session.waitFor("[exit 1]")
        #expect(done.contains("✓ repair"), "\(done)")
        await session.close()
    }

    @Test("Ctrl-C at a prompt ends the run within a second: exit 130, the log closed with run-end")
    func interruptAtPrompt() async throws {
        let (kb, words) = try promptRun()
        defer { kb.remove() }
        let session = try await TerminalSession(words)
        try await session.waitFor("[y/n/skip]")
        try await session.send("C-c")
        // From the key's arrival in the terminal (send-keys has returned) to run-end in the log,
        // read straight from the file every 20 ms (capture-pane is too slow a clock).
        let started = Date()
        let logURL = kb.url.appendingPathComponent("run.jsonl")
        while Date().timeIntervalSince(started) < 5 {
            if let text = try? String(contentsOf: logURL, encoding: .utf8), text.contains(#""event":"run-end""#) {
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(Date().timeIntervalSince(started) < 1, "took \(Date().timeIntervalSince(started)) s")
        let screen = try await session.waitFor("[exit 130]", seconds: 5)
        #expect(screen.contains("interrupted"))
        let log = try String(contentsOf: logURL, encoding: .utf8)
        let last = try #require(log.split(separator: "\n").last)
        let end = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(end["event"] as? String == "run-end")
        #expect(end["outcome"] as? String == "interrupted")
        #expect(end["exit"] as? Int == 130)
        await session.close()
    }

    @Test(
        "the ssh runbook's diagnosis of three faults fits one screen: under 20 lines at 80 columns, nothing wrapped",
        arguments: ["sshd-stopped", "key-not-authorized", "dns"])
    func verdictFitsOneScreen(fault: String) async throws {
        let sshd = try await LoopbackSSHD.start()
        let host: String
        switch fault {
        case "sshd-stopped":
            sshd.stop()
            host = "127.0.0.1"
        case "key-not-authorized":
            try await shell(
                "ssh-keygen -q -t ed25519 -N '' -f '\(sshd.directory.url.path)/other' && cp '\(sshd.directory.url.path)/other.pub' '\(sshd.directory.url.path)/authorized_keys'"
            )
            host = "127.0.0.1"
        default:
            host = "no-such-host.invalid"
        }
        // A short path, so that the log line fits 80 columns too (a path is never cut).
        let log = "/tmp/rb-\(UUID().uuidString.prefix(8)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let session = try await TerminalSession([
            "run", "arm", "-i", "host=\(host)", "-i", "port=\(sshd.port)", "-i", "user=\(whoami())",
            "-i", "identity=\(sshd.identity)", "-i", "ssh-config=\(sshd.clientConfig)", "--non-interactive", "--log",
            log,
        ])
        try await session.waitFor("[exit ", seconds: 30)
        let lines = try await session.runLines().filter { !$0.isEmpty }
        let joined = try await session.runLines(joined: true).filter { !$0.isEmpty }
        #expect(lines.count < 20, "\(lines.count) lines:\n\(lines.joined(separator: "\n"))")
        #expect(joined.count == lines.count, "a line wrapped:\n\(joined.joined(separator: "\n"))")
        #expect(lines.first?.hasPrefix("ssh-connection · Resource Manager") == true)
        #expect(lines.filter { $0.hasPrefix("ssh-connection · ") }.count == 1)
        // The verdict names the finding, not the step's title, and the log.
        let verdict = try #require(lines.lastIndex { $0.hasPrefix("✗ diagnosed") || $0.hasPrefix("✗ inconclusive") })
        #expect(lines.count - verdict <= 5 + 1, "\(lines[verdict...])")
        #expect(lines.contains { $0.hasPrefix("  log: \(log)") })
        let end = try #require(
            try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").last
                .flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        for id in (end["causes"] as? [String]) ?? [] {
            let finding = try #require((end["cause_findings"] as? [String: String])?[id])
            let words = { (text: String) in text.split(separator: " ").joined(separator: " ") }
            #expect(
                words(lines[verdict...].joined(separator: " ")).contains(words(String(finding.prefix(30)))),
                "\(finding)")
        }
        await session.close()
    }
}
