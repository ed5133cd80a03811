import Foundation
import RunbookActions
import RunbookCore
import RunbookKB
import Testing

@testable import RunbookSite

/// Opens rendered pages in headless Chromium and looks at the DOM after the pages' scripts ran.
@Suite(
    "Pages in a real browser", .serialized,
    .enabled(if: Browser.available, "needs chromium (apt-get install chromium)"),
    .serialized)
struct BrowserTests {
    static let sshPath = repositoryRoot + "/Runbooks/ssh-connection.md"

    static func sshPage(options: RenderOptions = RenderOptions()) throws -> String {
        let text = try #require(readFile(sshPath))
        return PageRenderer(options: options).page(for: Runbook.load(text: text, path: sshPath).runbook, source: text)
    }

    /// Whether the element with `data-node=id` carries `hidden` in the dumped DOM.
    static func isHidden(_ id: String, in dom: String) -> Bool? {
        guard let range = dom.range(of: "data-node=\"\(id)\"") else { return nil }
        let start = dom[..<range.lowerBound].lastIndex(of: "<")!
        let end = dom[range.upperBound...].firstIndex(of: ">")!
        return dom[start...end].contains(" hidden")
    }

    @Test("The model switch hides the other model's sections (#model=classic, ?model=arm)")
    func modelSwitch() async throws {
        let directory = temporaryDirectory("switch")
        try Self.sshPage().write(toFile: directory + "/ssh.html", atomically: true, encoding: .utf8)
        let classic = try await Browser.dumpDOM("file://\(directory)/ssh.html#model=classic")
        #expect(classic.contains("data-active-model=\"classic\""), "the page's script ran")
        #expect(Self.isHidden("nsg-allows-ssh", in: classic) == true)
        #expect(Self.isHidden("endpoint-acl", in: classic) == false)
        #expect(Self.isHidden("dns", in: classic) == false, "steps of every model stay")
        let arm = try await Browser.dumpDOM("file://\(directory)/ssh.html?model=arm")
        #expect(Self.isHidden("nsg-allows-ssh", in: arm) == false)
        #expect(Self.isHidden("endpoint-acl", in: arm) == true)
        let all = try await Browser.dumpDOM("file://\(directory)/ssh.html")
        #expect(Self.isHidden("nsg-allows-ssh", in: all) == false)
        #expect(Self.isHidden("endpoint-acl", in: all) == false)
    }

    @Test("Call-outs, includes, anchors and tables of a legacy article are in the DOM")
    func legacyArticle() async throws {
        let path = corpus + "/ssh-family/2017/virtual-machines-linux-troubleshoot-ssh-connection.md"
        let text = try #require(readFile(path))
        let options = RenderOptions(includes: Includes(fallbackDirectories: [corpus + "/ssh-family/includes"]))
        let html = PageRenderer(options: options).page(for: Runbook.load(text: text, path: path).runbook, source: text)
        let directory = temporaryDirectory("legacy")
        try html.write(toFile: directory + "/article.html", atomically: true, encoding: .utf8)
        let dom = try await Browser.dumpDOM("file://\(directory)/article.html")
        #expect(dom.contains("<div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Note</p>"))
        #expect(dom.contains("<div class=\"include\""))
        #expect(!dom.contains("missing-include"), "its includes are found in ssh-family/includes")
        // Every in-page link (#x) points at an element that exists.
        let targets = Set(Self.matches(##"href="#([^"]+)""##, in: dom))
        let ids = Set(Self.matches(#"id="([^"]+)""#, in: dom))
        #expect(!targets.isEmpty)
        #expect(targets.subtracting(ids).sorted() == [], "anchors without a target")
    }

    @Test("A report page shows the failed step with its evidence, secrets masked")
    func reportPage() async throws {
        let text = try #require(readFile(Self.sshPath))
        let runbook = Runbook.load(text: text, path: Self.sshPath).runbook
        let report = RunReport(log: fixture("diagnosed-run.jsonl"))
        let html = report.page(for: runbook, source: text, renderer: PageRenderer())
        let directory = temporaryDirectory("report")
        try html.write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        let dom = try await Browser.dumpDOM("file://\(directory)/report.html")
        #expect(dom.contains("<section class=\"outcome outcome-diagnosed\" id=\"outcome\">"))
        #expect(dom.contains("data-active-model=\"arm\""), "the run's model is selected")
        let nsg = try #require(dom.range(of: "data-node=\"nsg-allows-ssh\""))
        let section = dom[nsg.lowerBound...].prefix(4000)
        #expect(section.contains("<span class=\"status status-fail\">fail</span>"))
        #expect(section.contains("vm1-nsg/DenyAll22 (priority 100)"))
        #expect(section.contains("Finding: The network security group denies SSH"))
        #expect(!dom.contains("hunter2"))
        // The check blocks show the values the run used, in the browser's DOM too.
        let login = try #require(dom.range(of: "id=\"block-can-log-in\""))
        #expect(
            dom[login.lowerBound...].prefix(1500).contains(
                "<var class=\"input used\" title=\"input host\">vm1.example.com</var>"))
        if ProcessInfo.processInfo.environment["RUNBOOK_SCREENSHOTS"] != nil {
            try await Browser.screenshot(
                "file://\(directory)/report.html", to: repositoryRoot + "/docs/screenshots/report.png")
            try Self.sshPage().write(toFile: directory + "/ssh.html", atomically: true, encoding: .utf8)
            try await Browser.screenshot(
                "file://\(directory)/ssh.html#model=classic",
                to: repositoryRoot + "/docs/screenshots/runbook.png")
        }
    }

    @Test("The site: SVG graphs on the runbook page, search finds the SSH runbook for publickey")
    func site() async throws {
        let directory = temporaryDirectory("site")
        let builder = SiteBuilder(
            outputDirectory: directory, runbookFiles: [Self.sshPath],
            articlesDirectory: corpus + "/ssh-family/2017",
            includes: Includes(fallbackDirectories: [corpus + "/ssh-family/includes"]),
            graphRenderer: { dot in try await Graphviz.svg(dot) },
            search: SiteBuilder.Search())
        let first = try await builder.build()
        #expect(first.written == first.pages)
        #expect(first.articles == 13)
        let again = try await builder.build()
        #expect(again.written == 0 && again.unchanged == again.pages, "a rebuild writes nothing")

        let page = try await Browser.dumpDOM("file://\(directory)/runbooks/ssh-connection.html")
        #expect(page.contains("<svg"))
        #expect(page.components(separatedBy: "<figure class=\"graph\"").count == 3, "one graph per model")
        #expect(page.contains("class=\"node\""), "Graphviz nodes are in the DOM")

        let search = try await Browser.dumpDOM("file://\(directory)/search.html?q=publickey")
        let results = try #require(search.range(of: "<ol id=\"results\""))
        let firstHit = search[results.upperBound...].prefix(300)
        #expect(firstHit.contains("href=\"runbooks/ssh-connection.html"), "the runbook or one of its steps")

        let article = try await Browser.dumpDOM(
            "file://\(directory)/articles/virtual-machines-linux-troubleshoot-ssh-connection.html")
        #expect(Self.matches(#"href="([^":#]+)\.md[#"]"#, in: article) == [], "relative .md links are rewritten")
        #expect(!Self.matches(#"href="(virtual-machines-[^":#]+\.html)"#, in: article).isEmpty)
    }

    /// A site of two runbooks (the default one second in file order) and the two legacy SSH
    /// articles of azure-docs that ssh-connection names in `sources:`, at their paths there.
    static func replacementSite() async throws -> String {
        let directory = temporaryDirectory("sources")
        let articles = directory + "/articles/virtual-machines"
        try FileManager.default.createDirectory(atPath: articles, withIntermediateDirectories: true)
        for name in [
            "virtual-machines-linux-troubleshoot-ssh-connection.md",
            "virtual-machines-linux-detailed-troubleshoot-ssh-connection.md",
        ] {
            try FileManager.default.createSymbolicLink(
                atPath: articles + "/" + name,
                withDestinationPath: corpus + "/azure-docs/articles/virtual-machines/" + name)
        }
        let builder = SiteBuilder(
            outputDirectory: directory + "/site",
            runbookFiles: [repositoryRoot + "/Runbooks/allocation-failure.md", Self.sshPath],
            articlesDirectory: directory + "/articles",
            includes: Includes(fallbackDirectories: [corpus + "/azure-docs/includes"]))
        let summary = try await builder.build()
        // allocation-failure's sources are not in this folder; ssh-connection's are.
        #expect(summary.articles == 2)
        #expect(summary.diagnostics.filter { $0.file == Self.sshPath }.isEmpty, "\(summary.diagnostics)")
        return directory + "/site"
    }

    @Test("A legacy article's page shows a visible link to the runbook that replaces it, which leads there and back")
    func replacedArticle() async throws {
        let site = try await Self.replacementSite()
        let article = "articles/virtual-machines/virtual-machines-linux-troubleshoot-ssh-connection.html"
        let link = try await Self.probe(
            site, article,
            """
            var a=document.querySelector('.replaced-by a');var r=a.getBoundingClientRect();var s=getComputedStyle(a);
            return [a.href, a.textContent, String(r.top>0&&r.bottom<innerHeight&&r.width>0&&r.height>0),
            s.visibility, s.display, String(!!a.closest('header'))];
            """)
        #expect(link.count == 6)
        #expect(link.first == "file://\(site)/runbooks/ssh-connection.html")
        #expect(link.dropFirst().first == "Troubleshoot SSH connections to a Linux VM in Azure")
        #expect(
            Array(link.dropFirst(2)) == ["true", "visible", "inline", "true"], "in the header, on the first screen")
        let runbook = try await Self.probe(
            site, "runbooks/ssh-connection.html",
            """
            var out=[document.body.getAttribute('data-runbook')];
            document.querySelectorAll('.sources a').forEach(function(a){out.push(a.href);});return out;
            """)
        #expect(
            runbook == [
                "ssh-connection", "file://\(site)/\(article)",
                "file://\(site)/articles/virtual-machines/virtual-machines-linux-detailed-troubleshoot-ssh-connection.html",
            ])
        let followed = try await Browser.dumpDOM(try #require(link.first))
        #expect(followed.contains("data-runbook=\"ssh-connection\""))
    }

    @Test("The index lists the default runbook first; index, search and other pages have the same margins")
    func indexAndMargins() async throws {
        let site = try await Self.replacementSite()
        let first = try await Self.probe(
            site, "index.html",
            """
            return Array.prototype.map.call(document.querySelectorAll('.cards li > a'),function(a){return a.getAttribute('href');});
            """)
        #expect(first == ["runbooks/ssh-connection.html", "runbooks/allocation-failure.html"])
        let measure = """
            var t=document.querySelector('.page-title').getBoundingClientRect();var l=document.querySelector('.layout');
            var c=l.firstElementChild.getBoundingClientRect();var s=getComputedStyle(l);
            return [String(t.left),String(c.left),s.paddingLeft,s.paddingRight,getComputedStyle(document.querySelector('.page-header')).paddingLeft];
            """
        let pages = [
            "index.html", "search.html", "runbooks/ssh-connection.html",
            "articles/virtual-machines/virtual-machines-linux-troubleshoot-ssh-connection.html",
        ]
        for page in pages {
            let margins = try await Self.probe(site, page, measure)
            #expect(margins == ["32", "32", "32px", "32px", "32px"], "\(page): title, content, padding")
        }
    }

    /// Runs `script` (a function body returning an array of strings) in a copy of `page` beside
    /// it (so relative links resolve the same), after the page's own script; its result.
    static func probe(_ site: String, _ page: String, _ script: String) async throws -> [String] {
        let html = try #require(readFile(site + "/" + page))
        let copy = (page as NSString).deletingLastPathComponent + "/probe-" + (page as NSString).lastPathComponent
        let injected = html.replacingOccurrences(
            of: "</body>",
            with:
                "<script>document.body.setAttribute('data-probe',JSON.stringify((function(){\(script)})()));</script></body>"
        )
        try injected.write(toFile: site + "/" + copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: site + "/" + copy) }
        let dom = try await Browser.dumpDOM("file://\(site)/\(copy)")
        let value = try #require(Self.matches(#"data-probe="([^"]*)""#, in: dom).first, "the probe ran")
        let json = value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode([String].self, from: Data(json.utf8))
    }

    @Test("No XSS payload runs in the browser")
    func payloadsDoNotRun() async throws {
        let directory = temporaryDirectory("xss")
        var pages: [(String, String)] = []
        for (number, payload) in XSS.markdown.enumerated() {
            try renderPage(XSS.markdownPage(payload)).write(
                toFile: "\(directory)/m\(number).html", atomically: true,
                encoding: .utf8)
            pages.append(("m\(number).html", payload))
        }
        for (number, payload) in XSS.metadata.enumerated() {
            try renderPage(XSS.metadataPage(payload)).write(
                toFile: "\(directory)/d\(number).html", atomically: true,
                encoding: .utf8)
            pages.append(("d\(number).html", payload))
        }
        let doms = try await withThrowingTaskGroup(of: (String, String, String).self) { group in
            var results: [(String, String, String)] = []
            var pending = pages[...]
            for _ in 0..<2 {
                guard let (file, payload) = pending.popFirst() else { break }
                group.addTask { (file, payload, try await Browser.dumpDOM("file://\(directory)/\(file)")) }
            }
            while let result = try await group.next() {
                results.append(result)
                if let (file, payload) = pending.popFirst() {
                    group.addTask { (file, payload, try await Browser.dumpDOM("file://\(directory)/\(file)")) }
                }
            }
            return results
        }
        #expect(doms.count == pages.count)
        for (file, payload, dom) in doms {
            let title = Self.matches("<title>([^<]*)</title>", in: dom).first
            let expected =
                file.hasPrefix("m")
                ? "Known title"
                : HTMLEntities.escape(payload)
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            #expect(title == expected, "\(file): \(payload)")
            #expect(!dom.contains("PWNED</title>"), "\(file): \(payload)")
            #expect(dom.contains("data-active-model=\"all\""), "\(file): the page's own script ran")
            #expect(
                Self.matches(#"<[a-z]+ [^>]*id="pwned""#, in: dom) == [], "\(file): an element with id pwned appeared")
        }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
            return Range(group, in: text).map { String(text[$0]) }
        }
    }
}

/// Runs Graphviz's `dot -Tsvg`, as the CLI does through ProcessRunner.
enum Graphviz {
    static func svg(_ dot: String) async throws -> String {
        try await ProcessRunner.run(["dot", "-Tsvg"], input: dot, timeout: .seconds(30)).standardOutput
    }
}
