import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import Testing

/// A failed check's `provides` fill the inputs its fix needs that were not given.
@Suite("values a failed check provides to fixes")
struct ProvidedInputTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let nsg = root + "/Tests/Support/az-stub/fixtures/nsg-deny-100/nsgs/rg1/vm1NSG.json"

    static func runbook(
        fixBody: String =
            #"echo "nsg=$NSG rg=$NSG_RESOURCE_GROUP at=$NSG_PRIORITY move=$NSG_MOVE_RULE:$NSG_MOVE_PRIORITY from=$ALLOWED_SOURCE""#
    ) -> String {
        """
        ---
        id: provided
        title: Provided values
        inputs:
          nsg: {description: the NSG}
          nsg-resource-group: {description: its group}
          nsg-priority: {description: priority}
          nsg-move-rule: {description: rule to move}
          nsg-move-priority: {description: where}
          allowed-source: {description: who}
        verify: v
        ---
        # Provided

        ## Verify {#v .symptom}

        ```check command run="false"
        ```

        ## NSG {#nsg-check}

        ```check azure-nsg-allows nic-nsg=\(nsg) client-ip=198.51.100.9 destination=10.0.0.4 fix=#allow
        ```

        ## Allow {#allow}

        ```run sh
        \(fixBody)
        ```
        """
    }

    @Test(
        "the fix sees the NSG, a winning priority (the deny at 100 moves to 101) and the client; the log says where they came from"
    )
    func provided() async throws {
        let result = try await runRunbook(Self.runbook(), model: "any", options: RunOptions(assumeYes: true))
        let fix = try #require(result.events.first { $0.step == "allow" && $0.event == .step })
        #expect(fix.status == .done, "\(fix)")
        #expect(fix.evidence?["stdout"] == "nsg=vm1NSG rg=rg1 at=100 move=DenyAll22:101 from=198.51.100.9\n")
        #expect(fix.evidence?["from-checks"]?.contains("nsg-priority=100") == true, "\(fix.evidence ?? [:])")
        #expect(fix.script?.contains("nsg=vm1NSG") == true, "the script shown has the values: \(fix.script ?? "")")
    }

    @Test("a given input wins over the provided value")
    func givenWins() async throws {
        let result = try await runRunbook(
            Self.runbook(), model: "any", options: RunOptions(inputs: ["nsg-priority": "4000"], assumeYes: true))
        let fix = try #require(result.events.first { $0.step == "allow" && $0.event == .step })
        #expect(fix.evidence?["stdout"]?.contains("at=4000 ") == true, "\(fix.evidence ?? [:])")
        #expect(fix.evidence?["from-checks"]?.contains("nsg-priority") == false)
    }

    @Test("without a failure nothing is provided: the fix is skipped for its inputs")
    func nothingWithoutFailure() async throws {
        let text = Self.runbook().replacingOccurrences(of: "/nsg-deny-100/", with: "/healthy/")
        let result = try await runRunbook(text, model: "any", options: RunOptions(assumeYes: true))
        #expect(result.events.first { $0.step == "nsg-check" }?.status == .pass)
        let fix = try #require(result.events.first { $0.step == "allow" && $0.event == .step })
        #expect(fix.status == .skipped)
    }
}
