public import Foundation
public import RunbookCore
import RunbookKB
import Synchronization

/// Builds the static knowledge-base site: an index, one page per runbook and article, the step
/// graphs as inline SVG, and search that works from `file://` (a prebuilt `search-index.js`).
///
/// A rebuild decides before rendering which pages may have changed (``SiteManifest``: the source
/// file's size and time, the includes it uses, the renderer and the options), renders only those,
/// and writes only the pages whose bytes changed; pages whose source is gone are removed.
public struct SiteBuilder: Sendable {
    /// Turns Graphviz `dot` source into SVG (the CLI runs `dot -Tsvg`); `nil` leaves graphs out.
    public typealias GraphRenderer = @Sendable (String) async throws -> String
    /// Called each time a page is done (rendered, or found unchanged): pages done, pages in all.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    public var outputDirectory: String
    /// Runbook files (a knowledge base folder).
    public var runbookFiles: [String]
    /// The folder of legacy articles, whose structure the site keeps (so relative links work).
    public var articlesDirectory: String?
    public var includes: Includes
    public var graphRenderer: GraphRenderer?
    /// Makes `search-index.js` (``Search``); `nil` leaves search out.
    public var search: Search?
    public var workers: Int
    public var progress: Progress?

    public init(
        outputDirectory: String, runbookFiles: [String], articlesDirectory: String? = nil,
        includes: Includes = Includes(), graphRenderer: GraphRenderer? = nil,
        search: Search? = nil,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, progress: Progress? = nil
    ) {
        self.outputDirectory = outputDirectory
        self.runbookFiles = runbookFiles
        self.articlesDirectory = articlesDirectory
        self.includes = includes
        self.graphRenderer = graphRenderer
        self.search = search
        self.workers = workers
        self.progress = progress
    }

    public struct Summary: Sendable {
        /// Pages of this build, including the index, the search page and the search index.
        public var pages = 0
        /// Pages written (new or changed bytes).
        public var written = 0
        /// Pages left as they were (not rendered, or rendered to the same bytes).
        public var unchanged = 0
        /// Pages of the last build whose source is gone, deleted.
        public var removed = 0
        /// Runbook and article pages rendered (the others were known unchanged without rendering).
        public var rendered = 0
        public var runbooks = 0
        public var articles = 0
        /// Files that could not be read or written.
        public var failures: [String] = []
        /// Runbooks' `sources:` that name no article of the articles folder.
        public var diagnostics: [Diagnostic] = []
    }

    /// One page of the site, with what the index and search need to know about it.
    struct Entry: Sendable, Codable, Equatable {
        var url: String
        var title: String
        var summary: String
        var keywords: [String]
        /// Normalised (``ServiceName``).
        var services: [String]
        var models: [Model]
        var headings: String
        var isRunbook: Bool
        /// The knowledge base's default runbook (front matter `default: true`).
        var isDefault = false
    }

    /// A runbook or article page done: its record for the manifest, and what happened to it.
    struct Page: Sendable {
        var url: String
        var record: SiteManifest.Record?
        var outcome: SiteManifest.Outcome
        var rendered: Bool
        /// The source, when it could not be read.
        var unreadable: String?
        /// The source's search documents, when it was read and parsed (and the site has search).
        var documents: [SearchDocument]?
    }

    public func build() async throws -> Summary {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let manifest = SiteManifest(directory: outputDirectory)
        // A build reads every file afresh (an `Includes` caches what it read).
        let includes = Includes(fallbackDirectories: includes.fallbackDirectories)
        var summary = Summary()
        var records: [String: SiteManifest.Record] = [:]
        var documents: [String: [SearchDocument]] = [:]
        func tally(_ page: Page) {
            summary.pages += 1
            if page.rendered { summary.rendered += 1 }
            switch page.outcome {
            case .written: summary.written += 1
            case .unchanged: summary.unchanged += 1
            case .failed: summary.failures.append(outputDirectory + "/" + page.url)
            }
            if let unreadable = page.unreadable { summary.failures.append(unreadable) }
            if let record = page.record { records[page.url] = record }
            if let parsed = page.documents { documents[page.url] = parsed }
        }

        let runbooks = runbookFiles.compactMap { file -> LoadedRunbook? in
            // Stamped before reading: a file changed in between is rendered again next time.
            let stamp = FileStamp.of(file)
            guard let text = Self.read(file) else {
                summary.failures.append(file)
                return nil
            }
            return LoadedRunbook(
                file: file, text: text, stamp: stamp, runbook: Runbook.load(text: text, path: file).runbook)
        }
        let base = articlesDirectory.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let articleFiles = base.map(KnowledgeBase.markdownFiles) ?? []
        let counter = ProgressCounter(total: runbooks.count + articleFiles.count + 3, report: progress)

        // Articles first: a runbook's page links to its sources by their titles.
        var replacements: [String: [PageLink]] = [:]
        for loaded in runbooks {
            for source in loaded.runbook.sources {
                replacements[source.path, default: []].append(PageLink(title: loaded.runbook.title, href: loaded.url))
            }
        }
        var articleEntries: [String: Entry] = [:]
        var articleSources: [(file: String, url: String)] = []
        var entries: [Entry] = []
        if let base {
            let pages = await articlePages(
                articleFiles, base: base, replacements: replacements, manifest: manifest,
                includes: includes, counter: counter)
            for (file, page) in zip(articleFiles, pages) {
                tally(page)
                guard let entry = page.record?.entry else { continue }
                articleEntries[String(file.dropFirst(base.count + 1))] = entry
                articleSources.append((file, page.url))
                entries.append(entry)
                summary.articles += 1
            }
            let known = Set(articleFiles.map { String($0.dropFirst(base.count + 1)) })
            for loaded in runbooks {
                summary.diagnostics += Linter.lintSources(loaded.runbook, articles: known, articlesDirectory: base)
            }
        }

        var runbookEntries: [Entry] = []
        for loaded in runbooks {
            let page = await runbookPage(loaded, articles: articleEntries, manifest: manifest, includes: includes)
            counter.step()
            tally(page)
            if let entry = page.record?.entry { runbookEntries.append(entry) }
            summary.runbooks += 1
        }
        entries = runbookEntries + entries

        // The pages made from every entry are made again only when an entry or their order changed.
        let sameEntries = manifest.sameEntries(as: records)
        let order = entries.map(\.url).joined(separator: "\n")
        // The search index holds the documents of every source (and of its includes): it is made
        // again when any source or include changed, parsing only the sources parsed for their pages.
        func stamp(_ stamp: FileStamp?) -> String { "\(stamp?.size ?? -1)\u{0}\(stamp?.modified ?? 0)" }
        let sourceStamps = records.keys.sorted().map { url -> String in
            let record = records[url]
            return
                ([url, stamp(record?.source)]
                + (record?.includes ?? []).map { ($0.file ?? "-") + "\u{0}" + stamp($0.stamp) })
                .joined(separator: "\u{0}")
        }.joined(separator: "\n")
        var wholeSite: [(url: String, extra: String, make: () async -> String)] = [
            ("index.html", "", { SiteIndex.indexPage(entries) }),
            ("search.html", "", { SiteIndex.searchPage() }),
        ]
        if let search {
            let sources = runbooks.map { ($0.file, $0.url) } + articleSources
            let extra = sourceStamps + "\u{0}expand=\(search.expandsIncludes)"
            wholeSite.append(
                (
                    "search-index.js", extra,
                    { [records, documents] in
                        await searchScript(
                            search, sources: sources, parsed: documents, records: records, includes: includes)
                    }
                ))
        } else {
            SiteSearchCache(directory: outputDirectory, expandsIncludes: false).remove()
        }
        for page in wholeSite {
            let url = page.url
            let inputs = SiteManifest.inputsHash(url + "\u{0}" + order + "\u{0}" + page.extra)
            counter.step()
            if sameEntries, let record = manifest.unchanged(url, source: nil, inputs: inputs, includes: nil) {
                tally(Page(url: url, record: record, outcome: .unchanged, rendered: false))
                continue
            }
            let (record, outcome) = manifest.write(
                Array(await page.make().utf8), to: url,
                record: SiteManifest.Record(
                    source: nil, inputs: inputs, hash: "", written: FileStamp(size: -1, modified: 0)))
            tally(Page(url: url, record: record, outcome: outcome, rendered: false))
        }
        summary.removed = manifest.removeStale(keeping: records)
        try manifest.save(records)
        return summary
    }

    struct LoadedRunbook: Sendable {
        var file: String
        var text: String
        var stamp: FileStamp?
        var runbook: Runbook

        var url: String { "runbooks/\(SiteBuilder.safeName(runbook.id)).html" }
    }

    /// A runbook's page, rendered (with its graphs) unless the manifest shows it unchanged.
    func runbookPage(
        _ loaded: LoadedRunbook, articles: [String: Entry], manifest: SiteManifest,
        includes: Includes
    ) async -> Page {
        let runbook = loaded.runbook
        let url = loaded.url
        var entry = Self.entry(runbook, url: url, isRunbook: true)
        entry.isDefault = runbook.isDefault
        let sources = runbook.sources.map { source in
            articles[source.path].map { PageLink(title: $0.title, href: "../" + $0.url) }
                ?? PageLink(title: source.path, href: nil)
        }
        var options = RenderOptions(
            includes: includes, rewritesMarkdownLinks: true, homeLink: "../index.html",
            sourceArticles: sources)
        let inputs = SiteManifest.inputsHash(options.fingerprint + "\u{0}graphs=\(graphRenderer != nil)")
        if var record = manifest.unchanged(url, source: loaded.stamp, inputs: inputs, includes: includes) {
            record.entry = entry
            return Page(url: url, record: record, outcome: .unchanged, rendered: false)
        }
        if let graphRenderer {
            let models = runbook.models.isEmpty ? [runbook.defaultModel ?? "default"] : runbook.models.map(\.id)
            for model in models {
                guard let graph = try? StepGraph(runbook: runbook, model: model) else { continue }
                if let svg = try? await graphRenderer(GraphExport.dot(graph)) { options.graphs.append((model, svg)) }
            }
        }
        let html = PageRenderer(options: options).page(for: runbook, source: loaded.text)
        let record = SiteManifest.Record(
            source: loaded.stamp, inputs: inputs, includes: includes.dependencies(of: loaded.text, path: loaded.file),
            hash: "", written: FileStamp(size: -1, modified: 0), entry: entry)
        let (written, outcome) = manifest.write(Array(html.utf8), to: url, record: record)
        let searched = searchText(loaded.text, path: loaded.file, includes: includes)
        return Page(
            url: url, record: written, outcome: outcome, rendered: true,
            documents: searched.map { SearchDocument.documents(text: $0, path: loaded.file) })
    }

    /// The articles' pages on `workers` tasks, each rendered and written unless the manifest
    /// shows it unchanged; in the order of `files`.
    func articlePages(
        _ files: [String], base: String, replacements: [String: [PageLink]], manifest: SiteManifest,
        includes: Includes, counter: ProgressCounter
    ) async -> [Page] {
        let lanes = max(1, workers)
        let next = FileCounter()
        return await withTaskGroup(of: [(Int, Page)].self) { group in
            for _ in 0..<lanes {
                group.addTask {
                    var results: [(Int, Page)] = []
                    while true {
                        let index = next.take()
                        guard index < files.count else { break }
                        let relative = String(files[index].dropFirst(base.count + 1))
                        results.append(
                            (
                                index,
                                articlePage(
                                    files[index], relative: relative,
                                    replacedBy: replacements[relative] ?? [],
                                    manifest: manifest, includes: includes)
                            ))
                        counter.step()
                    }
                    return results
                }
            }
            var all = [Page?](repeating: nil, count: files.count)
            for await part in group { for (index, page) in part { all[index] = page } }
            return all.map { $0! }
        }
    }

    /// One article's page; `replacedBy` links (relative to the site's root) to the runbooks that replace it.
    func articlePage(
        _ file: String, relative: String, replacedBy: [PageLink], manifest: SiteManifest,
        includes: Includes
    ) -> Page {
        let url = "articles/" + relative.dropLast(3) + ".html"
        let up = String(repeating: "../", count: url.split(separator: "/").count - 1)
        let options = RenderOptions(
            includes: includes, rewritesMarkdownLinks: true, homeLink: up + "index.html",
            replacedBy: replacedBy.map { PageLink(title: $0.title, href: $0.href.map { up + $0 }) })
        let inputs = SiteManifest.inputsHash(options.fingerprint)
        let stamp = FileStamp.of(file)
        if let record = manifest.unchanged(url, source: stamp, inputs: inputs, includes: includes) {
            return Page(url: url, record: record, outcome: .unchanged, rendered: false)
        }
        guard let text = Self.read(file) else {
            return Page(url: url, record: nil, outcome: .unchanged, rendered: false, unreadable: file)
        }
        // The search documents come from the page's parse when it parsed the very text they are of
        // (no include, or includes not expanded into them, and no byte-order mark).
        var unparsed = searchText(text, path: file, includes: includes)
        var documents: [SearchDocument]?
        let dependencies = includes.dependencies(of: text, path: file)
        let renderer = PageRenderer(options: options)
        let (runbook, html) = renderer.pageBytes(loading: text, path: file) { runbook, parsed, parsedText in
            guard let searched = unparsed, parsedText.utf8.elementsEqual(searched.utf8) else { return }
            documents = SearchDocument.documents(loaded: runbook, tree: parsed?.tree, text: parsedText)
            unparsed = nil
        }
        if let unparsed { documents = SearchDocument.documents(text: unparsed, path: file) }
        let record = SiteManifest.Record(
            source: stamp, inputs: inputs, includes: dependencies, hash: "",
            written: FileStamp(size: -1, modified: 0), entry: Self.entry(runbook, url: url, isRunbook: false))
        let (written, outcome) = manifest.write(html, to: url, record: record)
        return Page(url: url, record: written, outcome: outcome, rendered: true, documents: documents)
    }

    static func entry(_ runbook: Runbook, url: String, isRunbook: Bool) -> Entry {
        let titles = runbook.sections.map(\.title) + runbook.steps.map(\.title)
        var services: [String] = []
        for service in runbook.services.map(ServiceName.normalized) where !services.contains(service) {
            services.append(service)
        }
        return Entry(
            url: url, title: runbook.title, summary: runbook.summary, keywords: runbook.keywords,
            services: services, models: runbook.models,
            headings: String(titles.joined(separator: " · ").prefix(600)), isRunbook: isRunbook)
    }

    static func read(_ path: String) -> String? {
        TextFile.read(path)
    }

    static func safeName(_ id: String) -> String {
        let name = String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        return name.isEmpty ? "runbook" : name
    }
}

/// Counts the pages done and tells ``SiteBuilder/progress``.
final class ProgressCounter: Sendable {
    let total: Int
    let report: SiteBuilder.Progress?
    private let done = Atomic<Int>(0)

    init(total: Int, report: SiteBuilder.Progress?) {
        self.total = total
        self.report = report
    }

    func step() {
        let count = done.add(1, ordering: .relaxed).newValue
        report?(count, total)
    }
}
