import Testing

@testable import RunbookSite

/// The shortcuts taken for speed must give what the general path gives.
@Suite struct FastPathTests {
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

    @Test func asciiURLCheckMatchesTheGeneralOne() {
        let urls = [
            "http://x", "HTTPS://x", "javascript:alert(1)", "java\tscript:x", " javascript:x", "JaVaScRiPt:x",
            "data:image/png;base64,xx", "data:text/html,x", "DATA:IMAGE/PNG,x", "mailto:a@b", "tel:1", "ftp://x",
            "/path:x", "a/b:c", "?q:x", "#x:y", "a&colon;b:c", "a\\b:c", "vbscript:x", "x", "", ":", "http:",
            "\u{1}javascript:x", "java\u{7F}script:x",
        ]
        for url in urls {
            for image in [false, true] {
                let ascii = SafeHTML.asciiBytes(url)!
                #expect(SafeHTML.isSafeASCIIURL(ascii, image: image) == SafeHTML.isSafeUnicodeURL(url, image: image),
                        "\(url.debugDescription)")
            }
        }
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
