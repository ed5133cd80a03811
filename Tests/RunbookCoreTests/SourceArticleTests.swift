import Foundation
import RunbookCore
import Testing

/// `sources:` in the front matter: the legacy articles a runbook replaces.
@Suite("Source articles")
struct SourceArticleTests {
    static let runbook = """
        ---
        id: ssh
        title: SSH
        sources:
          - virtual-machines/ssh.md
          - virtual-machines/ssh-detailed.md
        ---

        # SSH
        """

    @Test("sources: is read with the position of each name, and is no unknown key")
    func read() {
        let (runbook, diagnostics) = load(Self.runbook)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(runbook.sources.map(\.path) == ["virtual-machines/ssh.md", "virtual-machines/ssh-detailed.md"])
        #expect(runbook.sources.map(\.location) == [at(5, 5), at(6, 5)])
        let flow = load("---\nid: ssh\ntitle: SSH\nsources: [a.md, \"b/c.md\"]\n---\n# SSH\n")
        #expect(flow.diagnostics.isEmpty)
        #expect(flow.runbook.sources.map(\.path) == ["a.md", "b/c.md"])
        #expect(flow.runbook.sources.map(\.location) == [at(4, 11), at(4, 17)])
    }

    @Test(
        "A name that cannot be an article path is an error at its position",
        arguments: [
            ("/abs/x.md", "not absolute"), ("../x.md", "no '.', '..'"), ("a/./x.md", "no '.', '..'"),
            ("x.txt", "not a Markdown file"), ("a\\x.md", "no '.', '..' or '\\'"),
        ])
    func badName(name: String, message: String) {
        let diagnostics = load("---\nid: ssh\ntitle: SSH\nsources:\n  - '\(name)'\n---\n# SSH\n").diagnostics
        #expect(diagnostics.map(\.summary) == ["5:5 error bad-source"])
        #expect(diagnostics.first?.message.contains(message) == true, "\(diagnostics)")
    }

    @Test("sources: as a mapping is an error")
    func mapping() {
        let diagnostics = load("---\nid: ssh\ntitle: SSH\nsources:\n  a: b.md\n---\n# SSH\n").diagnostics
        #expect(diagnostics.map(\.summary) == ["5:3 error bad-metadata"])
    }

    @Test("lint: a name that is not a file of the articles folder is an error at its position, with a suggestion")
    func unknown() {
        let runbook = load(Self.runbook, path: "Runbooks/ssh.md").runbook
        let articles: Set<String> = ["virtual-machines/ssh.md", "linux/ssh-detailed.md", "other.md"]
        let diagnostics = Linter.lintSources(runbook, articles: articles, articlesDirectory: "docs/articles")
        #expect(diagnostics.map(\.summary) == ["6:5 error unknown-source"])
        #expect(
            diagnostics.first?.description == """
                Runbooks/ssh.md:6:5: error: no article 'virtual-machines/ssh-detailed.md' in docs/articles
                Runbooks/ssh.md:6:5: note: did you mean 'linux/ssh-detailed.md'?
                """)
        let all: Set<String> = ["virtual-machines/ssh.md", "virtual-machines/ssh-detailed.md"]
        #expect(Linter.lintSources(runbook, articles: all, articlesDirectory: "docs/articles").isEmpty)
    }

    @Test("The project's runbooks name articles that exist in the azure-docs corpus")
    func projectRunbooks() throws {
        let root = Repository.root
        let articles = RepositoryFiles.shared("corpus/azure-docs/articles").path
        let known = SourceArticle.paths(in: articles)
        #expect(known.count == 4239)
        let knowledgeBase = try KnowledgeBase(directory: root + "/Runbooks")
        let ssh = try knowledgeBase.find("ssh-connection")
        #expect(
            ssh.sources.map(\.path).contains("virtual-machines/virtual-machines-linux-troubleshoot-ssh-connection.md"))
        for runbook in knowledgeBase.runbooks {
            #expect(Linter.lintSources(runbook, articles: known, articlesDirectory: articles).isEmpty, "\(runbook.id)")
        }
    }
}
