import Foundation
import GRDB
import Testing

@testable import RunbookKB

/// The index on small real files: incremental updates, rebuilds, interruption, queries, snippets.
@Suite("search index")
struct SearchIndexTests {
    func makeIndex(_ scratch: Scratch) throws -> SearchIndex {
        try SearchIndex(path: scratch.path + "/db/index.sqlite")
    }

    @Test("an update counts documents added, changed, removed and unchanged, and re-reads only changed files")
    func incremental() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let runbook = try scratch.write("kb/ssh-sample.md", sampleRunbook)
        let article = try scratch.write("articles/web/refused.md", sampleArticle)
        let index = try makeIndex(scratch)
        #expect(index.opening == .created)
        // The runbook, its section "network" and its three steps, and the article.
        let first = try await index.update(files: [runbook, article])
        #expect(first.added == 6 && first.changed == 0 && first.removed == 0 && first.unchanged == 0, "\(first)")
        #expect(first.parsedFiles == 2)

        let again = try await index.update(files: [runbook, article])
        #expect(again.added == 0 && again.changed == 0 && again.removed == 0 && again.unchanged == 6, "\(again)")
        #expect(again.parsedFiles == 0)

        // One step's text changes and one step is gone, so the runbook's and the section's lists of
        // headings change too; the other step and the article stay as they were.
        let edited = sampleRunbook.replacingOccurrences(of: "no firewall may reject", with: "no filter may drop")
            .replacingOccurrences(of: "### Network security group {#nsg model=arm}", with: "Network security group.")
        try edited.write(toFile: runbook, atomically: true, encoding: .utf8)
        let update = try await index.update(files: [runbook, article])
        #expect(update.changed == 3 && update.removed == 1 && update.added == 0 && update.unchanged == 2, "\(update)")
        #expect(update.parsedFiles == 1)
        #expect(try index.search("filter drop").first?.step == "port")
        #expect(try index.search("firewall reject", filter: .init(kind: .step)).isEmpty)

        let without = try await index.update(files: [runbook])
        #expect(without.removed == 1 && without.unchanged == 4, "\(without)")
        #expect(try index.search("browser").isEmpty)
        #expect(try index.count() == 4)
    }

    @Test("a query matching a step's declared message ranks that step first, with the runbook's models")
    func explainsRoutesToStep() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let index = try makeIndex(scratch)
        _ = try await index.update(files: [
            try scratch.write("kb/a.md", sampleRunbook),
            try scratch.write("articles/refused.md", sampleArticle),
        ])
        let hits = try index.search("ssh: connect to host vm1 port 22: Connection refused")
        #expect(hits.first?.kind == .step && hits.first?.step == "port", "\(hits.map(\.title))")
        #expect(hits.first?.runbook == "ssh-sample")
        #expect(hits.first?.models == ["arm", "classic"])
        // The article talks about refused connections too, but the declared message wins.
        #expect(hits.contains { $0.kind == .article })
    }

    @Test(
        "pasted messages and broken FTS syntax are searched as words; the last word is a prefix",
        arguments: [
            "Connection refused", "\"Connection refused\"", "connection AND (refused", "NEAR(refused*",
            "refused) OR ^", "Connection ref",
        ])
    func anyTextIsAQuery(_ text: String) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let index = try makeIndex(scratch)
        _ = try await index.update(files: [try scratch.write("kb/a.md", sampleRunbook)])
        let hits = try index.search(text)
        #expect(hits.first?.step == "port", "\(text): \(hits.map(\.title))")
    }

    @Test("a query without words is refused")
    func emptyQuery() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let index = try makeIndex(scratch)
        #expect(throws: SearchError.emptyQuery) { try index.search("  ()\" * ") }
    }

    @Test("the snippet marks the matched words and cuts between words with an ellipsis")
    func snippet() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let index = try makeIndex(scratch)
        let long =
            sampleArticle + String(repeating: "Unrelated words fill this paragraph of the article. ", count: 40)
            + "At the very end the worker process recycles.\n"
        _ = try await index.update(files: [try scratch.write("articles/long.md", long)])
        let hit = try #require(try index.search("recycles").first)
        #expect(hit.snippet.contains("\u{2}recycles\u{3}"), "\(hit.snippet)")
        #expect(hit.snippet.hasPrefix("…"), "\(hit.snippet)")
        let plain = hit.snippet.filter { $0 != "\u{2}" && $0 != "\u{3}" }.replacingOccurrences(of: "…", with: "")
        let words = Set(SearchQuery.words(long))
        for word in SearchQuery.words(plain) { #expect(words.contains(word), "'\(word)' is a cut word") }
    }

    @Test("kind and model filters")
    func filters() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let index = try makeIndex(scratch)
        _ = try await index.update(files: [
            try scratch.write("kb/a.md", sampleRunbook),
            try scratch.write("articles/refused.md", sampleArticle),
        ])
        #expect(try index.search("refused", filter: .init(kind: .article)).map(\.kind) == [.article])
        #expect(
            try index.search("network security group", filter: .init(model: "classic")).allSatisfy {
                $0.models.isEmpty || $0.models.contains("classic")
            })
        #expect(try index.search("network security group", filter: .init(model: "arm")).first?.step == "nsg")
        #expect(try index.models() == ["arm", "classic"])
    }

    @Test("a damaged file or an index of another version is replaced by a new index")
    func rebuildsDamagedOrOld() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/index.sqlite"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        let damaged = try SearchIndex(path: path)
        guard case .rebuilt(let reason) = damaged.opening else {
            Issue.record("\(damaged.opening)")
            return
        }
        #expect(reason.contains("damaged or not a database"), "\(reason)")
        _ = try await damaged.update(files: [try scratch.write("kb/a.md", sampleRunbook)])
        #expect(try damaged.count() == 5)

        let old = scratch.path + "/old.sqlite"
        let queue = try DatabaseQueue(path: old)
        try await queue.write { try $0.execute(sql: "CREATE TABLE document (x); PRAGMA user_version = 0") }
        try queue.close()
        let reopened = try SearchIndex(path: old)
        guard case .rebuilt(let why) = reopened.opening else {
            Issue.record("\(reopened.opening)")
            return
        }
        #expect(why.contains("not a runbook index"), "\(why)")
        #expect(try reopened.count() == 0)
        #expect(try SearchIndex(path: path).opening == .existing)
    }

    @Test("an update interrupted half-way leaves the previous index as it was")
    func interruptedUpdate() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let index = try makeIndex(scratch)
        let runbook = try scratch.write("kb/a.md", sampleRunbook)
        _ = try await index.update(files: [runbook])
        var files = [runbook]
        for number in 0..<5 { files.append(try scratch.write("articles/a\(number).md", sampleArticle)) }
        try sampleRunbook.replacingOccurrences(of: "Connection refused", with: "Broken pipe")
            .write(toFile: runbook, atomically: true, encoding: .utf8)
        await #expect(throws: SearchError.interrupted) {
            try await index.update(files: files) { written in
                if written == 3 { throw CancellationError() }
            }
        }
        #expect(try index.count() == 5)
        #expect(try index.search("browser").isEmpty)
        #expect(try index.search("Connection refused").first?.step == "port")
        let finished = try await index.update(files: files)
        #expect(finished.added == 5 && finished.changed == 1, "\(finished)")
    }

    @Test("the default place follows XDG_CACHE_HOME, else ~/.cache")
    func defaultPath() {
        #expect(
            SearchIndex.defaultPath(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]) == "/c/runbook/index.sqlite")
        #expect(SearchIndex.defaultPath(environment: ["HOME": "/h"]) == "/h/.cache/runbook/index.sqlite")
        #expect(
            SearchIndex.defaultPath(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"])
                == "/h/.cache/runbook/index.sqlite")
    }
}
