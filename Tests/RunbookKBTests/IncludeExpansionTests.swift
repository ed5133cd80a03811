import Foundation
import Testing

@testable import RunbookKB

/// The index with an include expander: the included text is searchable in the article that
/// includes it, and the file is read again when what it includes, or the expansion, changes.
@Suite("search index include expansion")
struct IncludeExpansionTests {
    /// Replaces the one include line of the article by the include file's text, read at each call
    /// (what `Includes.expanded` does, without the site's resolution rules).
    static func expander(_ include: String) -> SearchIndex.IncludeExpander {
        { _, text in
            let included = (try? String(contentsOfFile: include, encoding: .utf8)) ?? "MISSING"
            return text.replacingOccurrences(of: "[AZURE.INCLUDE [note](../includes/note.md)]", with: included)
        }
    }

    @Test("included text is found in the including article; changing it or the expansion re-reads only that file")
    func includedTextIsIndexed() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let including = try scratch.write(
            "articles/with-include.md",
            """
            # Resize a disk

            Stop the machine first.

            [AZURE.INCLUDE [note](../includes/note.md)]

            """)
        let plain = try scratch.write("articles/refused.md", sampleArticle)
        let include = try scratch.write("includes/note.md", "A snapshot keeps a copy of the zephyrquartz volume.\n")
        let index = try SearchIndex(path: scratch.path + "/db/index.sqlite")
        let files = [including, plain]

        let without = try await index.update(files: files)
        #expect(without.added == 2, "\(without)")
        #expect(try index.search("zephyrquartz").isEmpty)

        // Expanding changes the including file's hash only: it alone is parsed again.
        let expanded = try await index.update(files: files, expand: Self.expander(include))
        #expect(expanded.changed == 1 && expanded.unchanged == 1 && expanded.parsedFiles == 1, "\(expanded)")
        let hits = try index.search("zephyrquartz")
        #expect(hits.map(\.path) == [including], "\(hits)")
        #expect(hits.first?.kind == .article && hits.first?.title == "Resize a disk")

        let same = try await index.update(files: files, expand: Self.expander(include))
        #expect(same.parsedFiles == 0 && same.unchanged == 2, "\(same)")

        // The article is unchanged on disk, but what it includes is not.
        try "A snapshot keeps a copy of the obsidianwharf volume.\n".write(
            toFile: include, atomically: true, encoding: .utf8)
        let edited = try await index.update(files: files, expand: Self.expander(include))
        #expect(edited.changed == 1 && edited.parsedFiles == 1, "\(edited)")
        #expect(try index.search("zephyrquartz").isEmpty)
        #expect(try index.search("obsidianwharf").map(\.path) == [including])

        // No expander again: back to the article's own text.
        let plainAgain = try await index.update(files: files)
        #expect(plainAgain.changed == 1 && plainAgain.parsedFiles == 1, "\(plainAgain)")
        #expect(try index.search("obsidianwharf").isEmpty)
    }
}
