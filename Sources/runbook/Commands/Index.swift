import ArgumentParser
import Foundation
import RunbookKB

extension RunbookCommand {
    struct Index: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build or update the knowledge base's search index.",
            discussion: """
                Indexes every runbook (with its sections and steps) of the knowledge base and every article of \
                the --articles folders in an SQLite FTS5 database. Only files whose content changed are read \
                again; files no longer there are removed. The update is one transaction: if it is interrupted \
                the previous index stays usable. A damaged index, or one of an older version, is rebuilt. \
                With --includes, an article's [AZURE.INCLUDE [name](path)] lines are replaced by the files they \
                name (next to the article's tree, else by name in the --includes folders, as the site finds them), \
                so the included text is found in the article; the article is indexed again when what it includes \
                changes.

                Example:
                  runbook index --articles ../shared/corpus/azure-docs/articles \\
                    --includes ../shared/corpus/azure-docs/includes
                """)

        @OptionGroup var options: IndexOptions

        func run() async throws {
            let start = Date()
            let index = try options.open()
            let summary = try await options.update(index)
            print(
                String(
                    format:
                        "index %@: %d added, %d changed, %d removed, %d unchanged (%d files, %d read again), %.2f s",
                    options.path, summary.added, summary.changed, summary.removed, summary.unchanged, summary.files,
                    summary.parsedFiles, Date().timeIntervalSince(start)))
        }
    }
}
