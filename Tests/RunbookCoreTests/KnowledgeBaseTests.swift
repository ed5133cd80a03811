import Foundation
import RunbookActions
import RunbookCore
import RunbookMarkdown
import Testing

@Suite("KnowledgeBase")
struct KnowledgeBaseTests {
    static func directory() throws -> String {
        try Fixture.url("kb/ssh.md").deletingLastPathComponent().path
    }

    @Test("loads every .md below the folder, sorted, skipping hidden folders")
    func loads() throws {
        let base = try Self.directory()
        let knowledgeBase = try KnowledgeBase(directory: base)
        #expect(KnowledgeBase.markdownFiles(in: base) == [base + "/nested/reset.md", base + "/ssh.md"])
        #expect(KnowledgeBase.markdownFiles(in: base + "/") == KnowledgeBase.markdownFiles(in: base))
        #expect(knowledgeBase.runbooks.map(\.id) == ["reset-access", "ssh-connection"])
        #expect(knowledgeBase.diagnostics.isEmpty)
        #expect(knowledgeBase.byID.keys.sorted() == ["reset-access", "ssh-connection"])
        #expect(try knowledgeBase.defaultRunbook().id == "ssh-connection")
        let ssh = try knowledgeBase.find("ssh-connection")
        #expect(Linter.lint(ssh, schemas: schemas, knowledgeBase: knowledgeBase.byID).isEmpty)
    }

    @Test("an unknown id is an error with close ids suggested")
    func find() throws {
        let knowledgeBase = try KnowledgeBase(directory: try Self.directory())
        let error = CoreError.unknownRunbook(
            "reset-acess", suggestions: ["reset-access"],
            known: ["reset-access", "ssh-connection"])
        #expect(throws: error) { try knowledgeBase.find("reset-acess") }
        #expect(error.description == "no runbook 'reset-acess' in the knowledge base; did you mean 'reset-access'?")
        let far = CoreError.unknownRunbook("zzz", suggestions: [], known: ["reset-access", "ssh-connection"])
        #expect(throws: far) { try knowledgeBase.find("zzz") }
        #expect(far.description == "no runbook 'zzz' in the knowledge base; runbooks: reset-access, ssh-connection")
    }

    @Test("a missing folder is an error that says how to name one")
    func missingFolder() {
        #expect(throws: CoreError.knowledgeBaseMissing("/nonexistent/kb")) {
            try KnowledgeBase(directory: "/nonexistent/kb")
        }
        #expect(
            CoreError.knowledgeBaseMissing("kb").description
                == "knowledge base 'kb' does not exist; give --kb DIR or set RUNBOOK_PATH")
    }

    @Test("without a default runbook, defaultRunbook() says so")
    func noDefault() throws {
        let base = try Self.directory() + "/nested"
        #expect(throws: CoreError.noDefaultRunbook(directory: base)) {
            try KnowledgeBase(directory: base).defaultRunbook()
        }
    }
}
