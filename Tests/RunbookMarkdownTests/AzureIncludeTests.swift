import RunbookMarkdown
import Testing

/// The one reading of `[AZURE.INCLUDE [name](path)]`, for the site, the search index and the
/// importer. Each side's old cases pass here; where the two disagreed, the answer is docfx's.
@Suite("AzureInclude")
struct AzureIncludeTests {
    /// An include read from the start of `text`, marker included.
    static func read(_ text: String) -> (include: AzureInclude, rest: String)? {
        let bytes = Array(text.utf8)
        guard AzureInclude.hasMarker(bytes, at: 0),
            let (include, length) = AzureInclude.parse(afterMarker: bytes[AzureInclude.marker.count...])
        else { return nil }
        return (include, String(decoding: bytes[(AzureInclude.marker.count + length)...], as: UTF8.self))
    }

    @Test(
        "reads name and path and stops after the closing bracket",
        arguments: [
            ("[AZURE.INCLUDE [note](../includes/note.md)]", "note", "../includes/note.md", ""),
            ("[AZURE.INCLUDE [a](a.md)] tail.", "a", "a.md", " tail."),
            // The site's liberties: blanks before the name and between `)` and `]`, the path trimmed.
            ("[AZURE.INCLUDE\t  [a]( a.md\t)  ]x", "a", "a.md", "x"),
            ("[AZURE.INCLUDE[a](a.md)]", "a", "a.md", ""),
            ("[AZURE.INCLUDE [a b](ü/ö.md)]", "a b", "ü/ö.md", ""),
            // Disagreements, resolved as docfx (case-insensitive marker; `\s*` around the path).
            ("[azure.include [a](a.md)]", "a", "a.md", ""),
            ("[Azure.Include [a](a.md)]", "a", "a.md", ""),
            ("[AZURE.INCLUDE [a](a.md\u{B})]", "a", "a.md", ""),
            ("[AZURE.INCLUDE [a](\u{A0}a.md\u{A0})]", "a", "a.md", ""),
        ])
    func reads(_ text: String, _ name: String, _ path: String, _ rest: String) throws {
        let (include, after) = try #require(Self.read(text))
        #expect(include == AzureInclude(name: name, path: path))
        #expect(after == rest)
    }

    @Test(
        "is no include",
        arguments: [
            "[AZURE.INCLUDE [a](a.md)",  // no closing bracket (the importer took it, docfx does not)
            "[AZURE.INCLUDE [a](a.md) x]", "[AZURE.INCLUDE [a] (a.md)]", "[AZURE.INCLUDE [a](  )]",
            "[AZURE.INCLUDE [a](a\n.md)]", "[AZURE.INCLUDE\n[a](a.md)]", "[AZURE.INCLUDE a.md]", "[AZURE.INCLUDE [a]",
            "[AZURE.INCLUDE [a](" + String(repeating: "x", count: 600) + ".md)]",
        ])
    func noInclude(_ text: String) {
        #expect(Self.read(text) == nil)
    }

    @Test("the marker in any case, at the given place only")
    func marker() {
        let bytes = Array("x [AzUrE.iNcLuDe [a](b.md)]".utf8)
        #expect(!AzureInclude.hasMarker(bytes, at: 0))
        #expect(AzureInclude.hasMarker(bytes, at: 2))
        #expect(!AzureInclude.hasMarker(Array("[AZURE.INCLUD".utf8), at: 0))
        #expect(!AzureInclude.hasMarker(Array("[AZURE_INCLUDE".utf8), at: 0))
    }

    @Test("a line that starts with an include: the include and the rest of the line, trimmed")
    func line() throws {
        let (include, tail) = try #require(
            AzureInclude.startingLine(
                "  [AZURE.INCLUDE [rm](../includes/rm.md)] [classic model](c.md). "))
        #expect(include == AzureInclude(name: "rm", path: "../includes/rm.md"))
        #expect(tail == "[classic model](c.md).")
        #expect(AzureInclude.startingLine("\t[azure.include  [a](a.md)]")?.include.path == "a.md")
        #expect(AzureInclude.startingLine("see [AZURE.INCLUDE [a](a.md)]") == nil, "not at the start of the line")
        #expect(AzureInclude.startingLine("> [AZURE.INCLUDE [a](a.md)]") == nil)
        #expect(AzureInclude.startingLine("") == nil)
    }
}
