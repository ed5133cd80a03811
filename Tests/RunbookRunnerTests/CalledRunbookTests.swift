import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import Testing

/// A called runbook runs with its own graph and model: its steps' kinds, its fixes' consent.
@Suite struct CalledRunbookTests {
    /// `helper` fails a check that names `#repair`, a step that calls `tool`: a fix only in the
    /// helper's graph (the caller has no step `repair`).
    static let helper = """
        ---
        id: helper
        title: Helper
        verify: helper-ok
        ---
        # Helper

        ## Helper OK {#helper-ok}

        ```check command run="true"
        ```

        ## Probe {#probe}

        ```check command run="false" fix=#repair
        ```

        ## Repair {#repair}

        ```call tool
        ```
        """

    static let tool = """
        ---
        id: tool
        title: Tool
        verify: tool-ok
        ---
        # Tool

        ## Tool OK {#tool-ok}

        ```check command run="true"
        ```

        ## Tool step {#tool-step}

        ```check command run="true"
        ```
        """

    static let caller = """
        ---
        id: caller
        title: Caller
        verify: works
        ---
        # Caller

        ## Works {#works .symptom}

        ```check command run="false"
        ```

        ## Look deeper {#deeper}

        ```call helper
        ```
        """

    func run(_ options: RunOptions) async throws -> RunResult {
        let knowledgeBase = [
            "helper": Runbook.load(text: Self.helper, path: "helper.md").runbook,
            "tool": Runbook.load(text: Self.tool, path: "tool.md").runbook,
        ]
        return try await runRunbook(Self.caller, model: "default", options: options, knowledgeBase: knowledgeBase)
    }

    @Test("a called runbook's call that its own fix= names needs consent like any fix (it ran without)")
    func calledFixCallNeedsConsent() async throws {
        let result = try await run(RunOptions())
        let repair = try #require(result.events.first { $0.step == "helper/repair" })
        #expect(repair.status == .refused && repair.reasonCode == .noConsent)
        #expect(!result.events.contains { $0.step == "tool/tool-step" })
    }

    @Test("each step event names its kind in its own runbook's graph; skips carry their reason's code")
    func stepKindsAndCodes() async throws {
        let result = try await run(RunOptions(assumeYes: true))
        let kinds = result.events.filter { $0.event == .step }.reduce(into: [String: StepGraph.Kind]()) {
            $0[$1.step ?? ""] = $1.stepKind
        }
        #expect(kinds["works"] == .verify && kinds["deeper"] == .call)
        #expect(kinds["helper/probe"] == .check && kinds["helper/repair"] == .fix)
        #expect(kinds["tool/tool-step"] == .check)
        #expect(result.events.filter { $0.event == .step }.allSatisfy { $0.stepKind != nil })
        #expect(result.events.allSatisfy { ($0.reason == nil) == ($0.reasonCode == nil) })
    }

    @Test("a called runbook's manual step sends the reader to that runbook, not to the caller")
    func calledManualStepNamesItsRunbook() async throws {
        let callee = """
            ---
            id: callee
            title: Callee
            verify: callee-ok
            ---
            # Callee

            ## OK {#callee-ok}

            ```check command run="true"
            ```

            ## Look at the portal {#portal}

            Open the portal and look.
            """
        let caller = """
            ---
            id: caller
            title: Caller
            verify: works
            ---
            # Caller

            ## Works {#works}

            ```check command run="false"
            ```

            ## Ask the callee {#ask}

            ```call callee
            ```
            """
        let result = try await runRunbook(
            caller, model: "default", options: RunOptions(),
            knowledgeBase: ["callee": Runbook.load(text: callee, path: "callee.md").runbook])
        let portal = try #require(result.events.first { $0.step == "callee/portal" })
        #expect(portal.reason == "do it by hand (see 'runbook show callee')" && portal.reasonCode == .byHand)
        #expect(portal.stepKind == .manual)
    }

    @Test("a fix two calls deep is re-verified by the run's own verify step, and resolves the run")
    func nestedFixReverifiesTheRun() async throws {
        let flag = FileManager.default.temporaryDirectory.appendingPathComponent("resolved-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: flag) }
        func runbook(_ id: String, verify: String, body: String) -> String {
            """
            ---
            id: \(id)
            title: \(id)
            verify: \(id)-ok
            ---
            # \(id)

            ## OK {#\(id)-ok}

            ```check command run="\(verify)"
            ```

            \(body)
            """
        }
        let mid = runbook("mid", verify: "false", body: "## Go in {#go-in}\n\n```call inner\n```")
        let inner = runbook(
            "inner", verify: "false",
            body: """
                ## Probe {#probe}

                ```check command run="false" fix=#make
                ```

                ## Make {#make}

                ```run sh
                touch '\(flag)'
                ```
                """)
        let caller = runbook("caller", verify: "test -f \(flag)", body: "## Go {#go}\n\n```call mid\n```")
        let result = try await runRunbook(
            caller, model: "default", options: RunOptions(assumeYes: true),
            knowledgeBase: [
                "mid": Runbook.load(text: mid, path: "mid.md").runbook,
                "inner": Runbook.load(text: inner, path: "inner.md").runbook,
            ])
        #expect(result.end.outcome == .resolved)
        #expect(result.events.contains { $0.step == "caller-ok" && $0.after == "inner/make" && $0.status == .pass })
    }
}
