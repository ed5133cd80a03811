import Foundation
import Testing

@Suite("Hostile files", .serialized)
struct HostileFilesCLITests {
    @Test(
        "report never opens a path the log names: only knowledge-base ids, or --runbook",
        arguments: [
            "/PRIVATE/secret.md", "../../PRIVATE/secret", "PRIVATE/secret.md",
        ])
    func reportIgnoresPathsInTheLog(runbookField: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let secret = try folder.write("private/secret.md", "# TOP-SECRET-CONTENT\n")
        let field = runbookField.replacingOccurrences(of: "PRIVATE", with: secret.deletingLastPathComponent().path)
        let line =
            #"{"v":1,"ts":"2026-05-01T10:00:00.000Z","event":"run-start","run":"x","runbook":"FIELD","model":"arm"}"#
            .replacingOccurrences(of: "FIELD", with: field)
        let log = try folder.write("crafted.jsonl", line + "\n")
        let result = try await runbook(["report", log.path])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("not in the knowledge base"), "\(result.stderr)")
        #expect(result.stderr.contains("--runbook PATH"))
        #expect(!result.stdout.contains("TOP-SECRET-CONTENT"))
    }

    @Test("report --runbook PATH uses the file the person named")
    func reportWithExplicitRunbook() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write(
            "mine.md",
            "---\nid: mine\ntitle: Mine\nverify: a\n---\n# Mine\n\n## A {#a}\n\n```check command run=\"true\"\n```\n")
        let line =
            #"{"v":1,"ts":"2026-05-01T10:00:00.000Z","event":"run-start","run":"x","runbook":"mine","model":"any"}"#
        let log = try folder.write("run.jsonl", line + "\n")
        let missing = try await runbook(["report", log.path])
        #expect(missing.exitCode == 2)
        let result = try await runbook(["report", log.path, "--runbook", book.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Mine"))
    }

    @Test("an include that climbs out of the document's tree, or is not Markdown, is not included")
    func includeTraversal() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        _ = try folder.write("outside/secret.md", "OUTSIDE-SECRET\n")
        _ = try folder.write("docs/private.txt", "TXT-SECRET\n")
        _ = try folder.write("docs/includes/ok.md", "INCLUDED-FINE\n")
        let article = try folder.write(
            "docs/articles/vm/a.md",
            """
            # Article

            [AZURE.INCLUDE [ok](../../includes/ok.md)]

            [AZURE.INCLUDE [up](../../../outside/secret.md)]

            [AZURE.INCLUDE [txt](../../private.txt)]

            [AZURE.INCLUDE [abs](\(folder.url.path)/outside/secret.md)]

            """)
        let result = try await runbook(["render", article.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("INCLUDED-FINE"))
        #expect(!result.stdout.contains("OUTSIDE-SECRET"))
        #expect(!result.stdout.contains("TXT-SECRET"))
    }
}
