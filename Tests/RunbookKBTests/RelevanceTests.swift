import Foundation
import Testing

@testable import RunbookKB

/// One query as a person in trouble types it, and where it must lead.
struct RelevanceCase: Sendable {
    var query: String
    var runbook: String
    /// The step that must be the hit, where it matters.
    var step: String?

    init(_ query: String, _ runbook: String, _ step: String? = nil) {
        self.query = query
        self.runbook = runbook
        self.step = step
    }

    func matches(_ hit: SearchHit) -> Bool {
        hit.runbook == runbook && hit.kind != .article && (step == nil || hit.step == step)
    }

    /// The table of `relevance-queries.tsv` (also the benchmark's queries).
    static func table() throws -> [RelevanceCase] {
        let file = repositoryRoot.appendingPathComponent("Tests/RunbookKBTests/relevance-queries.tsv")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
                let fields = line.split(separator: "\t").map(String.init)
                return RelevanceCase(fields[0], fields[1], fields.count > 2 ? fields[2] : nil)
            }
    }
}

/// The index over `Runbooks/` and the 4,239 legacy articles, built once for the suite.
let corpusIndex = Task { () throws -> SearchIndex in
    let runbooks = repositoryRoot.appendingPathComponent("Runbooks").path
    let articles = URL(fileURLWithPath: Repository.shared + "/corpus/azure-docs/articles").standardizedFileURL.path
    let path = NSTemporaryDirectory() + "runbook-relevance-\(UUID().uuidString).sqlite"
    let index = try SearchIndex(path: path)
    let files = [runbooks, articles].flatMap { folder in
        (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".md") }.sorted().map { folder + "/" + $0 }
    }
    _ = try await index.update(files: files)
    return index
}

@Suite("search relevance over Runbooks/ and the azure-docs articles")
struct RelevanceTests {
    @Test("at least 23 of 25+ queries have the expected runbook (and step) first, all in the top 3")
    func table() async throws {
        let index = try await corpusIndex.value
        #expect(try index.count() > 4_239)
        let table = try RelevanceCase.table()
        #expect(table.count >= 25)
        var first = 0
        var report: [String] = []
        for entry in table {
            let hits = try index.search(entry.query, filter: .init(limit: 3))
            let position = hits.firstIndex(where: entry.matches)
            if position == 0 { first += 1 }
            if position != 0 {
                report.append(
                    "\(entry.query) → \(position.map { "#\($0 + 1)" } ?? "not in top 3"): "
                        + hits.map { "\($0.runbook)#\($0.step ?? "")" }.joined(separator: ", "))
            }
            #expect(position != nil, "\(entry.query): \(hits.map { "\($0.runbook)#\($0.step ?? "") \($0.title)" })")
        }
        #expect(first >= table.count - 2, "\(first)/\(table.count) first; \(report)")
        print("relevance: \(first)/\(table.count) first\n" + report.joined(separator: "\n"))
    }

    @Test("articles are searched in full: words of their bodies find them")
    func articleBodies() async throws {
        let index = try await corpusIndex.value
        let sshd = try index.search("sshd", filter: .init(kind: .article, limit: 50))
        #expect(sshd.count > 5, "\(sshd.count)")
        let disk = try index.search("disk full", filter: .init(kind: .article, limit: 5))
        #expect(!disk.isEmpty)
    }
}
