import Foundation
import RunbookCore
public import RunbookSite

/// `runbook site`: what to build and where.
public struct SiteRequest: Sendable {
    /// The output folder.
    public var output: String
    /// The runbooks' folder.
    public var knowledgeBase: KnowledgeBaseLocation
    /// A folder of legacy articles to include (its layout is kept).
    public var articles: String?
    /// Folders where included files are also looked up by name.
    public var includes: [String]
    /// Whether to draw the step graphs (Graphviz's `dot`).
    public var graphs: Bool

    public init(
        output: String, knowledgeBase: KnowledgeBaseLocation, articles: String? = nil, includes: [String] = [],
        graphs: Bool = true
    ) {
        self.output = output
        self.knowledgeBase = knowledgeBase
        self.articles = articles
        self.includes = includes
        self.graphs = graphs
    }
}

extension RunbookApp {
    /// Builds the static site: a page per runbook and article, the index and the search data.
    ///
    /// - Parameter progress: told how many pages are done out of how many.
    public func site(
        _ request: SiteRequest, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws(AppError) -> SiteBuilder.Summary {
        let directory = request.knowledgeBase.resolvedDirectory
        let runbookFiles =
            FileManager.default.fileExists(atPath: directory) ? KnowledgeBase.markdownFiles(in: directory) : []
        if let articles = request.articles, !FileManager.default.fileExists(atPath: articles) {
            throw .badInput("articles folder '\(articles)' does not exist")
        }
        let drawGraph: SiteBuilder.GraphRenderer = { @Sendable (dot: String) async throws -> String in
            try await RunbookApp.svg(from: dot)
        }
        let builder = SiteBuilder(
            outputDirectory: request.output, runbookFiles: runbookFiles, articlesDirectory: request.articles,
            includes: Includes(fallbackDirectories: request.includes),
            graphRenderer: request.graphs ? drawGraph : nil,
            // Includes are expanded into the search documents as `runbook index` does (IncludeExpansion).
            search: SiteBuilder.Search(expandsIncludes: !request.includes.isEmpty),
            progress: progress)
        do {
            return try await builder.build()
        } catch {
            throw .badInput("cannot build the site in \(request.output): \(error.localizedDescription)")
        }
    }
}
