import Foundation
import RunbookCore
import RunbookRunner
import Testing

/// A two-layer runbook: verify a TCP port, then check the same port as a cause.
private func portRunbook(extraSteps: String = "") -> String {
    """
    ---
    id: port-test
    title: Port test
    models: {arm: Resource Manager, classic: Classic}
    inputs:
      host: {description: host, required: true}
      port: {description: port, default: "22"}
    verify: can-connect
    ---
    # Port test

    ## Can connect {#can-connect .symptom}

    ```check tcp-connect host={{host}} port={{port}} timeout=2s
    ```

    ## Layers {#layers}

    ### Port is open {#port-open}

    ```check tcp-connect host={{host}} port={{port}} timeout=2s finding="Nothing answers on the port"
    ```
    \(extraSteps)
    """
}

@Suite("Runner")
struct RunnerTests {
    @Test("a listening port on 127.0.0.1 is healthy: only the verify step runs, exit 0")
    func healthy() async throws {
        let listener = try LoopbackListener()
        let result = try await runRunbook(
            portRunbook(), options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(listener.port)]))
        #expect(result.end.outcome == .healthy)
        #expect(result.end.exit == 0)
        let steps = result.events.filter { $0.event == .step }
        #expect(steps.map(\.step) == ["can-connect"])
        #expect(steps.first?.status == .pass)
        #expect(result.events.first?.event == .runStart)
        #expect(result.events.first?.inputs?["port"] == String(listener.port))
    }

    @Test("a closed port is diagnosed with the port step as the cause, exit 1")
    func closedPort() async throws {
        let port = try LoopbackListener.closedPort()
        let result = try await runRunbook(
            portRunbook(), options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]))
        #expect(result.end.outcome == .diagnosed)
        #expect(result.end.exit == 1)
        #expect(result.end.findings == ["can-connect", "port-open"])
        #expect(result.end.causes == ["port-open"])
        let failed = try #require(result.events.first { $0.step == "port-open" })
        #expect(failed.status == .fail)
        #expect(failed.finding == "Nothing answers on the port")
        #expect(failed.evidence?["state"] == "refused")
        #expect(failed.section == "layers")
    }

    @Test("a finding whose explained-by step failed too is a symptom; the deeper one is the cause")
    func explainedBy() async throws {
        let port = try LoopbackListener.closedPort()
        let deeper = """

            ### The deeper layer {#deeper}

            ```check tcp-connect host={{host}} port={{port}} timeout=2s finding="The deeper layer is broken"
            ```
            """
        let text = portRunbook(extraSteps: deeper).replacingOccurrences(
            of: "### Port is open {#port-open}", with: "### Port is open {#port-open explained-by=#deeper}")
        let result = try await runRunbook(
            text, options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]))
        #expect(result.end.outcome == .diagnosed)
        #expect(result.end.findings == ["can-connect", "port-open", "deeper"])
        #expect(result.end.causes == ["deeper"])

        // When the explaining step passes, the finding stays a cause.
        let listener = try LoopbackListener()
        let passing = text.replacingOccurrences(
            of: "### The deeper layer {#deeper}\n\n```check tcp-connect host={{host}} port={{port}}",
            with: "### The deeper layer {#deeper}\n\n```check tcp-connect host={{host}} port=\(listener.port)")
        #expect(passing != text)
        let second = try await runRunbook(
            passing, options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]))
        #expect(second.end.causes == ["port-open"])
    }

    @Test("a check block skipped for a missing input does not end its step: the next block decides")
    func skippedBlockDoesNotEndStep() async throws {
        let port = try LoopbackListener.closedPort()
        let listener = try LoopbackListener()
        let twoBlocks = """

            ### Either way {#either}

            ```check tcp-connect host={{host}} port={{other}} timeout=2s
            ```

            ```check tcp-connect host={{host}} port=\(listener.port) timeout=2s
            ```

            ### After {#after requires=#either}

            ```check tcp-connect host={{host}} port={{port}} timeout=2s finding="after"
            ```
            """
        let text = portRunbook(extraSteps: twoBlocks).replacingOccurrences(
            of: "  port: {description: port, default: \"22\"}",
            with: "  port: {description: port, default: \"22\"}\n  other: {description: another port}")
        #expect(text.contains("other:"))
        let result = try await runRunbook(
            text, options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]))
        #expect(result.events.last { $0.step == "either" && $0.event == .step }?.status == .pass)
        #expect(result.events.contains { $0.step == "after" && $0.status == .fail })
        #expect(result.end.unchecked?.contains("either") != true)
    }

    @Test("only the verify step failing is inconclusive")
    func inconclusive() async throws {
        let port = try LoopbackListener.closedPort()
        let text = portRunbook().replacingOccurrences(
            of: "port={{port}} timeout=2s finding", with: "port=1 timeout=2s on-pass=next finding")
        // Port 1 on loopback is closed too, so make the second check pass instead with a listener.
        let listener = try LoopbackListener()
        let adjusted = text.replacingOccurrences(of: "port=1 ", with: "port=\(listener.port) ")
        let result = try await runRunbook(
            adjusted, options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]))
        #expect(result.end.outcome == .inconclusive)
        #expect(result.end.exit == 1)
        #expect(result.end.causes == [])
    }

    @Test("a consented fix that makes verify pass ends resolved, exit 0")
    func consentedFixResolves() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("fixed").path
        let text = """
            ---
            id: fix-test
            title: Fix test
            inputs:
              marker: {description: file that the fix creates, required: true}
            verify: is-fixed
            ---
            # Fix test

            ## Is fixed {#is-fixed}

            ```check file-mode path={{marker}} max=644
            ```

            ## Make it so {#make-it}

            ```run sh
            touch "$MARKER" && chmod 600 "$MARKER"
            ```

            ## Never reached {#after}

            ```check command run="false"
            ```
            """
        let result = try await runRunbook(
            text, model: "any", options: RunOptions(inputs: ["marker": marker], assumeYes: true))
        #expect(result.end.outcome == .resolved)
        #expect(result.end.exit == 0)
        #expect(FileManager.default.fileExists(atPath: marker))
        let fix = try #require(result.events.first { $0.step == "make-it" })
        #expect(fix.status == .done)
        let reverify = try #require(result.events.last { $0.step == "is-fixed" })
        #expect(reverify.after == "make-it")
        #expect(reverify.status == .pass)
        #expect(!result.events.contains { $0.step == "after" })
    }

    @Test("a fix without consent is refused, logged, and the run goes on")
    func refusedFix() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID())")
        let marker = directory.appendingPathComponent("never").path
        let text = """
            ---
            id: refuse-test
            title: Refuse test
            inputs:
              marker: {description: file, required: true}
            verify: is-fixed
            ---
            # Refuse test

            ## Is fixed {#is-fixed}

            ```check file-mode path={{marker}}
            ```

            ## Make it so {#make-it}

            ```run sh
            mkdir -p "$(dirname "$MARKER")" && touch "$MARKER"
            ```

            ## Still checked {#after}

            ```check command run="false" finding="the last check fails"
            ```
            """
        for interactive in [false, true] {
            let prompter = ScriptedPrompter(consent: false)
            let result = try await runRunbook(
                text, model: "any", options: RunOptions(inputs: ["marker": marker], interactive: interactive),
                prompter: prompter)
            let fix = try #require(result.events.first { $0.step == "make-it" })
            #expect(fix.status == .refused)
            #expect(fix.reason?.isEmpty == false)
            #expect(prompter.asked == (interactive ? ["make-it"] : []))
            #expect(!FileManager.default.fileExists(atPath: marker))
            #expect(result.events.contains { $0.step == "after" && $0.status == .fail })
            #expect(result.end.outcome == .diagnosed)
            #expect(result.end.causes == ["after"])
        }
    }

    @Test("on-pass jumps over steps, which are logged as skipped; requires skips when the required step failed")
    func jumpsAndRequires() async throws {
        let text = """
            ---
            id: jump-test
            title: Jump test
            verify: verify
            ---
            # Jump test

            ## Verify {#verify}

            ```check command run="false"
            ```

            ## A {#a}

            ```check command run="true" on-pass=#c
            ```

            ## B {#b}

            ```check command run="false"
            ```

            ## C {#c}

            ```check command run="false"
            ```

            ## D {#d requires=#c}

            ```check command run="true"
            ```

            ## E {#e requires=#a}

            ```check command run="true"
            ```
            """
        let result = try await runRunbook(text, model: "any", options: RunOptions())
        let order = result.events.filter { $0.event == .step }.map { "\($0.step!):\($0.status!.rawValue)" }
        #expect(order == ["verify:fail", "a:pass", "b:skipped", "c:fail", "d:skipped", "e:pass"])
        let skippedB = try #require(result.events.first { $0.step == "b" })
        #expect(skippedB.reason?.contains("jumped over") == true)
        let skippedD = try #require(result.events.first { $0.step == "d" })
        #expect(skippedD.reason == "requires #c, which failed")
        #expect(result.end.causes == ["c"])
    }

    @Test("on-fail=stop ends the run at that step")
    func stopJump() async throws {
        let text = """
            ---
            id: stop-test
            title: Stop test
            verify: verify
            ---
            # Stop test

            ## Verify {#verify}

            ```check command run="false"
            ```

            ## A {#a}

            ```check command run="false" on-fail=stop
            ```

            ## B {#b}

            ```check command run="true"
            ```
            """
        let result = try await runRunbook(text, model: "any", options: RunOptions())
        #expect(!result.events.contains { $0.step == "b" })
        #expect(result.end.outcome == .diagnosed)
    }

    @Test("steps of the other model do not run")
    func modelFilter() async throws {
        let port = try LoopbackListener.closedPort()
        let extra = """

            ### Classic only {#classic-only model=classic}

            ```check command run="false"
            ```

            ### Arm only {#arm-only model=arm}

            ```check command run="true"
            ```
            """
        let arm = try await runRunbook(
            portRunbook(extraSteps: extra), model: "arm",
            options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]))
        #expect(arm.events.contains { $0.step == "arm-only" })
        #expect(!arm.events.contains { $0.step == "classic-only" })
        let classic = try await runRunbook(
            portRunbook(extraSteps: extra), model: "classic",
            options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]))
        #expect(classic.events.contains { $0.step == "classic-only" })
        #expect(!classic.events.contains { $0.step == "arm-only" })
    }

    @Test("a step whose input is missing is skipped with the reason; a VM check without --vm is skipped")
    func missingInputsAndVM() async throws {
        let text = """
            ---
            id: skip-test
            title: Skip test
            inputs:
              group: {description: resource group}
            verify: verify
            ---
            # Skip test

            ## Verify {#verify}

            ```check command run="false"
            ```

            ## Needs group {#needs-group}

            ```check command run="echo {{group}}"
            ```

            ## Inside {#inside}

            ```check command run="true" on=vm
            ```

            ## Manual {#manual-step}

            Look at the console.
            """
        let result = try await runRunbook(text, model: "any", options: RunOptions())
        let group = try #require(result.events.first { $0.step == "needs-group" })
        #expect(group.status == .skipped)
        #expect(group.reason == "needs input 'group' (-i group=...)")
        let inside = try #require(result.events.first { $0.step == "inside" })
        #expect(inside.status == .skipped)
        #expect(inside.reason?.contains("--vm") == true)
        let manual = try #require(result.events.first { $0.step == "manual-step" })
        #expect(manual.status == .manual)
        #expect(result.end.outcome == .inconclusive)
        #expect(result.end.unchecked == ["needs-group", "inside"])
    }

    @Test("secret input values never reach the events")
    func secretsRedacted() async throws {
        let text = """
            ---
            id: secret-test
            title: Secret test
            inputs:
              password: {description: a secret, secret: true}
            verify: verify
            ---
            # Secret test

            ## Verify {#verify}

            ```check command run="false"
            ```

            ## Leaky fix {#leaky}

            ```run sh
            echo "the password is $PASSWORD" >&2; exit 3
            ```
            """
        let secret = "hunter2-\(UUID().uuidString.prefix(8))"
        let result = try await runRunbook(
            text, model: "any",
            options: RunOptions(inputs: ["password": secret], secretInputs: ["password"], assumeYes: true))
        let encoded = try result.events.map { try JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        #expect(!encoded.joined().contains(secret))
        let leaky = try #require(result.events.first { $0.step == "leaky" })
        #expect(leaky.status == .error)
        #expect(leaky.evidence?["stderr"]?.contains("the password is ***") == true)
        #expect(result.events.first?.inputs?["password"] == "***")
    }

    @Test("a cancelled run ends interrupted with exit 130 after logging run-end")
    func interrupted() async throws {
        let text = """
            ---
            id: slow-test
            title: Slow test
            verify: verify
            ---
            # Slow

            ## Verify {#verify}

            ```check command run="sleep 30" timeout=60s
            ```

            ## Next {#next}

            ```check command run="true"
            ```
            """
        let task = Task { try await runRunbook(text, model: "any", options: RunOptions()) }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        let result = try await task.value
        // Far less than the 30 s the command would take: cancelling tore the child down.
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(result.end.outcome == .interrupted)
        #expect(result.end.exit == 130)
        #expect(result.events.last?.event == .runEnd)
    }

    @Test("the JSONL log holds one valid JSON object per line, ending with run-end")
    func jsonlLog() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID())/run.jsonl").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let port = try LoopbackListener.closedPort()
        let sink = try JSONLSink(path: path)
        _ = try await runRunbook(
            portRunbook(), options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port)]), extraSinks: [sink])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let decoded = try lines.map { try JSONDecoder().decode(RunEvent.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.event) == [.runStart, .step, .step, .runEnd])
        #expect(decoded.allSatisfy { $0.v == 1 && !$0.ts.isEmpty && $0.run == decoded[0].run })
        // RFC 3339, UTC, milliseconds (FORMAT.md section 5).
        for event in decoded {
            #expect(event.ts.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(event.ts)")
        }
        let object = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any]
        #expect(object?["duration_ms"] is Int)
        #expect(object?["status"] as? String == "fail")
    }

    @Test("call runs the other runbook's steps with the same inputs and its own defaults; their findings count")
    func callRunsCallee() async throws {
        let callee = Runbook.load(
            text: """
                ---
                id: callee
                title: Callee
                inputs:
                  expected: {description: text the command prints, default: "hello"}
                  word: {description: what to print}
                verify: callee-verify
                ---
                # Callee

                ## Callee verify {#callee-verify}

                ```check command run="false"
                ```

                ## Prints {#prints}

                ```check command run="echo {{word}}" expect-output={{expected}}
                ```

                ## Fails {#fails}

                ```check command run="false" finding="the callee's own finding"
                ```
                """, path: "callee.md"
        ).runbook
        let caller = """
            ---
            id: caller
            title: Caller
            inputs:
              word: {description: what to print, required: true}
            verify: verify
            ---
            # Caller

            ## Verify {#verify}

            ```check command run="false"
            ```

            ## Run the callee {#call-it}

            ```call callee
            ```
            """
        let result = try await runRunbook(
            caller, model: "any", options: RunOptions(inputs: ["word": "hello"]), knowledgeBase: ["callee": callee])
        let order = result.events.filter { $0.event == .step }.map { "\($0.step!):\($0.status!.rawValue)" }
        #expect(order == ["verify:fail", "callee/prints:pass", "callee/fails:fail", "call-it:fail"])
        #expect(result.end.causes == ["callee/fails"])
        #expect(result.events.first { $0.step == "callee/fails" }?.finding == "the callee's own finding")
    }

    @Test("a fix skipped for a missing input is logged but not listed among the unchecked layers")
    func skippedFixIsNotUnchecked() async throws {
        let text = """
            ---
            id: fix-skip
            title: Fix skip
            inputs:
              group: {description: resource group}
            verify: verify
            ---
            # Fix skip

            ## Verify {#verify}

            ```check command run="false"
            ```

            ## Needs group {#needs-group}

            ```check command run="echo {{group}}"
            ```

            ## Reset {#reset}

            ```run sh
            echo "$GROUP"
            ```
            """
        let result = try await runRunbook(text, model: "any", options: RunOptions(assumeYes: true))
        #expect(result.events.first { $0.step == "reset" }?.status == .skipped)
        #expect(result.end.unchecked == ["needs-group"])
    }
}
