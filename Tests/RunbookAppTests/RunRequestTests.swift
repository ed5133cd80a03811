import Foundation
import RunbookApp
import RunbookCore
import RunbookRunner
import Testing

/// A runbook with four plain inputs, one with a default, and a secret; its one step fails until
/// the file `{{marker}}` exists.
private let fourInputs = """
    ---
    id: four
    title: Four inputs
    models: {arm: Resource Manager}
    inputs:
      a: {description: a}
      b: {description: b}
      c: {description: c}
      d: {description: d, default: from-default}
      marker: {description: a file, default: /nonexistent/marker}
      password: {description: a password, secret: true}
    verify: works
    ---
    # Four inputs

    ## It works {#works}

    ```check command run="test -e {{marker}}"
    ```

    """

/// A knowledge base in a folder of its own holding ``fourInputs``.
private struct FourInputs {
    let folder: TemporaryDirectory
    let runbook: Runbook

    init() throws {
        folder = try TemporaryDirectory("runbook-app")
        let path = try folder.write("four.md", fourInputs)
        runbook = Runbook.load(text: fourInputs, path: path).runbook
    }

    var choice: RunbookChoice {
        RunbookChoice(words: ["four", "arm"], knowledgeBase: KnowledgeBaseLocation(directory: folder.path))
    }
}

@Suite("RunRequest: inputs, secrets and the rerun command")
struct RunRequestTests {
    @Test("the four input sources: -i over the environment over --inputs FILE over the earlier run; then defaults")
    func inputPrecedence() throws {
        let kb = try FourInputs()
        defer { kb.folder.remove() }
        let file = try kb.folder.write("inputs.yaml", "a: file\nb: file\nc: file\n")
        let sources = InputSources(
            arguments: ["c=argument"], file: file,
            environment: ["RUNBOOK_INPUT_B": "environment", "RUNBOOK_INPUT_C": "environment"])
        let values = try sources.resolve(for: kb.runbook, earlier: [("a", "earlier"), ("b", "earlier")])
        #expect(values["a"] == "file")
        #expect(values["b"] == "environment")
        #expect(values["c"] == "argument")
        #expect(values["d"] == "from-default")
        let earlierOnly = try InputSources().resolve(for: kb.runbook, earlier: [("a", "earlier")])
        #expect(earlierOnly["a"] == "earlier")
    }

    @Test("a required input no source gave is asked for; without a prompt it is an error naming it")
    func promptForRequired() throws {
        let text = fourInputs.replacingOccurrences(
            of: "a: {description: a}", with: "a: {description: a, required: true}")
        let runbook = Runbook.load(text: text, path: "four.md").runbook
        let asked = try InputSources(prompt: { $0.name == "a" ? "typed" : nil }).resolve(for: runbook)
        #expect(asked["a"] == "typed")
        let error = try #require(throws: AppError.self) { try InputSources().resolve(for: runbook) }
        #expect(error.located == "missing required input 'a' (a); give -i a=VALUE")
        #expect(error.exitCode == 2)
    }

    @Test("an inputs file that is no mapping is refused at file:1:1; a YAML error at its line")
    func inputsFileErrors() throws {
        let folder = try TemporaryDirectory("runbook-app")
        defer { folder.remove() }
        let list = try folder.write("list.yaml", "- a\n- b\n")
        let error = try #require(throws: AppError.self) { try InputSources.read(list) }
        #expect(error.located == "\(list):1:1: inputs file must be a YAML mapping of name: value")
        let broken = try folder.write("broken.yaml", "a: b\nc: [d\n")
        let syntax = try #require(throws: AppError.self) { try InputSources.read(broken) }
        #expect(syntax.place?.file == broken)
        #expect(syntax.place?.location != nil, "\(syntax.located)")
    }

    @Test("secret policy: an empty secret is not given, a short one refused, values masked longest first")
    func secretPolicy() throws {
        let kb = try FourInputs()
        defer { kb.folder.remove() }
        var empty = ["password": "", "a": "x"]
        let none = try SecretPolicy(runbook: kb.runbook, values: &empty)
        #expect(empty["password"] == nil && empty["a"] == "x")
        #expect(none.names == ["password"] && none.mask.isEmpty)
        var short = ["password": "abc"]
        let error = try #require(throws: AppError.self) { try SecretPolicy(runbook: kb.runbook, values: &short) }
        #expect(
            error.message == "secret input 'password' is shorter than 4 characters; "
                + "masking it would hide every such character of the output")
        var given = ["password": "hunter22", "a": "hunter2"]
        let policy = try SecretPolicy(runbook: kb.runbook, values: &given)
        #expect(policy.masked("pw hunter22 and hunter2") == "pw *** and hunter2")
        #expect(policy.redactor.redact("x hunter22") == "x ***")
    }

    @Test("SecretMask hides a secret that contains another whole (the report's old masking left its tail)")
    func overlappingSecrets() {
        // The run report used to mask in the runbook's input order: `abcd` first turned `abcdef`
        // into `***ef`. The one rule masks the longest value first.
        let mask = SecretMask(values: ["abcd", "abcdef", ""])
        #expect(mask.masked("1 abcdef 2 abcd 3") == "1 *** 2 *** 3")
        #expect(mask.values == ["abcdef", "abcd"])
        #expect(SecretMask(values: []).masked("abcd") == "abcd")
    }

    @Test("the rerun command is built from the request: the choice, --kb, --inputs and --timeout, then --again")
    func rerunCommandFromRequest() {
        let request = RunRequest(
            choice: RunbookChoice(
                words: ["many", "arm"], knowledgeBase: KnowledgeBaseLocation(directory: "/tmp/my kb")),
            inputs: InputSources(arguments: ["host=vm1", "password=s3cret-word"], file: "in.yaml"),
            again: "0badc0de", log: "/tmp/x.jsonl", vm: "exec:env", assumeYes: true, dryRun: true,
            timeout: "5s")
        #expect(
            request.rerunCommand(again: "6f0c1a2b", secrets: ["password"])
                == "runbook run many arm --kb '/tmp/my kb' --inputs in.yaml --timeout 5s --again 6f0c1a2b -i password=…"
        )
        // A log that cannot be read back: the inputs, --vm and --again stay (the caller masks secrets).
        #expect(
            request.rerunCommand(again: nil, secrets: ["password"])
                == "runbook run many arm --kb '/tmp/my kb' --inputs in.yaml --timeout 5s -i host=vm1 "
                + "-i password=s3cret-word --vm exec:env --again 0badc0de")
        let named = RunRequest(choice: RunbookChoice(runbook: "./r.md", model: "classic"))
        #expect(
            named.rerunCommand(again: "abc", secrets: [])
                == "runbook run --runbook ./r.md --model classic --again abc")
    }

    @Test("prepare masks secrets in the rerun command, and names a default log by its short id")
    func preparedRun() throws {
        let kb = try FourInputs()
        defer { kb.folder.remove() }
        let state = kb.folder.path + "/state"
        let request = RunRequest(
            choice: kb.choice, inputs: InputSources(arguments: ["a=1", "password=s3cret-word"]),
            environment: ["XDG_STATE_HOME": state])
        let run = try RunbookApp().prepare(request)
        #expect(run.logPath.hasPrefix(state + "/runbook/runs/"))
        #expect(run.logPath.hasSuffix("-four-arm-\(RunLogs.shortID(run.runID)).jsonl"))
        #expect(run.logReference == RunLogs.shortID(run.runID))
        #expect(run.logFolderText == "$XDG_STATE_HOME/runbook/runs")
        #expect(
            run.rerunCommand
                == "runbook run four arm --kb \(kb.folder.path) --again \(run.logReference) -i password=…")
        #expect(run.options.inputs["password"] == "s3cret-word" && run.options.secretInputs == ["password"])
    }

    @Test("--again takes the earlier run's inputs (never its secrets); what is given now wins")
    func againTakesEarlierInputs() async throws {
        let kb = try FourInputs()
        defer { kb.folder.remove() }
        let environment = ["XDG_STATE_HOME": kb.folder.path + "/state"]
        let first = try RunbookApp().prepare(
            RunRequest(
                choice: kb.choice, inputs: InputSources(arguments: ["a=1", "b=2", "password=s3cret-word"]),
                vm: "exec:env", environment: environment))
        let end = await first.run(sinks: [])
        #expect(end.outcome == .diagnosed || end.outcome == .inconclusive, "\(end)")
        let second = try RunbookApp().prepare(
            RunRequest(
                choice: kb.choice, inputs: InputSources(arguments: ["b=3"]), again: first.logReference,
                environment: environment))
        #expect(second.options.inputs["a"] == "1" && second.options.inputs["b"] == "3")
        #expect(second.options.inputs["password"] == nil)
        #expect(second.options.vmSpec == "exec:env")
        let other = RunbookChoice(words: ["four", "arm"], model: nil, knowledgeBase: kb.choice.knowledgeBase)
        let wrong = try #require(throws: AppError.self) {
            try RunbookApp().prepare(RunRequest(choice: other, again: "0badc0de", environment: environment))
        }
        #expect(wrong.message.hasPrefix("--again: no file '0badc0de' and no log of run 0badc0de in "), "\(wrong)")
    }

    @Test("the log folder rule in one place: $XDG_STATE_HOME, else ~/.local/state, as a path and as typed")
    func logFolder() {
        let state = RunLogs.Folder(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
        #expect(state.path == "/s/runbook/runs" && state.text == "$XDG_STATE_HOME/runbook/runs")
        let home = RunLogs.Folder(environment: ["XDG_STATE_HOME": "", "HOME": "/h"])
        #expect(home.path == "/h/.local/state/runbook/runs" && home.text == "~/.local/state/runbook/runs")
    }
}
