import RunbookMarkdown
import Testing

/// The walks over cmark's tree are loops: nesting as deep as cmark parses is read whole, in the
/// same order as a shallow tree.
@Suite("Deep nesting")
struct DeepNestingTests {
    @Test("10,000 nested lists copy into a tree whose node ranges nest")
    func deepTree() throws {
        let tree = MarkdownTree(parsing: String(repeating: "- ", count: 10_000) + "a\n")
        // document, then a list and an item per level, a paragraph and its text.
        #expect(tree.nodes.count == 1 + 2 * 10_000 + 2)
        #expect(tree.nodes[0].end == Int32(tree.nodes.count))
        for index in 0..<(tree.nodes.count - 1) {
            // Each node but the text is the parent of the next, so all end together.
            #expect(tree.nodes[index].end == Int32(tree.nodes.count))
            if tree.nodes[index].end != Int32(tree.nodes.count) { break }
        }
        #expect(tree.nodes.last?.kind == .text)
        #expect(String(decoding: tree.literal(of: tree.nodes.count - 1), as: UTF8.self) == "a")
    }

    @Test("siblings after a deep branch are children of the right parent")
    func siblingsAfterDeepBranch() throws {
        let text = String(repeating: ">", count: 3_000) + " deep\n\nafter\n"
        let tree = MarkdownTree(parsing: text)
        let first = try #require(tree.firstChild(of: 0))
        #expect(tree.nodes[first].kind == .blockQuote)
        let second = try #require(tree.nextSibling(of: first, in: 0))
        #expect(tree.nodes[second].kind == .paragraph)
        #expect(tree.nextSibling(of: second, in: 0) == nil)
        #expect(String(decoding: tree.literal(of: second + 1), as: UTF8.self) == "after")
    }

    @Test("a fence 5,000 quotes deep still belongs to the document's blocks, in order")
    func fenceInDeepQuotes() throws {
        let prefix = String(repeating: "> ", count: 5_000)
        let text = "# Step\n\n" + prefix + "```check tcp-connect port=22\n" + prefix + "```\n\n```run sh\necho\n```\n"
        let document = MarkdownDocument(parsing: text)
        #expect(document.fences.map(\.info) == ["check tcp-connect port=22", "run sh"])
        #expect(document.fences.first?.range.start.line == 3)
    }

    @Test("a heading with 5,000 nested emphases has its plain text")
    func deepEmphasisHeading() throws {
        let stars = String(repeating: "*", count: 10_000)
        let document = MarkdownDocument(parsing: "# " + stars + "deep" + stars + "\n")
        #expect(document.headings.first?.text == "deep")
    }

    @Test("other blocks' text is gathered in document order at any depth")
    func deepOtherText() throws {
        let document = MarkdownDocument(parsing: String(repeating: "- ", count: 10_000) + "a\n\n- b\n  - c\n")
        guard case .other(let list) = try #require(document.blocks.first) else {
            Issue.record("expected a list: \(document.blocks)")
            return
        }
        #expect(list.text == "a\nb\nc")
    }
}
