import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import Testing

@Suite("an action's own finding")
struct ActionFindingTests {
    @Test("a failing check's finding comes from the action unless the block gives finding=")
    func finding() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent("Tests/Support/az-stub/fixtures/vm-deallocated/vms/rg1/vm1.json").path
        let text = """
            ---
            id: finding-test
            title: Finding test
            verify: verify
            ---
            # Finding test

            ## Verify {#verify .symptom}

            ```check command run="false"
            ```

            ## VM is running {#vm}

            ```check azure-vm-running from=\(file)
            ```

            ## VM is running, said by the author {#vm-author}

            ```check azure-vm-running from=\(file) finding="The VM is off"
            ```
            """
        let result = try await runRunbook(text, model: "any", options: RunOptions())
        let vm = try #require(result.events.first { $0.step == "vm" && $0.event == .step })
        #expect(vm.status == .fail)
        #expect(vm.finding?.hasPrefix("The VM is deallocated") == true, "\(vm.finding ?? "")")
        let author = try #require(result.events.first { $0.step == "vm-author" && $0.event == .step })
        #expect(author.finding == "The VM is off")
    }
}
