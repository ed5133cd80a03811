import Foundation
import RunbookCore
import RunbookRunner
import Testing

/// Three layers, a manual step, VM checks and two fixes that need an input: a diagnosed run with
/// every kind of row the console folds.
private let goldenRunbook = """
    ---
    id: golden
    title: Golden
    models: {arm: Resource Manager}
    inputs:
      host: {description: host, required: true}
      port: {description: port, default: "22"}
      group: {description: resource group}
    verify: can-connect
    ---
    # Golden

    ## Can connect {#can-connect .symptom}

    ```check tcp-connect host={{host}} port={{port}} timeout=2s
    ```

    ## Client {#client}

    ### A shell runs {#shell}

    ```check command run="sh -c 'exit 0'"
    ```

    ```check command run="true" id=shell-2
    ```

    ### The tool runs {#tool}

    ```check command run="true"
    ```

    ## Network {#network}

    ### Port open {#port-open .symptom}

    ```check tcp-connect host={{host}} port={{port}} timeout=2s
    ```

    ### An SSH server answers {#banner requires=#port-open}

    ```check ssh-banner host={{host}} port={{port}}
    ```

    ### Edge device {#edge implied-by=#banner question="Does the edge let SSH through?"}

    Ask your network team whether the edge lets **SSH** out.

    ## Inside {#inside}

    ### The daemon runs {#daemon}

    ```check command run="false" finding="The daemon is not running" fix=#restart
    ```

    ### The process is there {#process}

    ```check process-running name=sshd
    ```

    ### The firewall allows it {#firewall}

    ```check firewall-allows port={{port}}
    ```

    ## Fixes {#fixes}

    ### Restart {#restart}

    ```run sh
    echo restart "$GROUP"
    ```

    ### Reset {#reset}

    ```run sh
    echo reset "$GROUP"
    ```
    """

/// The console's text for the events of a real run, replayed with every duration zero (so the
/// text does not depend on timing) and the closed port's number as `PORT`.
private func consoleText(
    verbose: Bool, width: Int = 80, rerun: String = "runbook run arm --again /tmp/golden.jsonl"
) async throws -> String {
    let port = try LoopbackListener.closedPort()
    let result = try await runRunbook(
        goldenRunbook,
        options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)], logPath: "/tmp/golden.jsonl"))
    let context = EventContext(
        runbook: Runbook.load(text: goldenRunbook, path: "test.md").runbook, modelName: "Resource Manager")
    let text = try await render(result.events, context: context, verbose: verbose, width: width, rerun: rerun)
    return text.replacingOccurrences(of: String(port), with: "PORT")
}

/// What the console writes for `events`, each duration made zero.
private func render(
    _ events: [RunEvent], context: EventContext, verbose: Bool = false, width: Int = 80,
    rerun: String = "runbook run arm --again /tmp/golden.jsonl"
) async throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("console-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: file.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: file) }
    let handle = try FileHandle(forWritingTo: file)
    let console = ConsoleSink(
        output: FileOutput(descriptor: handle.fileDescriptor), colour: false, verbose: verbose, width: width,
        rerun: rerun)
    for var event in events {
        if event.durationMS != nil { event.durationMS = 0 }
        await console.receive(event, context: context)
    }
    try handle.close()
    return try String(contentsOf: file, encoding: .utf8)
}

@Suite("Console")
struct ConsoleTests {
    @Test("golden: the compact console of a diagnosed run folds skipped rows by reason and ends with the verdict")
    func compactGolden() async throws {
        let text = try await consoleText(verbose: false)
        let expected = """
            golden · Resource Manager
            ✗ can-connect                    refused by 127.0.0.1:PORT: nothing listens…
            ✓ Client · 2 passed
              Network · 2 skipped
            ✗ port-open                      refused by 127.0.0.1:PORT: nothing listens…
              Inside · 2 skipped
            ✗ daemon                         The daemon is not running
              1 skipped, as a step they need did not pass: banner
              1 manual step to do by hand ('runbook show golden'): edge
              2 checks inside the VM skipped: give --vm …
              2 fixes available with -i group=…
            ✗ diagnosed: The daemon is not running (#daemon)
              evidence: exit 1, expected 0
              next: #restart (Restart):
                runbook run arm --again /tmp/golden.jsonl -i group=… --yes
              log: /tmp/golden.jsonl · report: runbook report /tmp/golden.jsonl

            """
        #expect(text == expected, "\(text)")
    }

    @Test("golden: --verbose shows every block as a row, with findings and fixes under failures")
    func verboseGolden() async throws {
        let text = try await consoleText(verbose: true)
        let expected = """
            golden · Resource Manager
            ✗ can-connect          Can connect…  symptom
                finding: refused by 127.0.0.1:PORT: nothing listens there, or a firewall…
              Client
            ✓ shell                A shell runs                               exit 0
            ✓ shell-2              A shell runs                               exit 0
            ✓ tool                 The tool runs                              exit 0
              Network
            ✗ port-open            Port open…  symptom
                finding: refused by 127.0.0.1:PORT: nothing listens there, or a firewall…
            - banner               An SSH server answers                      skipped:…
            ? edge                 Edge device                                manual: do…
              Inside
            ✗ daemon               The daemon runs                            exit 1,…
                finding: The daemon is not running
                fix: restart — Restart (asks first; --yes to skip asking)
            - process              The process is there                       skipped:…
            - firewall             The firewall allows it                     skipped:…
              Fixes
            - restart              Restart                                    skipped:…
            - reset                Reset                                      skipped:…
            ✗ diagnosed: The daemon is not running (#daemon)
              evidence: exit 1, expected 0
              next: #restart (Restart):
                runbook run arm --again /tmp/golden.jsonl -i group=… --yes
              log: /tmp/golden.jsonl · report: runbook report /tmp/golden.jsonl

            """
        #expect(text == expected, "\(text)")
    }

    @Test(
        "the verdict is at most 5 rows at 80 columns with the short command (--again); a longer command is whole on its own line",
        arguments: [
            "runbook run arm --kb Runbooks --again /tmp/golden.jsonl",
            // A log that cannot be read back (`--log /dev/null`): the inputs stay in the command.
            "runbook run arm --kb Runbooks -i host=vm-production-westeurope-01.contoso.example.com -i user=azureuser"
                + " -i resource-group=rg-production-westeurope -i vm=vm-production-westeurope-01 -i client-ip=203.0.113.77",
        ])
    func verdictRows(rerun: String) async throws {
        let text = try await consoleText(verbose: false, rerun: rerun)
        let lines = text.split(separator: "\n").map(String.init)
        let verdict = Array(lines[try #require(lines.lastIndex { $0.hasPrefix("✗ diagnosed") })...])
        let rows = verdict.reduce(0) { $0 + max(1, ($1.count + 79) / 80) }
        // A command longer than a row is counted honestly: then the verdict is the outcome, the
        // fix, the command and the log, nothing else.
        let command = "    \(rerun) -i group=… --yes"
        let commandRows = (command.count + 79) / 80
        #expect(rows <= max(5, 3 + commandRows), "\(rows) rows:\n\(verdict.joined(separator: "\n"))")
        if commandRows > 2 { #expect(verdict.count == 4, "\(verdict)") }
        #expect(verdict.first == "✗ diagnosed: The daemon is not running (#daemon)")
        // Whole and on one line, so that it works when pasted.
        #expect(verdict.contains(command), "\(verdict)")
        #expect(verdict.last == "  log: /tmp/golden.jsonl · report: runbook report /tmp/golden.jsonl")
        // The evidence takes the rows the command leaves.
        #expect(verdict.contains("  evidence: exit 1, expected 0") == (rerun.count + 4 <= 80), "\(verdict)")
    }

    @Test("evidence ending in a path keeps the path's end when the rows run short; with rows to spare, all of it")
    func evidencePathEnd() async throws {
        let text = """
            ---
            id: keys
            title: Keys
            models: {arm: Resource Manager}
            ---
            # Keys

            ## Keys {#keys}

            ```check command run="false" finding="The VM does not accept your key for this user" fix=#reset
            ```

            ## Reset access {#reset}

            ```run sh
            true
            ```
            """
        let runbook = Runbook.load(text: text, path: "keys.md").runbook
        let path = "/tmp/runbook-lab/rb-console/home/rblab/.ssh/authorized_keys"
        var start = RunEvent(event: .runStart, run: "r1", ts: "t")
        start.model = "arm"
        var failed = RunEvent(event: .step, run: "r1", ts: "t")
        (failed.step, failed.kind, failed.status) = ("keys", "check", .fail)
        (failed.finding, failed.fix) = ("The VM does not accept your key for this user", "reset")
        failed.summary = "the client's key (ssh-ed25519 AAAA…zpjn) is not in \(path)"
        var refused = RunEvent(event: .step, run: "r1", ts: "t")
        (refused.step, refused.kind, refused.status) = ("reset", "run", .refused)
        refused.reason = "a fix runs only with consent: give --yes, or answer at a terminal"
        var end = RunEvent(event: .runEnd, run: "r1", ts: "t")
        (end.outcome, end.causes, end.findings, end.log) = (.diagnosed, ["keys"], ["keys"], "/tmp/run.jsonl")
        end.causeFindings = ["keys": "The VM does not accept your key for this user"]
        let context = EventContext(runbook: runbook, modelName: "Resource Manager")
        let rerun = "runbook run arm --kb Runbooks --again /tmp/run.jsonl"
        let narrow = try await render([start, failed, refused, end], context: context, rerun: rerun)
        #expect(
            narrow.hasSuffix(
                """
                ✗ diagnosed: The VM does not accept your key for this user (#keys)
                  evidence: the client's key (ssh-ed25519 AAAA…zpjn) is not in …/authorized_keys
                  next: #reset (Reset access):
                    runbook run arm --kb Runbooks --again /tmp/run.jsonl --yes
                  log: /tmp/run.jsonl · report: runbook report /tmp/run.jsonl

                """), "\(narrow)")
        let wide = try await render([start, failed, refused, end], context: context, width: 100, rerun: rerun)
        #expect(
            wide.contains("  evidence: the client's key (ssh-ed25519 AAAA…zpjn) is not in\n    \(path)\n"), "\(wide)")
        #expect(wide.contains("  next: #reset (Reset access): \(rerun) --yes\n"), "\(wide)")
    }

    @Test("causes that do not fit the rows are counted in the headline, not dropped silently")
    func causesCounted() async throws {
        let text = """
            ---
            id: three
            title: Three
            ---
            # Three

            ## One {#one}

            ```check command run="false" finding="First problem" fix=#reset
            ```

            ## Two {#two}

            ```check command run="false" finding="Second problem"
            ```

            ## Three {#three}

            ```check command run="false" finding="Third problem"
            ```

            ## Reset everything that can be reset here {#reset}

            ```run sh
            true
            ```
            """
        let runbook = Runbook.load(text: text, path: "three.md").runbook
        var events = [RunEvent(event: .runStart, run: "r1", ts: "t")]
        for (id, finding) in [("one", "First problem"), ("two", "Second problem"), ("three", "Third problem")] {
            var failed = RunEvent(event: .step, run: "r1", ts: "t")
            (failed.step, failed.kind, failed.status, failed.finding) = (id, "check", .fail, finding)
            failed.fix = id == "one" ? "reset" : nil
            events.append(failed)
        }
        var refused = RunEvent(event: .step, run: "r1", ts: "t")
        (refused.step, refused.kind, refused.status) = ("reset", "run", .refused)
        refused.reason = "a fix runs only with consent: give --yes, or answer at a terminal"
        var end = RunEvent(event: .runEnd, run: "r1", ts: "t")
        (end.outcome, end.causes, end.log) = (.diagnosed, ["one", "two", "three"], "/tmp/run.jsonl")
        let context = EventContext(runbook: runbook, modelName: "default")
        let output = try await render(
            events + [refused, end], context: context, rerun: "runbook run three --kb Runbooks --again /tmp/run.jsonl")
        #expect(
            output.hasSuffix(
                """
                ✗ diagnosed: 3 causes (1 shown; all in the report)
                  one: First problem
                  next: #reset (Reset everything that can be reset here):
                    runbook run three --kb Runbooks --again /tmp/run.jsonl --yes
                  log: /tmp/run.jsonl · report: runbook report /tmp/run.jsonl

                """), "\(output)")
        // A one-row command leaves a row more; with two causes, all are shown and none counted.
        let wide = try await render(events + [refused, end], context: context, width: 120, rerun: "runbook run three")
        #expect(
            wide.contains(
                "✗ diagnosed: 3 causes (2 shown; all in the report)\n  one: First problem\n  two: Second problem\n  next:"
            ), "\(wide)")
        end.causes = ["one", "two"]
        let two = try await render(events + [refused, end], context: context, width: 120, rerun: "runbook run three")
        #expect(two.contains("✗ diagnosed: 2 causes\n  one: First problem\n  two: Second problem\n  next:"), "\(two)")
    }

    @Test("no line is longer than the width, and a cut line ends at a word with …")
    func narrow() async throws {
        for width in [40, 60, 80] {
            let text = try await consoleText(verbose: false, width: width)
            // Paths and commands are never cut: the log's line and the command may be longer.
            for line in text.split(separator: "\n") where !line.contains("/tmp/golden.jsonl") {
                #expect(line.count <= width, "\(width): \(line)")
                // A cut ends at a word ("give --vm …" is the text's own placeholder, not a cut).
                if line.hasSuffix("…"), !line.hasSuffix("give --vm …") {
                    #expect(!line.dropLast().hasSuffix(" "), "\(line)")
                }
            }
        }
    }

    @Test("a call whose steps all skipped is one skipped row, never a ✓; the inputs its steps need are named")
    func callAllSkipped() async throws {
        let callee = Runbook.load(
            text: """
                ---
                id: callee
                title: Callee
                inputs:
                  group: {description: resource group}
                verify: ready
                ---
                # Callee

                ## Ready {#ready}

                ```check command run="true"
                ```

                ## First {#first}

                ```run sh
                echo first "$GROUP"
                ```

                ## Second {#second}

                ```run sh
                echo second "$GROUP"
                ```
                """, path: "callee.md"
        ).runbook
        let caller = """
            ---
            id: caller
            title: Caller
            inputs:
              group: {description: resource group}
            verify: works
            ---
            # Caller

            ## Works {#works .symptom}

            ```check command run="false" fix=#reset
            ```

            ## Reset through the other runbook {#reset}

            ```call callee
            ```
            """
        let result = try await runRunbook(
            caller, options: RunOptions(assumeYes: true), knowledgeBase: ["callee": callee])
        #expect(result.events.contains { $0.step == "callee/first" && $0.status == .skipped })
        let context = EventContext(
            runbook: Runbook.load(text: caller, path: "caller.md").runbook, modelName: "default",
            knowledgeBase: ["callee": callee])
        let text = try await render(result.events, context: context)
        #expect(!text.contains("✓ reset"), "\(text)")
        #expect(!text.contains("callee/"), "\(text)")
        #expect(text.contains("1 fix available with -i group=…"), "\(text)")
        #expect(text.contains("next: #reset (Reset through the other runbook):\n    runbook run"), "\(text)")
    }

    @Test("a fix the walk jumped over is not proposed as the next step: the cause is left to do by hand")
    func jumpedOverFixIsNotProposed() async throws {
        let text = """
            ---
            id: jumps
            title: Jumps
            verify: works
            ---
            # Jumps

            ## Works {#works}

            ```check command run="false"
            ```

            ## Daemon {#daemon}

            ```check command run="false" finding="The daemon is not running" fix=#restart on-fail=#after
            ```

            ## Restart {#restart}

            ```run sh
            echo restart
            ```

            ## After {#after}

            ```check command run="true"
            ```
            """
        let result = try await runRunbook(text, model: "default", options: RunOptions(), lintClean: true)
        let skipped = try #require(result.events.first { $0.step == "restart" })
        #expect(skipped.reasonCode == .jumpedOver && skipped.reason == "jumped over: #daemon failed")
        let context = EventContext(runbook: Runbook.load(text: text, path: "test.md").runbook, modelName: "default")
        let console = try await render(result.events, context: context)
        #expect(!console.contains("next: #restart"), "\(console)")
        #expect(console.contains("next: by hand; 'runbook show jumps' explains #daemon"), "\(console)")
    }
}
