import ArgumentParser
import Foundation
import RunbookApp
import RunbookCore
import RunbookRunner
import RunbookSite

extension RunbookCommand {
    struct Site: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a static HTML site of the knowledge base (and a folder of legacy articles).",
            discussion: """
                Writes index.html (the default runbook first, then the other runbooks with their models, \
                summaries and keywords; the articles grouped by service), one page per runbook and article, \
                step graphs as inline SVG (Graphviz dot), and search.html with a prebuilt search-index.js (the documents and ranking of runbook search); \
                everything works from file://. A legacy article that a runbook names in its front matter's \
                'sources:' links to that runbook at the top of its page, and the runbook's page links back.

                A rebuild renders only the pages whose source, includes, options or renderer changed \
                (.runbook-site.json in the output folder remembers them), writes only the pages whose bytes \
                changed, and removes the pages whose source is gone; search-index.js is made again from the search \
                documents of the sources it read again and those .runbook-search.jsonl kept of the others. The \
                command prints how many pages were written, unchanged and removed; on a terminal, a build that \
                takes more than a second shows one progress line, rewritten in place.

                Examples:
                  runbook site -o out/site --no-graphs
                  runbook site -o out/site \\
                    --articles ../shared/corpus/azure-docs/articles \\
                    --includes ../shared/corpus/azure-docs/includes
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("Output folder.", valueName: "dir"))
        var output: String

        @Option(help: ArgumentHelp("A folder of legacy articles to include (its layout is kept).", valueName: "dir"))
        var articles: String?

        @Option(
            name: .customLong("includes"),
            help: ArgumentHelp(
                "Also look for included files by name in this folder (repeatable).", valueName: "dir"))
        var includeDirectories: [String] = []

        @Flag(help: "Leave out the step graphs (no Graphviz needed).")
        var noGraphs = false

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() async throws {
            let progress = SiteProgress()
            let request = SiteRequest(
                output: output, knowledgeBase: knowledgeBase.location, articles: articles,
                includes: includeDirectories, graphs: !noGraphs)
            let start = Date()
            let summary: SiteBuilder.Summary
            do {
                summary = try await RunbookApp().site(request) { done, total in
                    progress.update(done: done, total: total)
                }
            } catch {
                progress.finish()
                throw error
            }
            progress.finish()
            let seconds = Date().timeIntervalSince(start)
            for diagnostic in summary.diagnostics {
                var warning = diagnostic
                warning.severity = .warning
                FileOutput.standardError.write(warning.description + "\n")
            }
            print(
                String(
                    format:
                        "site %@: %d pages (%d runbooks, %d articles): %d written, %d unchanged, %d removed; %.1f s",
                    output, summary.pages, summary.runbooks, summary.articles, summary.written, summary.unchanged,
                    summary.removed, seconds))
            for failure in summary.failures.prefix(10) { print("  could not read or write \(failure)") }
        }
    }
}
