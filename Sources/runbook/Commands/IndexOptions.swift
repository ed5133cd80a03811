import ArgumentParser
import Foundation
import RunbookApp
import RunbookKB
import RunbookRunner

/// `--db PATH`, `--articles DIR`..., `--includes DIR`..., shared by `runbook index` and `runbook search`.
struct IndexOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The search index (default: $XDG_CACHE_HOME/runbook/index.sqlite, else ~/.cache/runbook/index.sqlite).",
            valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("A folder of legacy articles to index too (repeatable).", valueName: "dir"))
    var articles: [String] = []

    @Option(
        name: .customLong("includes"),
        help: ArgumentHelp(
            "Expand the articles' [AZURE.INCLUDE ...] lines, looking for included files by name in this folder too, "
                + "so the included text is found in the article (repeatable).", valueName: "dir"))
    var includeDirectories: [String] = []

    @OptionGroup var knowledgeBase: KnowledgeBaseOptions

    /// The request these options make.
    var request: IndexRequest {
        IndexRequest(
            database: db, knowledgeBase: knowledgeBase.location, articles: articles, includes: includeDirectories)
    }

    var path: String { request.path }

    /// The index, opened; says so on standard error when a damaged or old one was replaced.
    func open() throws -> SearchIndex {
        let index = try request.open()
        if case .rebuilt(let reason) = index.opening {
            FileOutput.standardError.write("runbook: \(path): \(reason); building a new index\n")
        }
        return index
    }

    /// Brings the index up to date with the files; names the files it could not read.
    func update(_ index: SearchIndex) async throws -> SearchIndex.UpdateSummary {
        let summary = try await request.update(index)
        for path in summary.unreadable.prefix(10) {
            FileOutput.standardError.write("runbook: warning: skipped \(path): cannot read it\n")
        }
        return summary
    }
}
