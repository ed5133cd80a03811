import Foundation
import RunbookCore
import RunbookKB
import Testing

@testable import RunbookSite

/// The site's search page ranks in the browser as `runbook search` ranks in SQLite: the same
/// documents and weights (search-index.js, made by RunbookKB's SearchExport).
@Suite(
    "Search page in a real browser", .serialized,
    .enabled(if: Browser.available, "needs chromium (apt-get install chromium)"))
struct SearchPageBrowserTests {
    static let queries = [
        "Permission denied (publickey).", "ssh: connect to host vm1 port 22: Connection refused",
        "Host key verification failed", "remote desktop can't connect", "reset ssh key", "sshd", "redeploy vm",
        "The remote computer requires Network Level Authenticat",
    ]

    /// The hrefs of the results list, in order.
    static func resultLinks(_ dom: String) throws -> [String] {
        let list = try #require(dom.range(of: "<ol id=\"results\""))
        let end = dom[list.upperBound...].range(of: "</ol>")?.lowerBound ?? dom.endIndex
        let items = dom[list.upperBound..<end].components(separatedBy: "<li><a href=\"").dropFirst()
        return items.map { String($0.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&") }
    }

    @Test("the page's first three results are those of runbook search, with the query's words marked")
    func sameRankingAsSQLite() async throws {
        let directory = temporaryDirectory("search-page")
        let runbookFiles = KnowledgeBase.markdownFiles(in: repositoryRoot + "/Runbooks")
        let articles = corpus + "/ssh-family/2017"
        let builder = SiteBuilder(
            outputDirectory: directory, runbookFiles: runbookFiles, articlesDirectory: articles,
            includes: Includes(fallbackDirectories: [corpus + "/ssh-family/includes"]),
            search: SiteBuilder.Search())
        let summary = try await builder.build()
        #expect(summary.failures.isEmpty)

        // The same files in the SQLite index, and the page each hit is on.
        let index = try SearchIndex(path: directory + "/index.sqlite")
        let articleFiles = KnowledgeBase.markdownFiles(in: articles)
        _ = try await index.update(files: runbookFiles + articleFiles)
        func url(_ hit: SearchHit) -> String {
            if hit.kind == .article {
                return "articles/" + hit.path.dropFirst(articles.count + 1).dropLast(3) + ".html"
            }
            return "runbooks/\(hit.runbook).html" + (hit.step.map { "#" + $0 } ?? "")
        }

        for query in Self.queries {
            let expected = try index.search(query, filter: .init(limit: 3)).map(url)
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
            let dom = try await Browser.dumpDOM("file://\(directory)/search.html?q=\(encoded)")
            let links = try Self.resultLinks(dom)
            #expect(Array(links.prefix(3)) == expected, "\(query)")
            let first = try #require(dom.range(of: "<ol id=\"results\"")).upperBound
            #expect(dom[first...].prefix(1500).contains("<mark>"), "\(query): matched words are marked")
        }

        // Filters of the page: kind and model.
        let steps = try Self.resultLinks(
            try await Browser.dumpDOM("file://\(directory)/search.html?q=nsg&kind=step&model=arm"))
        #expect(!steps.isEmpty && steps.allSatisfy { $0.contains("#") }, "\(steps)")
        #expect(!steps.contains("runbooks/ssh-connection.html#endpoint-acl"), "a classic-only step")
    }
}
