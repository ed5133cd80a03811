import Foundation
import RunbookCore
import RunbookRunner
import Testing

/// A manual step's `on-pass`/`on-fail` (on its heading, FORMAT.md section 3: "Block and step
/// attributes (on the fence line or the heading)") are taken as the answer at the prompt says:
/// done → on-pass, failed → on-fail; skipped, or nobody asked → the next step (issue #13: lint
/// accepted these jumps and the runner ignored them).
@Suite("manual steps take their jumps")
struct ManualJumpTests {
    static let text = """
        ---
        id: manual-jumps
        title: Manual jumps
        verify: works
        ---
        # Manual jumps

        ## Works {#works}

        ```check command run="false"
        ```

        ## Look at the portal {#look on-pass=#after on-fail=stop}

        Open the portal and look at the VM's status.

        ## Between {#between}

        ```check command run="true"
        ```

        ## After {#after}

        ```check command run="true"
        ```
        """

    static func statuses(_ result: RunResult) -> [String: RunEvent.Status] {
        result.events.reduce(into: [:]) { statuses, event in
            if event.event == .step, let step = event.step, let status = event.status { statuses[step] = status }
        }
    }

    @Test("done takes on-pass: the step between is jumped over")
    func doneTakesOnPass() async throws {
        let result = try await runRunbook(
            Self.text, model: "any", options: RunOptions(interactive: true),
            prompter: ScriptedPrompter(consent: false, manual: .done))
        let statuses = Self.statuses(result)
        #expect(statuses["look"] == .done)
        #expect(statuses["between"] == .skipped)
        #expect(result.events.first { $0.step == "between" }?.reason == "jumped over: #look passed")
        #expect(statuses["after"] == .pass)
    }

    @Test("failed takes on-fail: stop ends the run there")
    func failedTakesOnFail() async throws {
        let result = try await runRunbook(
            Self.text, model: "any", options: RunOptions(interactive: true),
            prompter: ScriptedPrompter(consent: false, manual: .failed))
        let statuses = Self.statuses(result)
        #expect(statuses["look"] == .fail)
        #expect(statuses["between"] == nil)
        #expect(statuses["after"] == nil)
        #expect(result.end.outcome == .diagnosed)
    }

    @Test("skipped at the prompt, or no terminal: the run goes on with the next step", arguments: [true, false])
    func undecidedGoesOn(interactive: Bool) async throws {
        let result = try await runRunbook(
            Self.text, model: "any", options: RunOptions(interactive: interactive),
            prompter: ScriptedPrompter(consent: false, manual: .skipped))
        let statuses = Self.statuses(result)
        #expect(statuses["look"] == (interactive ? .skipped : .manual))
        #expect(statuses["between"] == .pass)
        #expect(statuses["after"] == .pass)
    }

    @Test("the graph draws exactly these jumps from the manual step")
    func graphDrawsThem() throws {
        let graph = try StepGraph(runbook: Runbook.load(text: Self.text, path: "m.md").runbook, model: "any")
        let edges = graph.edges.filter { $0.from == "look" }.map { "\($0.kind) \($0.to)" }
        #expect(Set(edges) == ["pass after", "fail (end)", "undecided between"])
    }
}
