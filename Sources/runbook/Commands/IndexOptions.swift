import ArgumentParser
import Foundation
import RunbookCore
import RunbookKB
import RunbookRunner
import RunbookApp

/// `--db PATH`, `--articles DIR`..., `--includes DIR`..., shared by `runbook index` and `runbook search`.
struct IndexOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The search index (default: $XDG_CACHE_HOME/runbook/index.sqlite, else ~/.cache/runbook/index.sqlite).",
        valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("A folder of legacy articles to index too (repeatable).", valueName: "dir"))
    var articles: [String] = []

    @Option(name: .customLong("includes"), help: ArgumentHelp(
        "Expand the articles' [AZURE.INCLUDE ...] lines, looking for included files by name in this folder too, "
            + "so the included text is found in the article (repeatable).", valueName: "dir"))
    var includeDirectories: [String] = []

    @OptionGroup var knowledgeBase: KnowledgeBaseOptions

    var path: String { db ?? SearchIndex.defaultPath() }

    /// The index, opened; says so on standard error when a damaged or old one was replaced.
    func open() throws -> SearchIndex {
        let index = try SearchIndex(path: path)
        if case .rebuilt(let reason) = index.opening {
            FileOutput.standardError.write("runbook: \(path): \(reason); building a new index\n")
        }
        return index
    }

    /// The runbook files and article files to index; a folder that cannot be read stops with exit 2.
    func files() throws -> [String] {
        var files: [String] = []
        for folder in [knowledgeBase.resolvedDirectory] + articles {
            try Self.requireReadableFolder(folder)
            files += KnowledgeBase.markdownFiles(in: folder)
        }
        return files
    }

    static func requireReadableFolder(_ folder: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw AppError.badInput("\(folder): no such folder")
        }
        guard isDirectory.boolValue else { throw AppError.badInput("\(folder): not a folder") }
        guard let handle = opendir(folder) else {
            throw AppError.badInput("\(folder): cannot read the folder: \(String(cString: strerror(errno)))")
        }
        closedir(handle)
    }

    /// Brings the index up to date with the files.
    func update(_ index: SearchIndex) async throws -> SearchIndex.UpdateSummary {
        let files = try files()
        for folder in includeDirectories { try Self.requireReadableFolder(folder) }
        let summary = try await index.update(files: files, expand: IncludeExpansion.expander(includeDirectories))
        for path in summary.unreadable.prefix(10) {
            FileOutput.standardError.write("runbook: warning: skipped \(path): cannot read it\n")
        }
        return summary
    }
}
