import Foundation
import Testing

@Suite("runbook CLI", .serialized)
struct CLITests {
    @Test("--help explains the commands and exits 0")
    func help() async throws {
        let result = try await runbook(["--help"])
        #expect(result.exitCode == 0)
        for word in ["run", "plan", "lint", "list", "show"] { #expect(result.stdout.contains(word)) }
        let runHelp = try await runbook(["run", "--help"])
        #expect(runHelp.exitCode == 0)
        #expect(runHelp.stdout.contains("--vm"))
    }

    @Test(
        "usage errors exit 2 with a clear message",
        arguments: [
            (
                ["run", "azure"],
                "'azure' is neither a runbook in Runbooks nor a model of the default runbook 'ssh-connection' (arm, classic)"
            ),
            (
                ["run", "ssh-connection", "azure"],
                "unknown model 'azure' for runbook 'ssh-connection'; its models are: arm, classic"
            ),
            (["run", "arm"], "missing required input 'host'"),
            (["run", "arm", "-i", "host"], "-i 'host' needs the form NAME=VALUE"),
            (["run", "arm", "-i", "hots=x"], "has no input 'hots'"),
            (["run", "arm", "-i", "hots=x"], "did you mean 'host'?"),
            (["plan", "arm", "-i", "usr=x"], "did you mean 'user'?"),
            (["run", "arm", "--runbook", "ssh-conection", "-i", "host=x"], "did you mean 'ssh-connection'"),
            (["run", "arm", "--kb", "/nonexistent"], "knowledge base '/nonexistent' does not exist"),
            (["run", "arm", "-i", "host=x", "--vm", "bogus"], "unknown --vm 'bogus'"),
            (["run", "arm", "--format", "yaml"], "yaml"),
            (["show", "nope"], "'nope' is neither a runbook in Runbooks nor a model of the default runbook"),
            (["show", "nope", "arm"], "no runbook 'nope' in the knowledge base"),
        ])
    func usageErrors(arguments: [String], message: String) async throws {
        let result = try await runbook(arguments + ["--non-interactive"].filter { _ in arguments.first == "run" })
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }

    @Test("a healthy and a closed loopback port: exit 0 and 1, --format json and the log are valid JSONL")
    func runWithTCPRunbook() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write(
            "kb/port.md",
            """
            ---
            id: port
            title: Port answers
            models: {arm: Resource Manager}
            inputs:
              port: {description: port, required: true}
            verify: open
            default: true
            ---
            # Port

            ## Port is open {#open .symptom}

            ```check tcp-connect host=127.0.0.1 port={{port}} timeout=2s
            ```

            ## Still open {#again}

            ```check tcp-connect host=127.0.0.1 port={{port}} timeout=2s
            ```

            """)
        // A listener for the healthy case: a background python3 that the test kills afterwards.
        let portFile = directory.url.appendingPathComponent("port").path
        let pid = try await shell(
            """
            python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); open('\(portFile)','w').write(str(s.getsockname()[1])); time.sleep(60)" </dev/null >/dev/null 2>&1 &
            echo $!
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let listenerPID = try #require(Int32(pid))
        defer { kill(listenerPID, SIGKILL) }
        var port = ""
        for _ in 0..<50 where port.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
        }
        let kb = directory.url.appendingPathComponent("kb").path
        let log = directory.url.appendingPathComponent("logs/healthy.jsonl").path
        let healthy = try await runbook([
            "run", "arm", "--kb", kb, "-i", "port=\(port)", "--log", log, "--format", "json",
        ])
        #expect(healthy.exitCode == 0, "\(healthy.stderr)")
        let events = try healthy.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(events.first?["event"] as? String == "run-start")
        #expect(events.last?["outcome"] as? String == "healthy")
        let logged = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(logged.count == events.count)
        kill(listenerPID, SIGKILL)
        for _ in 0..<50 where kill(listenerPID, 0) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let closed = try await runbook([
            "run", "arm", "--kb", kb, "-i", "port=\(port)", "--log",
            directory.url.appendingPathComponent("logs/closed.jsonl").path,
        ])
        #expect(closed.exitCode == 1)
        #expect(closed.stdout.contains("diagnosed"))
        #expect(closed.stdout.contains("again"))
        #expect(closed.stdout.contains("refused"))
    }

    @Test("the log goes to $XDG_STATE_HOME/runbook/runs by default")
    func defaultLogLocation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let port = try await shell(
            "python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); print(s.getsockname()[1])'"
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try await runbook(
            ["run", "arm", "-i", "host=127.0.0.1", "-i", "port=\(port)", "--non-interactive"],
            environment: ["XDG_STATE_HOME": directory.url.path])
        #expect(result.exitCode == 1)
        let runs = directory.url.appendingPathComponent("runbook/runs")
        let files = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        #expect(files.count == 1)
        // TIME-RUNBOOK-MODEL-RUNID8.jsonl, the time with milliseconds, the run id's first 8 characters.
        let name = try #require(files.first)
        #expect(
            name.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-ssh-connection-arm-[0-9a-f]{8}\.jsonl/) != nil,
            "\(name)")
        // The verdict names the log by the run's id, and its folder as a person types it.
        let id = String(name.dropLast(".jsonl".count).suffix(8))
        #expect(
            result.stdout.contains("  report: runbook report \(id) · logs in $XDG_STATE_HOME/runbook/runs\n"),
            "\(result.stdout)")
    }

    @Test("plan classic shows the classic-only steps and not the arm-only ones")
    func planClassic() async throws {
        let classic = try await runbook(["plan", "classic"])
        #expect(classic.exitCode == 0, "\(classic.stderr)")
        #expect(classic.stdout.contains("endpoint-acl"))
        #expect(classic.stdout.contains("reset-remote-access"))
        #expect(!classic.stdout.contains("nsg-allows-ssh"))
        #expect(!classic.stdout.contains("reset-sshd"))
        let arm = try await runbook(["plan", "arm"])
        #expect(arm.stdout.contains("nsg-allows-ssh"))
        #expect(!arm.stdout.contains("endpoint-acl"))
        #expect(arm.stdout.contains("1. [verify] can-log-in"))
    }

    @Test("plan and run --dry-run show fixes with the values given, secrets as ***, and run nothing")
    func fixValuesShown() async throws {
        let plan = try await runbook(["plan", "classic", "-i", "vm=vm-7", "-i", "new-password=Sekr1t-xyz"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains(#"azure vm restart --dns-name "$CLOUD_SERVICE" "vm-7""#), "\(plan.stdout)")
        #expect(plan.stdout.contains(#""$(json "***")""#))
        #expect(!plan.stdout.contains("Sekr1t-xyz"))
        let unknown = try await runbook(["plan", "arm", "-i", "vmm=x"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("has no input 'vmm'"))

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let calls = directory.url.appendingPathComponent("calls").path
        let az = try directory.write("bin/az", "#!/bin/sh\nprintf '%s\\n' \"$*\" >>'\(calls)'\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: az.path)
        let log = directory.url.appendingPathComponent("run.jsonl").path
        let run = try await runbook(
            [
                "run", "arm", "-i", "host=127.0.0.1", "-i", "port=1", "-i", "resource-group=rg-1", "-i", "vm=vm-7",
                "-i", "new-password=Sekr1t-xyz", "--dry-run", "--non-interactive", "--log", log,
            ],
            environment: ["PATH": directory.url.appendingPathComponent("bin").path + ":/usr/bin:/bin"])
        #expect(run.exitCode == 1, "\(run.stderr)")
        #expect(run.stdout.contains(#"az vm restart --resource-group "rg-1" --name "vm-7""#), "\(run.stdout)")
        #expect(run.stdout.contains("dry run: would run this sh fix on this computer"))
        // Read-only checks of called runbooks may ask az; no fix may run.
        let called = (try? String(contentsOfFile: calls, encoding: .utf8)) ?? ""
        for verb in ["vm restart", "vm redeploy", "vm user", "extension set", "account show"] {
            #expect(!called.contains(verb), "a dry run called az \(verb): \(called)")
        }
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!logged.contains("Sekr1t-xyz") && !run.stdout.contains("Sekr1t-xyz"))
    }

    @Test("lint: the knowledge base is clean; a broken runbook gets file:line:col errors and exit 1")
    func lint() async throws {
        let clean = try await runbook(["lint", "--strict", "Runbooks"])
        #expect(clean.exitCode == 0, "\(clean.stdout)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(
            "bad.md",
            """
            ---
            id: bad
            title: Bad
            verify: check
            ---
            # Bad

            ## Check {#check}

            ```check tcp-conect host=x port=22
            ```
            """)
        let bad = try await runbook(["lint", file.path])
        #expect(bad.exitCode == 1)
        #expect(bad.stdout.contains("\(file.path):10:10: error: unknown check action 'tcp-conect'"))
        #expect(bad.stdout.contains("did you mean 'tcp-connect'?"))
        let json = try await runbook(["lint", file.path, "--format", "json"])
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.split(separator: "\n")[0].utf8)) as? [String: Any])
        #expect(record["line"] as? Int == 10)
        #expect(record["code"] as? String == "unknown-action")
    }

    @Test("list and show describe the SSH runbook")
    func listAndShow() async throws {
        let list = try await runbook(["list"])
        #expect(list.exitCode == 0)
        #expect(list.stdout.contains("ssh-connection (default)  [arm,classic]"))
        let show = try await runbook(["show", "ssh-connection"])
        #expect(show.exitCode == 0)
        #expect(show.stdout.contains("The SSH daemon runs  #sshd-running\n---"))
        #expect(show.stdout.contains("host: DNS name or IP address of the VM (required)"))
    }

    @Test(
        "runbook run arm and classic against a real sshd on loopback: healthy, then diagnosed at the port when it stops",
        arguments: ["arm", "classic"])
    func sshRunbookAgainstLoopbackSSHD(model: String) async throws {
        let sshd = try await LoopbackSSHD.start()
        let inputs = [
            "-i", "host=127.0.0.1", "-i", "port=\(sshd.port)", "-i", "user=\(whoami())",
            "-i", "identity=\(sshd.identity)", "-i", "ssh-config=\(sshd.clientConfig)", "--non-interactive",
        ]
        let logs = sshd.directory.url.appendingPathComponent("logs")
        let healthy = try await runbook(
            ["run", model] + inputs + ["--log", logs.appendingPathComponent("a.jsonl").path])
        #expect(healthy.exitCode == 0, "\(healthy.stdout)\n\(healthy.stderr)")
        #expect(healthy.stdout.contains("healthy"))
        sshd.stop()
        let started = Date()
        let broken = try await runbook(
            ["run", model] + inputs + ["--log", logs.appendingPathComponent("b.jsonl").path])
        #expect(broken.exitCode == 1, "\(broken.stdout)\n\(broken.stderr)")
        #expect(Date().timeIntervalSince(started) < 15)
        let end = try #require(
            try String(contentsOfFile: logs.appendingPathComponent("b.jsonl").path, encoding: .utf8)
                .split(separator: "\n").last.flatMap {
                    try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                })
        #expect(end["outcome"] as? String == "diagnosed")
        #expect((end["findings"] as? [String])?.contains("port-reachable") == true)
        #expect(broken.stdout.contains("port-reachable"))
    }
}
