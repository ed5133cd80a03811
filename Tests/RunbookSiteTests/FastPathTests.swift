import RunbookMarkdown
import Testing

@testable import RunbookSite

/// The shortcuts taken for speed must give what the general path gives.
@Suite struct FastPathTests {
    /// A table's cells parsed together give what each cell parsed alone gives, also when one of
    /// them is no paragraph (a link definition, an HTML block, an opened comment).
    @Test func cellsParsedTogetherRenderAsEachAlone() {
        let renderer = BodyRenderer(path: "t.md", runbook: nil, options: RenderOptions())
        let tables: [[String]] = [
            ["**Name**", "`code`", "a *b*", "[x](https://example.com)", "a & b", "plain", "", "a\\", "x  ", "&ouml;"],
            ["# not a heading", "- not a list", "> not a quote", "```", "***", "1. item", "=== x", "<b>bold</b> text"],
            ["[ref]: https://example.com", "see [ref]", "*a*"],
            ["<div>", "*after*", "*again*"],
            ["<!-- open", "*swallowed?*", "`x`"],
            ["<script>x</script>", "*y*"],
            ["a <br> b", "<span>x</span>", "*z*"],
        ]
        for cells in tables {
            let together = renderer.inlineHTML(cells: cells)
            #expect(together == cells.map(renderer.inlineHTML), "\(cells)")
        }
    }

    @Test func plainCellsRenderAsCmarkDoes() {
        let renderer = BodyRenderer(path: "t.md", runbook: nil, options: RenderOptions())
        let cells = [
            "", "a", "abc def", "Standard A0", "100", "100%", "1.5 GB", "1", "12", "1)", "1.", "1. item", "2) x",
            "x > y", "say \"hi\"", "it's", "a / b", "a | b", "a ~~b~~", "a # b", "a - b", "a + b", "a = b",
            "e = mc^2", "(x)", "{y}", "a:b", "http://example.com/x y", "www.example.com", "a\tb", "é", "naïve café",
            "a  b", "x!", "done!", "Hello, world.", "C# and F#", "$100", "a@b.c", "a?b", "a;b", "v1.2.3", "10-20",
            "3 > 2", "a <b", "a & b", "a *b*", "a _b_", "`c`", "[x](y)", "a\\b", "A\u{301}", "x\u{A0}", "0x1F",
        ]
        for cell in cells {
            guard let plain = BodyRenderer.plainInlineHTML(cell) else { continue }
            #expect(plain == renderer.cmarkInlineHTML(cell), "\(cell.debugDescription)")
        }
        #expect(BodyRenderer.plainInlineHTML("1. item") == nil)
        #expect(BodyRenderer.plainInlineHTML("a *b*") == nil)
        #expect(BodyRenderer.plainInlineHTML("x > y") == "x &gt; y")
    }
}

extension FastPathTests {
    @Test func asciiRowsSplitAsCharactersDo() {
        let rows = [
            "| a | b |", "a | b", "|a|b|", "| `a|b` | c |", "| a \\| b | c |", "a \\|", "|", "||", "| |", "\t| a |\r",
            "| a | b \\|", "`x | y", "| - | :-: |", "a|b|c|", "  | x | `y` | z\\|w |  ",
            "| é | ü |", "| 日本 | `a|b` | ç\\|d |", "|\u{A0}x\u{A0}|", "| e\u{301} | \u{1F600} |", "| a |\r\n",
        ]
        for row in rows {
            #expect(PipeTable.byteCells(row) == PipeTable.characterCells(row), "\(row.debugDescription)")
        }
    }
}

/// The page walk over cmark's tree writes what the allow-list makes of cmark's own HTML.
@Suite struct TreeWalkTests {
    /// Markdown without headings, tables, call-outs or includes (which the walk turns into page
    /// structure): there the walk must give exactly `sanitize(cmark's HTML)`.
    static let snippets = [
        "Plain text.", "a *b* **c** `d` e", "line one\nline two", "hard  \nbreak", "back\\\nslash",
        "- a\n- b\n\n- c", "1. one\n2. two", "3. three\n4. four", "- tight\n  - nested\n- x", "* loose\n\n  para\n* y",
        "> quoted\n> text", "> - list in quote", "```\ncode <b>\n```", "```bash extra words\necho \"$X\" & <y>\n```",
        "    indented code", "~~~ python\nx = 1\n~~~", "***", "---", "a\n\n---\n\nb",
        "[link](http://x.com/a b \"t\")", "[l](<http://x.com/a b>)", "[l](a~b'c&d\"e`f[g]h{i}j|k^l\\m)",
        "[l](javascript:alert(1))", "[l](JAVA\tSCRIPT:x)", "[l](data:text/html,x)", "[l](page.md#part)",
        "![alt *em* `c`](img.png \"title\")", "![a](data:image/png;base64,AAA)", "![a](data:image/svg+xml,x)",
        "![](x.png)", "![a\nb](x.png)", "<http://auto.link/x?y=1&z=2>", "<mail@x.org>", "&copy; &amp; &#35; &#x41;",
        "a <b>bold</b> c", "<div>\nblock\n</div>", "<a name=\"anchor\"></a>", "<a id='x' href=\"javascript:x\">y</a>",
        "x <br/> y <BR> z <br /> w", "<img src=\"a.png\" onerror=\"x()\">", "<script>alert(1)</script>",
        "<!-- comment -->\ntext", "<properties pageTitle=\"x\" />", "<sup>1</sup> and <sub>2</sub>",
        "a\n<span>\nb", "\"quotes\" and 'apostrophes' < > &", "unicode: é 日本 🚀", "*a **b** c*",
        "[ref]\n\n[ref]: http://r.x",
        "1) paren\n2) list", "- [ ] task", "a\\*b\\_c", "<p>para in html</p>\n\nafter", "  \n\n  ", "",
    ]

    @Test("the walk writes cmark's HTML as the allow-list keeps it", arguments: snippets)
    func matchesSanitizedCmark(_ markdown: String) {
        let renderer = BodyRenderer(path: "t.md", runbook: nil, options: RenderOptions(rewritesMarkdownLinks: true))
        let walked = renderer.render(markdown).html
        let expected = BodyRenderer.sanitize(
            MarkdownDocument.html(from: markdown), links: SafeHTML.Links(markdownToHTML: true))
        #expect(walked == expected)
    }

    @Test("one-tag inline HTML is written as the tokenizer path writes it")
    func oneTagMatchesTokenizer() {
        let pieces = [
            "</a>", "</A >", "</sup>", "</br>", "</p>", "<br>", "<br/>", "<BR />", "<b>", "<hr>", "<p>", "<pre>",
            "<a name=\"x\">", "<a id=\"x-1\">", "<a  name=\"x\"  >", "<a name=\"a b\">", "<a name=\"\">",
            "<a name=\"&#106;\">",
            "<a name=\"x\" id=\"y\">", "<properties pageTitle=\"x\" description=\"a > b\" />", "<tags ms.date=\"1\"/>",
            "<script>", "<style>", "<x-y>", "<a href=\"javascript:x\">", "<img src=x>", "<blockquote>", "<h2>",
        ]
        let renderer = BodyRenderer(path: "t.md", runbook: nil, options: RenderOptions())
        for piece in pieces {
            let bytes = Array(piece.utf8)
            var fast = BodyRenderer.Walk(
                renderer: renderer, tree: MarkdownTree(parsing: ""), lines: SourceLines(""), includes: [])
            var slow = fast
            let taken = fast.oneTag(bytes[...])
            slow.runTokens(HTMLTokenizer.tokens(bytes))
            if taken {
                #expect(fast.out == slow.out, "\(piece)")
                #expect(fast.quotes == slow.quotes && fast.preDepth == slow.preDepth, "\(piece)")
            }
        }
    }

    @Test("href and src are written as cmark percent-encodes them")
    func hrefEncodingMatchesCmark() {
        var urls = (33..<127).map { "a\(Character(Unicode.Scalar(UInt8($0))))b" }.filter {
            !$0.contains(">") && !$0.contains("<") && !$0.contains("\\")
        }
        urls += ["é", "日本", "a%20b", "x?y=1&z=2"]
        for url in urls {
            let tree = MarkdownTree(parsing: "[x](<\(url)>)")
            guard let link = tree.nodes.firstIndex(where: { $0.kind == .link }) else {
                Issue.record("no link for \(url)")
                continue
            }
            let html = MarkdownDocument.html(from: "[x](<\(url)>)")
            guard let start = html.range(of: "href=\""), let end = html[start.upperBound...].firstIndex(of: "\"") else {
                Issue.record("no href in \(html)")
                continue
            }
            let cmark = HTMLEntities.decode(ArraySlice(html[start.upperBound..<end].utf8))
            var encoded: [UInt8] = []
            TreeHTML.appendCmarkHref(tree.literal(of: link), to: &encoded)
            #expect(String(decoding: encoded, as: UTF8.self) == cmark, "\(url)")
        }
    }

    @Test("the byte link rewrite agrees with the string one")
    func byteLinkRewrite() {
        let urls = [
            "http://x", "javascript:alert(1)", "java\tscript:x", " JAVASCRIPT:x", "data:image/png;base64,x",
            "data:text/html,x", "data:IMAGE/GIF,x", "mailto:a@b", "tel:1", "ftp://x", "a/b:c", "?x:y", "#x:y", "&#58;x",
            "x\\y:z", "", "page.md", "page.MD#x", "../a/page.md?q=1", "/abs.md", "#frag.md", "http://x/y.md", "a.mdx",
        ]
        for url in urls {
            #expect(
                String(decoding: SafeHTML.markdownLinkToHTML(bytes: Array(url.utf8)), as: UTF8.self)
                    == SafeHTML.markdownLinkToHTML(url), "\(url.debugDescription)")
        }
    }
}
