public import Foundation
import RunbookCore

/// Builds the static knowledge-base site: an index, one page per runbook and article, the step
/// graphs as inline SVG, and search that works from `file://` (a prebuilt `search-index.js`).
///
/// Pages whose content did not change since the last build are not written again: the hash of
/// each page is kept in `.runbook-site.json` in the output folder.
public struct SiteBuilder: Sendable {
    /// Turns Graphviz `dot` source into SVG (the CLI runs `dot -Tsvg`); `nil` leaves graphs out.
    public typealias GraphRenderer = @Sendable (String) async throws -> String

    public var outputDirectory: String
    /// Runbook files (a knowledge base folder).
    public var runbookFiles: [String]
    /// The folder of legacy articles, whose structure the site keeps (so relative links work).
    public var articlesDirectory: String?
    public var includes: Includes
    public var graphRenderer: GraphRenderer?
    /// Writes `search-index.js` for the files of the site (the CLI hands in the knowledge base's
    /// search export, so the page ranks as `runbook search` does); `nil` leaves search out.
    public var searchIndex: SearchIndexWriter?
    public var workers: Int

    /// A source file of the site and the page that shows it.
    public struct SearchSource: Sendable {
        public var path: String
        public var url: String
    }

    public typealias SearchIndexWriter = @Sendable ([SearchSource]) async -> String

    public init(outputDirectory: String, runbookFiles: [String], articlesDirectory: String? = nil,
                includes: Includes = Includes(), graphRenderer: GraphRenderer? = nil,
                searchIndex: SearchIndexWriter? = nil,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.outputDirectory = outputDirectory
        self.runbookFiles = runbookFiles
        self.articlesDirectory = articlesDirectory
        self.includes = includes
        self.graphRenderer = graphRenderer
        self.searchIndex = searchIndex
        self.workers = workers
    }

    public struct Summary: Sendable {
        public var pages = 0
        public var written = 0
        public var unchanged = 0
        public var runbooks = 0
        public var articles = 0
        public var failures: [String] = []
    }

    /// One page of the site, with what the index and search need to know about it.
    struct Entry: Sendable {
        var url: String
        var title: String
        var summary: String
        var keywords: [String]
        var services: [String]
        var models: [Model]
        var headings: String
        var isRunbook: Bool
    }

    public func build() async throws -> Summary {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var manifest = SiteManifest(path: outputDirectory + "/.runbook-site.json")
        var summary = Summary()
        var entries: [Entry] = []
        var sources: [SearchSource] = []

        for file in runbookFiles {
            guard let text = Self.read(file) else {
                summary.failures.append(file)
                continue
            }
            let runbook = Runbook.load(text: text, path: file).runbook
            var graphs: [(model: String, svg: String)] = []
            if let graphRenderer {
                let models = runbook.models.isEmpty ? [runbook.defaultModel ?? "default"] : runbook.models.map(\.id)
                for model in models {
                    guard let graph = try? StepGraph(runbook: runbook, model: model) else { continue }
                    if let svg = try? await graphRenderer(GraphExport.dot(graph)) { graphs.append((model, svg)) }
                }
            }
            let options = RenderOptions(includes: includes, rewritesMarkdownLinks: true, homeLink: "../index.html",
                                        graphs: graphs)
            let url = "runbooks/\(Self.safeName(runbook.id)).html"
            let html = PageRenderer(options: options).page(for: runbook, source: text)
            manifest.write(html, to: url, in: outputDirectory, summary: &summary)
            entries.append(Self.entry(runbook, url: url, isRunbook: true))
            sources.append(SearchSource(path: file, url: url))
            summary.runbooks += 1
        }

        if let articlesDirectory {
            let base = articlesDirectory.hasSuffix("/") ? String(articlesDirectory.dropLast()) : articlesDirectory
            let files = KnowledgeBase.markdownFiles(in: base)
            let rendered = await renderArticles(files, base: base)
            for (file, page) in zip(files, rendered) {
                guard let page else { continue }
                sources.append(SearchSource(path: file, url: page.entry.url))
                manifest.write(page.html, to: page.entry.url, in: outputDirectory, summary: &summary)
                entries.append(page.entry)
                summary.articles += 1
            }
            summary.failures += zip(files, rendered).filter { $0.1 == nil }.map(\.0)
        }

        manifest.write(SiteIndex.indexPage(entries), to: "index.html", in: outputDirectory, summary: &summary)
        manifest.write(SiteIndex.searchPage(), to: "search.html", in: outputDirectory, summary: &summary)
        if let searchIndex {
            manifest.write(await searchIndex(sources), to: "search-index.js", in: outputDirectory, summary: &summary)
        }
        try manifest.save()
        return summary
    }

    struct RenderedArticle: Sendable {
        var entry: Entry
        var html: [UInt8]
    }

    /// Renders the articles on `workers` tasks; results in the order of `files` (`nil`: unreadable).
    func renderArticles(_ files: [String], base: String) async -> [RenderedArticle?] {
        let includes = includes
        let lanes = max(1, workers)
        let next = FileCounter()
        return await withTaskGroup(of: [(Int, RenderedArticle?)].self) { group in
            for _ in 0..<lanes {
                group.addTask {
                    var results: [(Int, RenderedArticle?)] = []
                    while true {
                        let index = next.take()
                        guard index < files.count else { break }
                        let file = files[index]
                        let relative = String(file.dropFirst(base.count + 1))
                        let url = "articles/" + relative.dropLast(3) + ".html"
                        let depth = url.split(separator: "/").count - 1
                        let home = String(repeating: "../", count: depth) + "index.html"
                        if let text = SiteBuilder.read(file) {
                            let options = RenderOptions(includes: includes, rewritesMarkdownLinks: true, homeLink: home)
                            let (runbook, html) = PageRenderer(options: options).pageBytes(loading: text, path: file)
                            results.append((index, RenderedArticle(entry: SiteBuilder.entry(runbook, url: url, isRunbook: false),
                                                                   html: html)))
                        } else {
                            results.append((index, nil))
                        }
                    }
                    return results
                }
            }
            var all = [RenderedArticle?](repeating: nil, count: files.count)
            for await part in group { for (index, page) in part { all[index] = page } }
            return all
        }
    }

    static func entry(_ runbook: Runbook, url: String, isRunbook: Bool) -> Entry {
        let titles = runbook.sections.map(\.title) + runbook.steps.map(\.title)
        return Entry(url: url, title: runbook.title, summary: runbook.summary, keywords: runbook.keywords,
                     services: runbook.services, models: runbook.models,
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

/// Hashes of the pages written last time, so that a rebuild writes only what changed.
struct SiteManifest {
    let path: String
    var previous: [String: String] = [:]
    var current: [String: String] = [:]

    init(path: String) {
        self.path = path
        if let data = FileManager.default.contents(atPath: path),
            let decoded = try? JSONDecoder().decode([String: String].self, from: data)
        {
            previous = decoded
        }
    }

    mutating func write(_ content: String, to relative: String, in directory: String, summary: inout SiteBuilder.Summary) {
        write(Array(content.utf8), to: relative, in: directory, summary: &summary)
    }

    mutating func write(_ content: [UInt8], to relative: String, in directory: String, summary: inout SiteBuilder.Summary) {
        let hash = Self.hash(content)
        current[relative] = hash
        summary.pages += 1
        let target = directory + "/" + relative
        if previous[relative] == hash, FileManager.default.fileExists(atPath: target) {
            summary.unchanged += 1
            return
        }
        let folder = (target as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            try Data(content).write(to: URL(fileURLWithPath: target), options: .atomic)
            summary.written += 1
        } catch {
            summary.failures.append(target)
        }
    }

    func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(current).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func hash(_ content: [UInt8]) -> String {
        ContentHash.of(content)
    }
}
