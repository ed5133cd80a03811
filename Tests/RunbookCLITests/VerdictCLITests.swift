import Foundation
import RunbookActions
import Testing

/// A runbook with many inputs: the verify step fails until the fix has made the marker file, and
/// the fix runs only with the secret input (read as `$PASSWORD`).
private let manyInputs = """
    ---
    id: many
    title: Many inputs
    models: {arm: Resource Manager}
    inputs:
      marker: {description: the file the fix makes, required: true}
      host: {description: host, required: true}
      user: {description: user name}
      resource-group: {description: resource group}
      vm: {description: VM name}
      subscription: {description: subscription}
      client-ip: {description: the client's address}
      password: {description: a password, secret: true}
    verify: works
    ---
    # Many inputs

    ## It works {#works}

    ```check command run="test -e {{marker}}"
    ```

    ## The marker is there {#made}

    ```check command run="test -e {{marker}}" finding="The marker file is missing" fix=#make
    ```

    ## Make the marker {#make}

    ```run sh
    test -n "$PASSWORD" && touch "$MARKER"
    ```

    """

/// A run of `manyInputs` in a folder of its own, with its own state folder for default logs.
private struct ManyInputsRun {
    let folder: TemporaryDirectory
    let marker: String
    var environment: [String: String]
    /// Long values, as real resource names and addresses are.
    let words: [String]
    static let secret = "s3cret-Pa55word-xyz"

    init() throws {
        folder = try TemporaryDirectory(short: true)
        _ = try folder.write("kb/many.md", manyInputs)
        marker = folder.url.appendingPathComponent("marker").path
        environment = [
            "COLUMNS": "80", "XDG_STATE_HOME": folder.url.appendingPathComponent("state").path,
            "RUNBOOK_INPUT_PASSWORD": Self.secret,
        ]
        words = [
            "run", "many", "arm", "--kb", folder.url.appendingPathComponent("kb").path, "-i", "marker=\(marker)",
            "-i", "host=vm-production-westeurope-01.contoso.example.com", "-i", "user=azureuser-operations",
            "-i", "resource-group=rg-production-westeurope-networking", "-i", "vm=vm-production-westeurope-01",
            "-i", "subscription=00000000-1111-2222-3333-444444444444", "-i", "client-ip=203.0.113.77",
            "--vm", "exec:env", "--non-interactive",
        ]
    }

    /// The lines of the verdict: from the outcome's line to the end.
    static func verdict(_ stdout: String) throws -> [String] {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
        let first = try #require(lines.lastIndex { $0.hasPrefix("✗ ") || $0.hasPrefix("✓ ") })
        return Array(lines[first...])
    }

    /// The rows `lines` take on a terminal of `width` columns (a longer line wraps there).
    static func rows(_ lines: [String], width: Int = 80) -> Int {
        lines.reduce(0) { $0 + max(1, ($1.count + width - 1) / width) }
    }

    /// The verdict's `runbook run` command, as a person would copy it.
    static func command(in verdict: [String]) throws -> String {
        let line = try #require(verdict.first { $0.contains("runbook run ") })
        return String(line[try #require(line.range(of: "runbook run ")).lowerBound...])
    }

    /// Runs `command` in a shell as pasted, with `runbook` on PATH, from the repository root.
    func paste(_ command: String) async throws -> Invocation {
        let folder = (try runbookBinary() as NSString).deletingLastPathComponent
        var env = environment
        env["PATH"] = folder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        env["NO_COLOR"] = "1"
        let output = try await ProcessRunner.run(
            ["/bin/sh", "-c", "cd \"$1\" && eval \"$2\"", "sh", repositoryRoot.path, command], environment: env,
            timeout: .seconds(60))
        return Invocation(exitCode: output.exitCode, stdout: output.standardOutput, stderr: output.standardError)
    }

    /// The run-start line of a log.
    static func start(_ path: String) throws -> [String: Any] {
        let first = try #require(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first)
        return try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    }
}

@Suite("Verdict")
struct VerdictCLITests {
    @Test("with many inputs the verdict is at most 5 rows at 80 columns, and its command works when pasted")
    func manyInputsFitAndPaste() async throws {
        let run = try ManyInputsRun()
        defer { run.folder.remove() }
        let log = "/tmp/rbv-\(UUID().uuidString.prefix(8)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let first = try await runbook(run.words + ["--log", log], environment: run.environment)
        #expect(first.exitCode == 1, "\(first.stdout)\(first.stderr)")
        let verdict = try ManyInputsRun.verdict(first.stdout)
        #expect(verdict.first == "✗ diagnosed: The marker file is missing (#made)", "\(verdict)")
        #expect(
            ManyInputsRun.rows(verdict) <= 5, "\(ManyInputsRun.rows(verdict)) rows:\n\(verdict.joined(separator: "\n"))"
        )
        #expect(verdict.last == "  log: \(log) · report: runbook report \(log)", "\(verdict)")
        // The inputs come back from the log: the command does not repeat them.
        let command = try ManyInputsRun.command(in: verdict)
        #expect(command.hasSuffix("--again \(log) --yes"), "\(command)")
        #expect(
            !command.contains("-i ") && !command.contains("--vm") && !command.contains("--non-interactive"),
            "\(command)")
        #expect(!first.stdout.contains(ManyInputsRun.secret) && !first.stderr.contains(ManyInputsRun.secret))
        #expect(!FileManager.default.fileExists(atPath: run.marker), "no fix without consent")

        // Pasted, it runs the fix with the same inputs and --vm, and the secret from the environment.
        let pasted = try await run.paste(command)
        #expect(pasted.exitCode == 0, "\(pasted.stdout)\(pasted.stderr)")
        #expect(pasted.stdout.contains("✓ resolved by #make (Make the marker)"), "\(pasted.stdout)")
        #expect(FileManager.default.fileExists(atPath: run.marker))
        let logs = try FileManager.default.contentsOfDirectory(
            atPath: run.environment["XDG_STATE_HOME"]! + "/runbook/runs")
        let again = try ManyInputsRun.start(
            run.environment["XDG_STATE_HOME"]! + "/runbook/runs/" + (try #require(logs.first)))
        let before = try ManyInputsRun.start(log)
        #expect(again["inputs"] as? [String: String] == before["inputs"] as? [String: String])
        #expect((before["inputs"] as? [String: String])?["password"] == "***")
        #expect(again["vm"] as? String == "exec:env")
    }

    @Test("a default log is named by the run's id: --again ID and report ID find it")
    func defaultLogByID() async throws {
        let run = try ManyInputsRun()
        defer { run.folder.remove() }
        let first = try await runbook(run.words, environment: run.environment)
        #expect(first.exitCode == 1, "\(first.stderr)")
        let verdict = try ManyInputsRun.verdict(first.stdout)
        #expect(ManyInputsRun.rows(verdict) <= 5, "\(verdict.joined(separator: "\n"))")
        let logs = try FileManager.default.contentsOfDirectory(
            atPath: run.environment["XDG_STATE_HOME"]! + "/runbook/runs")
        let name = try #require(logs.first)
        let id = String(name.dropLast(".jsonl".count).suffix(8))
        #expect(try ManyInputsRun.command(in: verdict).hasSuffix(" --again \(id) --yes"), "\(verdict)")
        let tail = try #require(verdict.last)
        #expect(tail.hasPrefix("  report: runbook report \(id)"), "\(tail)")
        let html = run.folder.url.appendingPathComponent("report.html").path
        let report = try await runbook(
            ["report", id, "--kb", run.folder.url.appendingPathComponent("kb").path, "-o", html],
            environment: run.environment)
        #expect(report.exitCode == 0, "\(report.stderr)")
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("Outcome: diagnosed"))
        let pasted = try await run.paste(try ManyInputsRun.command(in: verdict))
        #expect(pasted.exitCode == 0, "\(pasted.stdout)\(pasted.stderr)")
    }

    @Test("a secret given with -i is never shown: the command asks for it again as -i NAME=…")
    func secretOnCommandLine() async throws {
        let run = try ManyInputsRun()
        defer { run.folder.remove() }
        var environment = run.environment
        environment["RUNBOOK_INPUT_PASSWORD"] = nil
        let result = try await runbook(
            run.words + ["-i", "password=\(ManyInputsRun.secret)"], environment: environment)
        #expect(result.exitCode == 1, "\(result.stderr)")
        let command = try ManyInputsRun.command(in: try ManyInputsRun.verdict(result.stdout))
        #expect(command.hasSuffix(" -i password=… --yes"), "\(command)")
        #expect(!result.stdout.contains(ManyInputsRun.secret) && !result.stderr.contains(ManyInputsRun.secret))
    }

    @Test(
        "a secret in --inputs FILE stays out of the log and the console; the command keeps the file, and pasted, the fix gets it"
    )
    func secretInInputsFile() async throws {
        let run = try ManyInputsRun()
        defer { run.folder.remove() }
        var environment = run.environment
        environment["RUNBOOK_INPUT_PASSWORD"] = nil
        let file = try run.folder.write("secret.yaml", "password: \(ManyInputsRun.secret)\n")
        let result = try await runbook(run.words + ["--inputs", file.path], environment: environment)
        #expect(result.exitCode == 1, "\(result.stderr)")
        let command = try ManyInputsRun.command(in: try ManyInputsRun.verdict(result.stdout))
        #expect(command.contains(" --inputs \(file.path) --again "), "\(command)")
        #expect(!result.stdout.contains(ManyInputsRun.secret) && !command.contains("password"))
        var paste = run
        paste.environment = environment
        let pasted = try await paste.paste(command)
        #expect(pasted.exitCode == 0, "\(pasted.stdout)\(pasted.stderr)")
        #expect(FileManager.default.fileExists(atPath: run.marker), "the fix ran with the password from the file")
    }

    @Test("--again refuses a log of another runbook or model, and a run id without a log, with exit 2")
    func againErrors() async throws {
        let run = try ManyInputsRun()
        defer { run.folder.remove() }
        let kb = run.folder.url.appendingPathComponent("kb").path
        let other = try run.folder.write(
            "other.jsonl",
            """
            {"v":1,"ts":"2026-05-01T10:00:00.000Z","event":"run-start","run":"r1","runbook":"ssh-connection","model":"arm","inputs":{"host":"h"}}

            """)
        let wrong = try await runbook(
            ["run", "many", "arm", "--kb", kb, "--again", other.path], environment: run.environment)
        #expect(wrong.exitCode == 2)
        #expect(
            wrong.stderr.contains(
                "runbook: error: --again: '\(other.path)' is a run of ssh-connection (model arm), not of many (model arm)"
            ),
            "\(wrong.stderr)")
        let missing = try await runbook(
            ["run", "many", "arm", "--kb", kb, "--again", "0badc0de"], environment: run.environment)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("no file '0badc0de' and no log of run 0badc0de in"), "\(missing.stderr)")
        let notLog = try run.folder.write("not.jsonl", "hello\n")
        let bad = try await runbook(
            ["run", "many", "arm", "--kb", kb, "--again", notLog.path], environment: run.environment)
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("\(notLog.path):1: not a run log"), "\(bad.stderr)")
    }
}
