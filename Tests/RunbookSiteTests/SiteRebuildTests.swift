import Foundation
import RunbookCore
import RunbookKB
import Testing

@testable import RunbookSite

/// A small site on disk: a runbook that replaces one article, three articles, includes (one
/// nested, one missing), built into `site/`.
struct SiteFixture {
    let root = temporaryDirectory("rebuild")
    var articles: String { root + "/articles" }
    var output: String { root + "/site" }
    var runbook: String { root + "/kb/ssh.md" }

    init() throws {
        try write("kb/ssh.md", Self.runbook(title: "Fix SSH"))
        try write(
            "articles/vm/a.md",
            Self.article(
                title: "Article A", service: "app-service\\web",
                body: "[AZURE.INCLUDE [one](../../includes/one.md)]"))
        try write(
            "articles/vm/b.md",
            Self.article(
                title: "Article B", service: "App-Service/Web",
                body: "[AZURE.INCLUDE [two](../../includes/two.md)]"))
        try write(
            "articles/c.md",
            Self.article(
                title: "Article C", service: "DNS",
                body: "[AZURE.INCLUDE [missing](../includes/missing.md)]"))
        try write("includes/one.md", "Included one.")
        try write("includes/two.md", "Included two.\n\n[AZURE.INCLUDE [nested](nested.md)]")
        try write("includes/nested.md", "Nested text.")
    }

    static func runbook(title: String) -> String {
        """
        ---
        id: ssh
        title: \(title)
        models: {arm: Resource Manager}
        default: true
        verify: done
        sources: [vm/a.md]
        ---

        # \(title)

        ## Done {#done}

        Log in.
        """
    }

    static func article(title: String, service: String, body: String) -> String {
        "<properties pageTitle=\"\(title)\" services=\"\(service)\"/>\n\n# \(title)\n\nText.\n\n\(body)\n"
    }

    /// Writes a file with a modification time later than any before (file times can be coarser
    /// than two quick writes apart).
    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        let old = FileStamp.of(path)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        if let old {
            let later = Date(timeIntervalSince1970: Double(old.modified) / 1e9 + 10)
            try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: path)
        }
    }

    /// Builds into `output`, or another folder.
    func builder(
        includeDirectories: [String] = [], graphs: Bool = false, into folder: String? = nil,
        expandsIncludes: Bool = true
    ) -> SiteBuilder {
        SiteBuilder(
            outputDirectory: folder ?? output, runbookFiles: [runbook], articlesDirectory: articles,
            includes: Includes(fallbackDirectories: includeDirectories),
            graphRenderer: graphs ? { @Sendable _ in "<svg><text>graph</text></svg>" } : nil,
            search: SiteBuilder.Search(expandsIncludes: expandsIncludes))
    }

    func page(_ url: String) -> String { readFile(output + "/" + url) ?? "" }

    /// Every file of the output folder with its size, time and inode: equal when nothing was written.
    func snapshot() throws -> [String: [Int]] {
        var files: [String: [Int]] = [:]
        for relative in FileManager.default.enumerator(atPath: output)?.allObjects as? [String] ?? [] {
            var info = stat()
            guard stat(output + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            files[relative] = [
                Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_ino),
            ]
        }
        return files
    }
}

@Suite("Site rebuilds")
struct SiteRebuildTests {
    @Test("A rebuild with nothing changed renders nothing and writes nothing")
    func noChange() async throws {
        let site = try SiteFixture()
        let cold = try await site.builder().build()
        #expect(cold.rendered == 4 && cold.written == cold.pages && cold.pages == 7)
        #expect(cold.runbooks == 1 && cold.articles == 3 && cold.removed == 0)
        let before = try site.snapshot()
        #expect(before.keys.contains(".runbook-site.json"))
        let again = try await site.builder().build()
        #expect(again.rendered == 0)
        #expect(again.written == 0 && again.unchanged == again.pages && again.removed == 0)
        #expect(try site.snapshot() == before, "no file of the output folder was written")
    }

    @Test("A changed include renders again the pages that use it, directly or through another include")
    func changedInclude() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        try site.write("includes/nested.md", "Nested text, changed.")
        let nested = try await site.builder().build()
        #expect(nested.rendered == 1)
        #expect(site.page("articles/vm/b.html").contains("Nested text, changed."))
        try site.write("includes/one.md", "Included one, changed.")
        let direct = try await site.builder().build()
        #expect(direct.rendered == 1)
        #expect(site.page("articles/vm/a.html").contains("Included one, changed."))
        #expect(site.page("articles/c.html").contains("missing-include"))
        try site.write("includes/missing.md", "Found at last.")
        let appeared = try await site.builder().build()
        #expect(appeared.rendered == 1, "an include that was missing and now exists")
        #expect(site.page("articles/c.html").contains("Found at last."))
        #expect(!site.page("articles/c.html").contains("missing-include"))
    }

    @Test("A changed option renders again the pages it changes")
    func changedOption() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        let withIncludes = try await site.builder(includeDirectories: [site.root + "/includes"]).build()
        #expect(withIncludes.rendered == 4, "the includes folders are an option of every page")
        let withGraphs = try await site.builder(includeDirectories: [site.root + "/includes"], graphs: true).build()
        #expect(withGraphs.rendered == 1, "graphs are on the runbook's page only")
        #expect(site.page("runbooks/ssh.html").contains("<svg><text>graph</text></svg>"))
        try site.write("kb/ssh.md", SiteFixture.runbook(title: "Repair SSH"))
        let retitled = try await site.builder(includeDirectories: [site.root + "/includes"], graphs: true).build()
        #expect(retitled.rendered == 2, "the runbook, and the article whose page names it")
        #expect(site.page("articles/vm/a.html").contains("Repair SSH</a>"))
    }

    @Test("A source touched but unchanged is rendered and not written; a page changed on disk is written again")
    func touchedAndTampered() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        try site.write("articles/c.md", try #require(readFile(site.articles + "/c.md")))
        let touched = try await site.builder().build()
        #expect(touched.rendered == 1 && touched.written == 0)
        try "edited by hand".write(toFile: site.output + "/articles/vm/b.html", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: site.output + "/articles/c.html")
        let repaired = try await site.builder().build()
        #expect(repaired.rendered == 2 && repaired.written == 2)
        #expect(site.page("articles/vm/b.html").contains("Nested text."))
        #expect(FileManager.default.fileExists(atPath: site.output + "/articles/c.html"))
    }

    @Test("A word added to an article's body (same title and headings) reaches the search index")
    func bodyChangeReachesSearch() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        #expect(!site.page("search-index.js").contains("zanzibarword"))
        try site.write("articles/c.md", SiteFixture.article(title: "Article C", service: "DNS", body: "zanzibarword"))
        let summary = try await site.builder().build()
        #expect(summary.rendered == 1 && summary.written == 2, "the article's page and search-index.js")
        #expect(site.page("search-index.js").contains("zanzibarword"))
    }

    @Test("A word added to an include reaches the search index of the articles that use it")
    func includeChangeReachesSearch() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        #expect(site.page("search-index.js").contains("nested"))
        #expect(!site.page("search-index.js").contains("wombatword"))
        try site.write("includes/nested.md", "Nested wombatword.")
        let summary = try await site.builder().build()
        #expect(summary.rendered == 1, "the article whose include changed")
        #expect(site.page("search-index.js").contains("wombatword"))
    }

    @Test("The page of a deleted article is removed, and the index no longer lists it")
    func removed() async throws {
        let site = try SiteFixture()
        _ = try await site.builder().build()
        try FileManager.default.removeItem(atPath: site.articles + "/c.md")
        let summary = try await site.builder().build()
        #expect(summary.removed == 1 && summary.rendered == 0 && summary.articles == 2)
        #expect(!FileManager.default.fileExists(atPath: site.output + "/articles/c.html"))
        #expect(!site.page("index.html").contains("Article C"))
    }

    @Test("An article names the runbook that replaces it, and the runbook's page links back")
    func replacementLinks() async throws {
        let site = try SiteFixture()
        let summary = try await site.builder().build()
        #expect(summary.diagnostics.isEmpty)
        let article = site.page("articles/vm/a.html")
        #expect(
            article.contains(
                "<aside class=\"replaced-by\" role=\"note\"><p><strong>This article is replaced by a "
                    + "runbook:</strong> <a href=\"../../runbooks/ssh.html\">Fix SSH</a></p></aside>"))
        #expect(!site.page("articles/vm/b.html").contains("class=\"replaced-by\""))
        #expect(
            site.page("runbooks/ssh.html").contains(
                "<dt>Replaces</dt><dd class=\"sources\"><a href=\"../articles/vm/a.html\">Article A</a></dd>"))
        try site.write(
            "kb/ssh.md",
            SiteFixture.runbook(title: "Fix SSH").replacingOccurrences(
                of: "sources: [vm/a.md]", with: "sources: [vm/a.md, vm/gone.md]"))
        let unknown = try await site.builder().build()
        #expect(
            unknown.diagnostics.map(\.description).first?.hasPrefix(
                site.runbook + ":7:20: error: no article 'vm/gone.md' in " + site.articles) == true,
            "\(unknown.diagnostics)")
        #expect(
            site.page("runbooks/ssh.html").contains("<a href=\"../articles/vm/a.html\">Article A</a> · vm/gone.md</dd>")
        )
    }

    @Test("Service names are grouped in one spelling; the default runbook is listed first")
    func index() async throws {
        #expect(ServiceName.normalized("app-service\\web") == "app-service/web")
        #expect(ServiceName.normalized(" App-Service/Web ") == "app-service/web")
        #expect(ServiceName.normalized("DNS") == "dns")
        #expect(ServiceName.normalized("Resource  health") == "resource-health")
        let site = try SiteFixture()
        _ = try await site.builder().build()
        let index = site.page("index.html")
        #expect(index.contains("<summary>app-service/web (2)</summary>"))
        #expect(index.contains("<summary>dns (1)</summary>"))
        #expect(!index.contains("app-service\\web"))
        func entry(_ title: String, isDefault: Bool) -> SiteBuilder.Entry {
            SiteBuilder.Entry(
                url: title + ".html", title: title, summary: "", keywords: [], services: [], models: [],
                headings: "", isRunbook: true, isDefault: isDefault)
        }
        let page = SiteIndex.indexPage([
            entry("first", isDefault: false), entry("main", isDefault: true),
            entry("third", isDefault: false),
        ])
        let order = ["first", "main", "third"].map { page.range(of: "href=\"\($0).html\"")!.lowerBound }
        #expect(order[1] < order[0] && order[0] < order[2])
    }
}
