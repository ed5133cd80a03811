import Foundation
import RunbookActions
import RunbookCore
import RunbookMarkdown
import Testing

/// The project's own SSH runbook, `Runbooks/ssh-connection.md`, must stay loadable and lint clean.
@Suite("Runbooks/ssh-connection.md")
struct SSHConnectionRunbookTests {
    static let path = RepositoryFiles.root.appendingPathComponent("Runbooks/ssh-connection.md").path

    static func load() throws -> (runbook: Runbook, diagnostics: [Diagnostic]) {
        Runbook.load(text: try String(contentsOfFile: path, encoding: .utf8), path: "Runbooks/ssh-connection.md")
    }

    @Test("loads without diagnostics and lints clean against the built-in actions")
    func lintsClean() throws {
        let (runbook, diagnostics) = try Self.load()
        #expect(diagnostics.map(\.description) == [])
        let knowledgeBase = KnowledgeBase.markdownFiles(
            in: RepositoryFiles.root.appendingPathComponent("Runbooks").path
        )
        .map { Runbook.load(text: (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "", path: $0).runbook }
        let lint = Linter.lint(
            runbook, schemas: ActionRegistry.builtIn.schemas,
            knowledgeBase: Dictionary(knowledgeBase.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        #expect(lint.map(\.description) == [])
    }

    @Test("no fix of Runbooks/*.md puts a secret on a command line or reads an undeclared variable")
    func fixesKeepSecretsOffArgv() throws {
        let files = KnowledgeBase.markdownFiles(in: RepositoryFiles.root.appendingPathComponent("Runbooks").path)
        #expect(files.count > 1)
        for file in files {
            let runbook = Runbook.load(text: try String(contentsOfFile: file, encoding: .utf8), path: file).runbook
            let found = Linter.lint(runbook, schemas: ActionRegistry.builtIn.schemas).filter {
                ["secret-in-argv", "unknown-variable", "refused-variable", "bad-value"].contains($0.code)
            }
            #expect(found.map(\.description) == [])
        }
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(text.contains("--password \"@$NEW_PASSWORD_FILE\""))
        #expect(text.contains("Azure retired Classic (service management) VMs in September 2023"))
    }

    @Test("its metadata and verify step are those the CLI relies on")
    func metadata() throws {
        let runbook = try Self.load().runbook
        #expect(runbook.id == "ssh-connection")
        #expect(runbook.isDefault)
        #expect(runbook.models.map(\.id) == ["arm", "classic"])
        #expect(runbook.verify == "can-log-in")
        #expect(runbook.input("host")?.required == true)
        #expect(runbook.input("new-password")?.secret == true)
        for model in runbook.models {
            let graph = try StepGraph(runbook: runbook, model: model.id)
            #expect(graph.verify?.id == "can-log-in", "model \(model.id)")
            #expect(graph.verify?.isSymptom == true)
            #expect(graph.reachable().count == graph.steps.count, "every step of \(model.id) is reachable")
        }
    }
}
