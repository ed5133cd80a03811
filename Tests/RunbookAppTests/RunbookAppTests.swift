import Foundation
import RunbookApp
import RunbookCore
import RunbookRunner
import Testing

@Suite("RunbookApp runs a runbook without the CLI")
struct RunbookAppTests {
    @Test("the SSH runbook against a closed loopback port: diagnosed at port-reachable, events to the sink and the log")
    func sshRunbookAgainstClosedPort() async throws {
        let port = try LoopbackListener.closedPort()
        let folder = try TemporaryDirectory("runbook-app")
        defer { folder.remove() }
        let log = folder.path + "/run.jsonl"
        let user = ProcessInfo.processInfo.environment["USER"] ?? "root"
        let request = RunRequest(
            choice: RunbookChoice(
                words: ["ssh-connection", "arm"],
                knowledgeBase: KnowledgeBaseLocation(directory: Repository.root + "/Runbooks")),
            inputs: InputSources(arguments: ["host=127.0.0.1", "port=\(port)", "user=\(user)"]),
            log: log, interactive: false,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": folder.path])
        let run = try RunbookApp().prepare(request)
        #expect(run.runbook.id == "ssh-connection" && run.graph.model == "arm")
        #expect(run.logPath == log)
        let sink = RecordingSink()
        let started = ContinuousClock.now
        let end = await run.run(sinks: [sink])
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(end.event == .runEnd)
        #expect(end.outcome == .diagnosed, "\(end)")
        #expect(end.exit == 1)
        #expect(end.findings?.contains("port-reachable") == true, "\(end.findings ?? [])")
        let events = await sink.events
        let start = try #require(events.first)
        #expect(start.event == .runStart && start.runbook == "ssh-connection" && start.model == "arm")
        #expect(start.inputs?["port"] == String(port))
        #expect(events.last?.event == .runEnd)
        let probe = try #require(events.first { $0.event == .step && $0.step == "port-reachable" })
        #expect(probe.status == .fail, "\(probe)")
        #expect(probe.summary?.contains("refused") == true, "\(probe.summary ?? "")")
        // The log holds the same events, line by line.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == events.count)
    }

    @Test("a broken runbook never runs: prepare throws the lint errors, exit 2")
    func brokenRunbookRefused() throws {
        let folder = try TemporaryDirectory("runbook-app")
        defer { folder.remove() }
        let path = try folder.write("plain.md", "# Just an article\n\nNo front matter.\n")
        let request = RunRequest(
            choice: RunbookChoice(
                runbook: path,
                knowledgeBase: KnowledgeBaseLocation(
                    directory: Repository.root + "/Runbooks")))
        let error = try #require(throws: AppError.self) { try RunbookApp().prepare(request) }
        #expect(error.exitCode == 2)
        #expect(error.place == DocumentPlace(file: path, at: .init(line: 1, column: 1)))
        #expect(error.located.hasPrefix("\(path):1:1: not a runbook: it has no front matter"), "\(error.located)")
    }

    @Test("the runbook is read once: its validity is judged on the read that chose it, not on a second one")
    func knowledgeBaseReadOnce() throws {
        let folder = try TemporaryDirectory("runbook-app")
        defer { folder.remove() }
        let text = """
            ---
            id: once
            title: Once
            models: {arm: Resource Manager}
            verify: works
            ---
            # Once

            ## It works {#works}

            ```check command run="true"
            ```

            """
        let path = try folder.write("once.md", text)
        let chosen = try RunbookChoice(words: ["once"], knowledgeBase: KnowledgeBaseLocation(directory: folder.path))
            .resolve(withoutModel: .required, command: "run")
        // Broken on disk after the read: the runbook that runs is the one read, and it is valid.
        // (Before, `run` read and parsed the file a second time to lint it.)
        _ = try folder.write("once.md", "---\nid: [unclosed\n---\n")
        try chosen.requireValid(registry: .builtIn)
        #expect(chosen.runbook.path == path && chosen.model == "arm" && chosen.loading.isEmpty)
        #expect(try chosen.graph().steps.map(\.id) == ["works"])
    }

    @Test("plan from the app: the SSH runbook's steps for a model, an input given with -i shown in a fix's script")
    func planText() throws {
        let choice = RunbookChoice(
            words: ["ssh-connection", "arm"],
            knowledgeBase: KnowledgeBaseLocation(directory: Repository.root + "/Runbooks"))
        let text = try RunbookApp().plan(choice, inputs: InputSources(arguments: ["resource-group=rg-seven"]))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ssh-connection · Resource Manager") == true, "\(lines.first ?? "")")
        #expect(lines.contains { $0.contains("port-reachable") })
        #expect(lines.contains("inputs:"))
        // The fixes' scripts show the value given, not the variable.
        #expect(lines.contains { $0.hasPrefix("         ") && $0.contains("rg-seven") }, "\(text)")
        let bare = try RunbookApp().plan(choice, inputs: InputSources())
        #expect(!bare.contains("rg-seven") && bare.contains("RESOURCE_GROUP"))
        let unknown = try #require(throws: AppError.self) {
            try RunbookApp().plan(choice, inputs: InputSources(arguments: ["hots=x"]))
        }
        #expect(unknown.message.hasPrefix("runbook 'ssh-connection' has no input 'hots'"), "\(unknown.message)")
        #expect(unknown.message.hasSuffix("did you mean 'host'?"), "\(unknown.message)")
    }
}
