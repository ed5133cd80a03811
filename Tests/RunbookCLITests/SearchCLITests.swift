import Foundation
import Testing

/// `runbook index` and `runbook search` run as a user runs them, over the project's Runbooks/.
@Suite("runbook index and search", .serialized)
struct SearchCLITests {
    @Test(
        "search builds the index when there is none, in $XDG_CACHE_HOME/runbook, and routes a pasted error to its step")
    func firstSearchBuildsTheIndex() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let cache = folder.url.appendingPathComponent("cache").path
        let result = try await runbook(
            ["search", "ssh: connect to host vm1 port 22: Connection refused", "--limit", "3"],
            environment: ["XDG_CACHE_HOME": cache])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("no search index yet; building it at \(cache)/runbook/index.sqlite"),
            "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: cache + "/runbook/index.sqlite"))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "1. SSH port answers  [step · arm,classic]  ssh-connection#port-reachable",
            "\(result.stdout)")
        #expect(lines.contains("   try: runbook run arm --runbook ssh-connection"), "\(result.stdout)")
        // Not a terminal: no escape codes.
        #expect(!result.stdout.contains("\u{1B}"))
    }

    @Test(
        "index is incremental and says what it did; json results carry runbook, step, model, kind, title, score, snippet"
    )
    func indexThenJSON() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = folder.url.appendingPathComponent("i.sqlite").path
        let kb = folder.url.appendingPathComponent("kb")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Runbooks"), to: kb)
        let first = try await runbook(["index", "--db", db, "--kb", kb.path])
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains(" 0 changed, 0 removed, 0 unchanged (8 files, 8 read again)"), "\(first.stdout)")
        let again = try await runbook(["index", "--db", db, "--kb", kb.path])
        #expect(again.stdout.contains(": 0 added, 0 changed, 0 removed, "), "\(again.stdout)")
        #expect(again.stdout.contains("(8 files, 0 read again)"), "\(again.stdout)")
        try FileManager.default.removeItem(at: kb.appendingPathComponent("redeploy-vm.md"))
        let removed = try await runbook(["index", "--db", db, "--kb", kb.path])
        #expect(
            removed.stdout.contains(" 0 added, 0 changed, ") && !removed.stdout.contains(" 0 removed"),
            "\(removed.stdout)")

        let json = try await runbook([
            "search", "Host key verification failed", "--db", db, "--kb", kb.path,
            "--format", "json", "--model", "classic", "--kind", "step", "--limit", "2",
        ])
        #expect(json.exitCode == 0, "\(json.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(results.count == 2)
        let top = try #require(results.first)
        #expect(top["runbook"] as? String == "ssh-connection")
        #expect(top["step"] as? String == "client-known-hosts")
        #expect(top["model"] as? String == "classic")
        #expect(top["kind"] as? String == "step")
        #expect(top["title"] as? String == "The VM's host key is known")
        #expect((top["score"] as? Double ?? 0) > 0)
        #expect((top["snippet"] as? String ?? "").lowercased().contains("host key"))
        #expect(top["command"] as? String == "runbook run classic --runbook ssh-connection --kb \(kb.path)")
        #expect(results.allSatisfy { $0["kind"] as? String == "step" })

        // Every key is there for every kind of hit, null where there is nothing.
        let any = try await runbook([
            "search", "ssh", "--db", db, "--kb", kb.path, "--format", "json", "--kind", "runbook",
        ])
        let runbooks = try #require(try JSONSerialization.jsonObject(with: Data(any.stdout.utf8)) as? [[String: Any]])
        let keys: Set<String> = [
            "runbook", "step", "model", "models", "kind", "title", "path", "score", "snippet", "command",
        ]
        #expect(!runbooks.isEmpty && runbooks.allSatisfy { Set($0.keys) == keys }, "\(any.stdout)")
        #expect(runbooks.first?["step"] is NSNull)
    }

    @Test("--includes makes an included file's text searchable in the article that includes it")
    func includesAreSearchable() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // The include is not next to the articles' tree: only --includes finds it (by name).
        let article = try folder.write(
            "docs/articles/disks/resize.md",
            """
            # Resize a data disk

            Stop the machine before you resize the disk.

            [AZURE.INCLUDE [snapshot-note](../../includes/snapshot-note.md)]

            """)
        _ = try folder.write("shared-includes/snapshot-note.md", "Take a snapshot of the quokkavolume first.\n")
        let articles = folder.url.appendingPathComponent("docs/articles").path
        let includes = folder.url.appendingPathComponent("shared-includes").path
        let db = folder.url.appendingPathComponent("i.sqlite").path
        let common = ["--db", db, "--articles", articles]

        /// The paths of the articles a search (json) finds.
        func found(_ result: Invocation) throws -> [String] {
            #expect(result.exitCode == 0, "\(result.stderr)")
            let hits = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            return hits.compactMap { $0["path"] as? String }
        }
        func search() async throws -> [String] {
            try await found(runbook(["search", "quokkavolume", "--db", db, "--format", "json"]))
        }

        let plain = try await runbook(["index"] + common)
        #expect(plain.exitCode == 0, "\(plain.stderr)")
        #expect(try await search().isEmpty)

        // The same files, now with their includes: only the article that includes one is read again.
        let expanded = try await runbook(["index", "--includes", includes] + common)
        #expect(expanded.exitCode == 0, "\(expanded.stderr)")
        #expect(expanded.stdout.contains(": 0 added, 1 changed, 0 removed, "), "\(expanded.stdout)")
        #expect(expanded.stdout.contains("files, 1 read again)"), "\(expanded.stdout)")
        #expect(try await search() == [article.path])

        // Without --includes again, the word is gone.
        _ = try await runbook(["index"] + common)
        #expect(try await search().isEmpty)

        // search's own first build takes --includes too.
        let fresh = folder.url.appendingPathComponent("fresh.sqlite").path
        let first = try await runbook([
            "search", "quokkavolume", "--db", fresh, "--articles", articles,
            "--includes", includes, "--format", "json",
        ])
        #expect(first.stderr.contains("no search index yet"), "\(first.stderr)")
        let paths = try found(first)
        #expect(paths == [article.path], "\(first.stdout)")
    }

    @Test(
        "bad input exits 2 with a clear message",
        arguments: [
            (["search", ""], "has no words to search for"),
            (["search", "(\"*)"], "has no words to search for"),
            (
                ["search", "ssh", "--model", "azure"],
                "unknown model 'azure' (the indexed runbooks declare: arm, classic)"
            ),
            (["search", "ssh", "--limit", "0"], "--limit must be at least 1"),
            (["index", "--articles", "/nonexistent/articles"], "/nonexistent/articles: no such folder"),
            (["index", "--articles", "Runbooks/ssh-connection.md"], "Runbooks/ssh-connection.md: not a folder"),
            (["index", "--includes", "/nonexistent/includes"], "/nonexistent/includes: no such folder"),
            (["search", "ssh", "--kind", "page"], "--kind"),
        ])
    func badInput(_ arguments: [String], _ message: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await runbook(arguments + ["--db", folder.url.appendingPathComponent("i.sqlite").path])
        #expect(result.exitCode == 2, "\(arguments): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("a damaged index is rebuilt with a message")
    func damagedIndex() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = folder.url.appendingPathComponent("i.sqlite")
        try Data("not a database at all, just text that is long enough to be read".utf8).write(to: db)
        let result = try await runbook(["search", "sshd", "--db", db.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("it is damaged or not a database"), "\(result.stderr)")
        #expect(result.stdout.hasPrefix("1. "), "\(result.stdout)")
    }
}
