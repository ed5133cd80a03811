import Foundation
import RunbookCore
import RunbookKB
import Testing

@testable import RunbookSite

/// `search-index.js` made again from the documents the site parsed for its pages and those it kept
/// (``SiteSearchCache``): always the bytes a cold build makes.
@Suite("Site search cache")
struct SiteSearchCacheTests {
    /// `search-index.js` of a cold build of the fixture as it is now, into a folder of its own.
    func coldIndex(_ site: SiteFixture, _ name: String) async throws -> String {
        let folder = site.root + "/cold-" + name
        _ = try await site.builder(into: folder).build()
        return try #require(readFile(folder + "/search-index.js"))
    }

    func cache(_ site: SiteFixture) -> SiteSearchCache {
        SiteSearchCache(directory: site.output, expandsIncludes: true)
    }

    @Test(
        "The site's documents are those runbook search reads from the files, includes expanded or not",
        arguments: [true, false])
    func sameAsSearchExport(expandsIncludes: Bool) async throws {
        let site = try SiteFixture()
        // Besides a.md to c.md (with includes): an article without any, one with a byte-order mark,
        // one with front matter (the page's parse serves the search documents of the first and the third).
        try site.write(
            "articles/d.md", SiteFixture.article(title: "Article D", service: "DNS", body: "Plain \u{A0}text."))
        try site.write(
            "articles/e.md", "\u{FEFF}" + SiteFixture.article(title: "Article E", service: "DNS", body: "Marked."))
        try site.write(
            "articles/f.md", "---\nid: f\ntitle: Article F\nkeywords: [fronted]\n---\n\n# Article F\n\nBody.\n")
        _ = try await site.builder(expandsIncludes: expandsIncludes).build()
        let includes = Includes()
        let articles = KnowledgeBase.markdownFiles(in: site.articles).map { file in
            (path: file, url: "articles/" + file.dropFirst(site.articles.count + 1).dropLast(3) + ".html")
        }
        let expand: SearchIndex.IncludeExpander? =
            expandsIncludes ? { @Sendable path, text in includes.expanded(text, path: path) } : nil
        let reference = await SearchExport.script(
            files: [(site.runbook, "runbooks/ssh.html")] + articles, expand: expand)
        #expect(site.page("search-index.js") == reference)
        #expect(reference.contains("e.html") && reference.contains("fronted") && reference.contains("Plain text."))
        #expect(reference.contains("Nested text.") == expandsIncludes)
    }

    @Test("A touched article: the index is the cold build's, and the other sources' documents come from the cache")
    func touched() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        let cold = site.page("search-index.js")
        #expect(
            await cache(site).load().keys.sorted() == [
                "articles/c.html", "articles/vm/a.html",
                "articles/vm/b.html", "runbooks/ssh.html",
            ])
        try site.write("articles/c.md", try #require(readFile(site.articles + "/c.md")))
        let summary = try await site.builder().build()
        #expect(summary.rendered == 1)
        #expect(site.page("search-index.js") == cold)

        // A word planted in the kept documents of a.md shows that a.md is not parsed again when
        // c.md is touched; touching a.md then replaces them.
        var kept = await cache(site).load()
        let planted = try #require(kept["articles/vm/a.html"]).item
        kept["articles/vm/a.html"] = .init(item: planted)
        kept["articles/vm/a.html"]?.item.documents[0].body += " plantedword"
        cache(site).save(kept.map { ($0.key, $0.value) })
        try site.write("articles/c.md", try #require(readFile(site.articles + "/c.md")))
        _ = try await site.builder().build()
        #expect(site.page("search-index.js").contains("plantedword"))
        try site.write("articles/vm/a.md", try #require(readFile(site.articles + "/vm/a.md")))
        _ = try await site.builder().build()
        #expect(!site.page("search-index.js").contains("plantedword"))
        #expect(site.page("search-index.js") == cold)
        #expect(await cache(site).load()["articles/vm/a.html"]?.item.documents == planted.documents)
    }

    @Test("A new word in an article's body is found in the index, which is the cold build's")
    func changedBody() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        try site.write(
            "articles/vm/a.md",
            SiteFixture.article(
                title: "Article A", service: "app-service\\web",
                body: "quokkaword\n\n[AZURE.INCLUDE [one](../../includes/one.md)]"))
        _ = try await site.builder().build()
        #expect(site.page("search-index.js").contains("quokkaword"))
        #expect(site.page("search-index.js") == (try await coldIndex(site, "body")))
        #expect(
            await cache(site).load()["articles/vm/a.html"]?.item.documents.first?.body.contains("quokkaword") == true)
    }

    @Test("Documents kept for an earlier version of a source or include are not used")
    func staleCache() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        let path = site.output + "/" + SiteSearchCache.fileName
        let old = try #require(FileManager.default.contents(atPath: path))
        try site.write(
            "articles/vm/a.md",
            SiteFixture.article(
                title: "Article A", service: "app-service\\web",
                body: "dingoword\n\n[AZURE.INCLUDE [one](../../includes/one.md)]"))
        try site.write("includes/nested.md", "Nested bilbyword.")
        _ = try await site.builder().build()
        // The cache of the first build comes back, as if this one had not written it.
        try old.write(to: URL(fileURLWithPath: path))
        try site.write("articles/c.md", try #require(readFile(site.articles + "/c.md")))
        let summary = try await site.builder().build()
        #expect(summary.rendered == 1)
        #expect(
            site.page("search-index.js").contains("dingoword") && site.page("search-index.js").contains("bilbyword"))
        #expect(site.page("search-index.js") == (try await coldIndex(site, "stale")))
    }

    @Test("A changed nested include: the index is the cold build's, with the include's new word")
    func changedInclude() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        try site.write("includes/nested.md", "Nested numbatword.")
        let summary = try await site.builder().build()
        #expect(summary.rendered == 1)
        #expect(site.page("search-index.js").contains("numbatword"))
        #expect(site.page("search-index.js") == (try await coldIndex(site, "include")))
    }

    @Test("A removed article: its documents leave the index and the cache; the index is the cold build's")
    func removedArticle() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        #expect(site.page("search-index.js").contains("Article C"))
        try FileManager.default.removeItem(atPath: site.articles + "/c.md")
        _ = try await site.builder().build()
        #expect(!site.page("search-index.js").contains("Article C"))
        #expect(site.page("search-index.js") == (try await coldIndex(site, "removed")))
        #expect(await cache(site).load()["articles/c.html"] == nil)
    }

    @Test("A missing, damaged or other version's cache is not used, nor a damaged line: the sources are read again")
    func unusableCache() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        let cold = site.page("search-index.js")
        let path = site.output + "/" + SiteSearchCache.fileName
        for damage in ["missing", "garbage", "version", "expansion", "line"] {
            // Kept documents emptied: used, they would leave the sources out of the index.
            let kept = await cache(site).load()
            var header = SiteSearchCache.Header(expandsIncludes: damage != "expansion")
            if damage == "version" { header.version += 1 }
            var lines = [String(decoding: try JSONEncoder().encode(header), as: UTF8.self)]
            for (url, old) in kept.sorted(by: { $0.key < $1.key }) {
                var item = old.item
                // A damaged line: the others stay as they were.
                if damage != "line" || url == "articles/vm/a.html" { item.documents = [] }
                let line = String(
                    decoding: try JSONEncoder().encode(SiteSearchCache.Line(url: url, item: item)), as: UTF8.self)
                lines.append(damage == "line" && url == "articles/vm/a.html" ? String(line.dropLast(3)) : line)
            }
            switch damage {
            case "missing": try FileManager.default.removeItem(atPath: path)
            case "garbage": try "{\"version\": 1, \"expa".write(toFile: path, atomically: true, encoding: .utf8)
            default: try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            }
            try site.write("articles/c.md", try #require(readFile(site.articles + "/c.md")))
            _ = try await site.builder().build()
            #expect(site.page("search-index.js") == cold, "\(damage)")
            #expect(
                await cache(site).load().values.allSatisfy { !$0.item.documents.isEmpty }, "\(damage): written again")
            #expect(await cache(site).load().count == 4, "\(damage)")
        }
    }

    @Test("A site without search keeps no cache")
    func withoutSearch() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        let path = site.output + "/" + SiteSearchCache.fileName
        #expect(FileManager.default.fileExists(atPath: path))
        var builder = site.builder()
        builder.search = nil
        _ = try await builder.build()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: site.output + "/search-index.js"))
    }
}
