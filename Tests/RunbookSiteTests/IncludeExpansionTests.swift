import Foundation
import RunbookSite
import Testing

/// `Includes.expanded`, the Markdown the search index reads for an article with includes.
@Suite("include expansion")
struct IncludeExpansionTests {
    @Test("includes are replaced by their Markdown, nested ones too; a missing or forbidden one stays as written")
    func expanded() throws {
        let directory = temporaryDirectory("expand")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fallback = directory + "/elsewhere"
        for folder in [directory + "/includes", directory + "/articles", fallback] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try "---\ntitle: hidden-matter\n---\nOuter text.\n\n[AZURE.INCLUDE [inner](inner.md)]\n"
            .write(toFile: directory + "/includes/outer.md", atomically: true, encoding: .utf8)
        try "Inner text.\n".write(toFile: directory + "/includes/inner.md", atomically: true, encoding: .utf8)
        try "By name.\n".write(toFile: fallback + "/named.md", atomically: true, encoding: .utf8)
        let text = """
            # Title

            [AZURE.INCLUDE [outer](../includes/outer.md)]

            [AZURE.INCLUDE [named](../includes/named.md)]

            [AZURE.INCLUDE [gone](../includes/missing.md)]

            [AZURE.INCLUDE [secret](../../../../etc/hostname)]

            """
        let article = directory + "/articles/a.md"
        let plain = Includes().expanded(text, path: article)
        #expect(plain.contains("Outer text.") && plain.contains("Inner text."), "\(plain)")
        #expect(!plain.contains("hidden-matter"), "\(plain)")
        #expect(!plain.contains("By name.") && plain.contains("[AZURE.INCLUDE [named](../includes/named.md)]"))
        #expect(plain.contains("[AZURE.INCLUDE [gone](../includes/missing.md)]"))
        #expect(plain.contains("[AZURE.INCLUDE [secret](../../../../etc/hostname)]"))
        #expect(plain.hasPrefix("# Title\n"))

        let withFallback = Includes(fallbackDirectories: [fallback]).expanded(text, path: article)
        #expect(withFallback.contains("By name."), "\(withFallback)")
        #expect(Includes().expanded("No includes here.\n", path: article) == "No includes here.\n")
    }
}
