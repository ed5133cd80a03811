import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import Testing

/// A port check, a manual step the port's pass answers, and a command check reading a token
/// (secret or not: lint refuses a secret in a check's arguments, and the runner masks it anyway).
private func manualRunbook(question: String = "", verifyPort: String = "{{port}}", secret: Bool = false) -> String {
    """
    ---
    id: manual-test
    title: Manual test
    inputs:
      host: {description: host, required: true}
      port: {description: port, required: true}
      token: {description: a token\(secret ? ", secret: true" : "")}
    verify: can-connect
    ---
    # Manual test

    ## Can connect {#can-connect .symptom}

    ```check tcp-connect host={{host}} port=\(verifyPort) timeout=2s
    ```

    ## Layers {#layers}

    ### Port answers {#port .symptom}

    ```check tcp-connect host={{host}} port={{port}} timeout=2s
    ```

    ### The edge lets it through {#edge implied-by=#port\(question)}

    Ask your network team.

    ### Token works {#token}

    ```check command run="sh -c 'exit 1' tool {{token}}" finding="The token is refused"
    ```
    """
}

@Suite("Manual steps and run-end")
struct ManualStepTests {
    @Test("a manual step that an earlier pass implies is not asked: pass, 'implied by'")
    func impliedByPass() async throws {
        let listener = try LoopbackListener()
        // The verify step fails (nothing accepts on the other port); the step it names passes.
        let prompter = ScriptedPrompter(consent: false, manual: .failed)
        let result = try await runRunbook(
            manualRunbook(verifyPort: String(try LoopbackListener.closedPort())),
            options: RunOptions(
                inputs: ["host": "127.0.0.1", "port": String(listener.port), "token": "t"], interactive: true),
            prompter: prompter)
        let edge = try #require(result.events.first { $0.step == "edge" })
        #expect(edge.status == .pass)
        #expect(edge.summary == "implied by port")
        #expect(!prompter.asked.contains("edge"))
    }

    @Test("a manual step not implied is asked with its question; a no is a finding with its text in run-end")
    func askedWithQuestion() async throws {
        let port = try LoopbackListener.closedPort()
        let prompter = ScriptedPrompter(consent: false, manual: .failed)
        let result = try await runRunbook(
            manualRunbook(question: " question=\"Does the edge let it through?\" finding=\"The edge blocks it\""),
            options: RunOptions(inputs: ["host": "127.0.0.1", "port": String(port), "token": "t"], interactive: true),
            prompter: prompter)
        #expect(prompter.asked == ["edge"])
        #expect(prompter.questions.first?.asked == "Does the edge let it through?")
        #expect(prompter.questions.first?.text.contains("Ask your network team.") == true)
        #expect(result.end.causes == ["edge", "token"])
        #expect(result.end.causeFindings == ["edge": "The edge blocks it", "token": "The token is refused"])
    }

    @Test(
        "a symptom's finding is what it observed, not its title; a command check's evidence names the command, secret masked"
    )
    func symptomFindingAndCommandEvidence() async throws {
        let port = try LoopbackListener.closedPort()
        let result = try await runRunbook(
            manualRunbook(secret: true),
            options: RunOptions(
                inputs: ["host": "127.0.0.1", "port": String(port), "token": "s3cret-token"],
                secretInputs: ["token"]),
            lintClean: false)
        let verify = try #require(result.events.first { $0.step == "can-connect" })
        #expect(verify.finding == verify.summary)
        #expect(verify.finding?.contains("127.0.0.1:\(port)") == true)
        #expect(verify.finding != "Can connect")
        let token = try #require(result.events.first { $0.step == "token" })
        #expect(token.evidence?["command"] == "sh -c 'exit 1' tool ***")
        let logged = try String(data: JSONEncoder().encode(result.events), encoding: .utf8) ?? ""
        #expect(!logged.contains("s3cret-token"))
        // Not interactive: the manual step is left to the person, not passed.
        #expect(result.events.first { $0.step == "edge" }?.status == .manual)
    }

    @Test("implied-by naming a step that does not exist, or a later one, is a lint error at the heading")
    func lint() {
        let text = manualRunbook().replacingOccurrences(of: "implied-by=#port", with: "implied-by=#prot,#token")
        let loaded = Runbook.load(text: text, path: "test.md")
        let problems = Linter.lint(loaded.runbook, schemas: ActionRegistry.builtIn.schemas)
        let messages = problems.map(\.message)
        #expect(messages.contains("implied-by names '#prot', which does not exist"), "\(messages)")
        #expect(messages.contains { $0.hasPrefix("implied-by names '#token', which comes later") }, "\(messages)")
        #expect(problems.first { $0.message.hasPrefix("implied-by names '#prot'") }?.note == "did you mean 'port'?")
    }
}
