import ArgumentParser
import Foundation
import RunbookCore
import RunbookKB
import RunbookSite

extension RunbookCommand {
    struct Site: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a static HTML site of the knowledge base (and a folder of legacy articles).",
            discussion: """
                Writes index.html (runbooks with their models, summaries and keywords; articles grouped by
                service), one page per runbook and article, step graphs as inline SVG (Graphviz dot), and
                search.html with a prebuilt search-index.js (the documents and ranking of runbook search);
                everything works from file://. A rebuild
                writes only the pages that changed.
                Example: runbook site -o out/site --articles ../shared/corpus/azure-docs/articles
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("Output folder.", valueName: "dir"))
        var output: String

        @Option(help: ArgumentHelp("A folder of legacy articles to include (its layout is kept).", valueName: "dir"))
        var articles: String?

        @Option(name: .customLong("includes"), help: ArgumentHelp(
            "Also look for included files by name in this folder (repeatable).", valueName: "dir"))
        var includeDirectories: [String] = []

        @Flag(help: "Leave out the step graphs (no Graphviz needed).")
        var noGraphs = false

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() async throws {
            let directory = knowledgeBase.resolvedDirectory
            let runbookFiles = FileManager.default.fileExists(atPath: directory) ? KnowledgeBase.markdownFiles(in: directory) : []
            if let articles, !FileManager.default.fileExists(atPath: articles) {
                throw UsageError("articles folder '\(articles)' does not exist")
            }
            let drawGraph: SiteBuilder.GraphRenderer = { @Sendable (dot: String) async throws -> String in
                try await Graph.svg(from: dot)
            }
            let builder = SiteBuilder(
                outputDirectory: output, runbookFiles: runbookFiles, articlesDirectory: articles,
                includes: Includes(fallbackDirectories: includeDirectories),
                graphRenderer: noGraphs ? nil : drawGraph,
                searchIndex: { sources in await SearchExport.script(files: sources.map { ($0.path, $0.url) }) })
            let start = Date()
            let summary: SiteBuilder.Summary
            do {
                summary = try await builder.build()
            } catch {
                throw UsageError("cannot build the site in \(output): \(error.localizedDescription)")
            }
            let seconds = Date().timeIntervalSince(start)
            print(String(format: "site %@: %d pages (%d runbooks, %d articles), %d written, %d unchanged, %.1f s",
                         output, summary.pages, summary.runbooks, summary.articles, summary.written, summary.unchanged,
                         seconds))
            for failure in summary.failures.prefix(10) { print("  could not read or write \(failure)") }
        }
    }
}
