import Foundation
import Testing

/// `plan` shows what a run requires before a step: a block's `requires=` too, as the run enforces it.
@Suite struct PlanRequiresCLITests {
    @Test("plan lists a block's requires= beside the heading's, only this model's steps")
    func blockRequires() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(
            "req.md",
            """
            ---
            id: req
            title: Req
            models: {arm: Resource Manager, classic: Classic}
            verify: port
            ---
            # Req

            ## Port {#port}

            ```check tcp-connect host=127.0.0.1 port=1
            ```

            ## NSG {#nsg model=arm}

            ```check tcp-connect host=127.0.0.1 port=1
            ```

            ## Login {#login requires=#acl}

            ```check tcp-connect host=127.0.0.1 port=1 requires=#nsg
            ```

            ## ACL {#acl model=classic}

            ```check tcp-connect host=127.0.0.1 port=1
            ```
            """)
        let plan = try await runbook(["plan", "arm", "--runbook", file.path])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("login — Login  (requires #nsg)"), "\(plan.stdout)")
    }
}
