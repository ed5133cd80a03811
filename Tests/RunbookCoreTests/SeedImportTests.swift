import Foundation
import RunbookActions
import RunbookCore
import Testing

/// The seed article, imported, lines up with the hand-written `Runbooks/ssh-connection.md`
/// section for section: the same models, each layer of the article on the runbook step that
/// covers it, limited to the same models, fixes where the runbook has fixes, in the same order.
@Suite("The seed article imports into the SSH runbook's shape")
struct SeedImportTests {
    /// Draft step id (from the article's headings and anchors) → the runbook step covering it.
    static let correspondence: [(draft: String, runbook: String)] = [
        ("azure-cli-reset-sshd", "reset-sshd"),
        ("azure-cli-reset-ssh-credentials-for-a-user", "reset-password-arm"),
        ("vm-access-extension-reset-sshd", "vmaccess-arm"),
        ("vm-access-extension-reset-ssh-credentials-for-a-user", "reset-key-arm"),
        ("troubleshoot-vms-created-by-using-the-classic-deployment-model", "reset-remote-access"),
        ("take-preliminary-steps", "vm-running"),
        ("source-1-ssh-client-computer", "client-key-modes"),
        ("source-2-organization-edge-device", "edge-device"),
        ("source-3-cloud-service-endpoint-and-acl", "endpoint-acl"),
        ("nsg", "nsg-allows-ssh"),
        ("source-5-linux-based-azure-virtual-machine", "sshd-running"),
    ]

    static func draftAndRunbook() throws -> (draft: Runbook, runbook: Runbook, models: [String]) {
        let root = RepositoryFiles.root
        let seed = RepositoryFiles.shared("seeds/troubleshoot-ssh-connection.md")
        let includes = RepositoryFiles.shared("corpus/ssh-family/includes")
        let importer = LegacyImporter { path in
            let name = (path as NSString).lastPathComponent
            return try? String(contentsOf: includes.appendingPathComponent(name), encoding: .utf8)
        }
        let draft = importer.draft(of: try String(contentsOf: seed, encoding: .utf8), path: seed.path)
        let loaded = Runbook.load(text: draft.markdown, path: "draft.md")
        #expect(loaded.diagnostics.errors.isEmpty, "\(loaded.diagnostics)")
        let runbookPath = root.appendingPathComponent("Runbooks/ssh-connection.md").path
        let runbook = Runbook.load(text: try String(contentsOfFile: runbookPath, encoding: .utf8), path: runbookPath)
            .runbook
        return (loaded.runbook, runbook, draft.models)
    }

    @Test("same models; every layer of the article is a runbook step of the same models and kind, in order")
    func sectionForSection() throws {
        let (draft, runbook, models) = try Self.draftAndRunbook()
        #expect(models == runbook.models.map(\.id))
        #expect(draft.models.map(\.id) == runbook.models.map(\.id))
        var runbookPositions: [Int] = []
        for (draftID, runbookID) in Self.correspondence {
            let draftStep = try #require(draft.step(draftID), "draft has no step \(draftID): \(draft.steps.map(\.id))")
            let runbookStep = try #require(runbook.step(runbookID), "runbook has no step \(runbookID)")
            for model in ["arm", "classic"] {
                #expect(
                    draftStep.applies(to: model) == runbookStep.applies(to: model),
                    "\(draftID) vs \(runbookID) for \(model)")
            }
            #expect(draftStep.isFix == runbookStep.isFix || !draftStep.isFix, "\(draftID) is a fix in the draft only")
            runbookPositions.append(try #require(runbook.steps.firstIndex { $0.id == runbookID }))
        }
        // The walk along the path (sources 1 to 5) keeps its order.
        let path = Array(runbookPositions.suffix(5))
        #expect(path == path.sorted(), "path steps out of order: \(path)")
        // The article's quick fixes for Resource Manager are fixes in both.
        for (draftID, runbookID) in Self.correspondence.prefix(4) {
            #expect(draft.step(draftID)?.isFix == true, "\(draftID)")
            #expect(runbook.step(runbookID)?.isFix == true, "\(runbookID)")
        }
    }
}
