import RunbookMarkdown
import Testing

@Suite("Source positions: line endings, BOM, UTF-8 columns")
struct SourceLocationTests {
    static let lfText = """
        ---
        id: crlf
        title: Line ends
        ---

        # Title

        <a id="nsg"></a>
        ## Network {#net}

        1. Step:

           ```check tcp-connect host=a
           port: 22
           ```

        """

    @Test("CRLF input gives the same blocks, lines and columns as LF")
    func crlfMatchesLF() throws {
        let crlfText = Self.lfText.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(crlfText.utf8.count > Self.lfText.utf8.count)
        let lf = MarkdownDocument(parsing: Self.lfText)
        let crlf = MarkdownDocument(parsing: crlfText)
        #expect(crlf.dump() == lf.dump())
        #expect(
            lf.dump() == [
                "heading(1) 6:1-6:7 Title",
                "anchor 8:1 nsg",
                "heading(2) 9:1-9:17 Network {#net}",
                "list 11:1",
                "fence 13:4-15:6 info=check tcp-connect host=a closed=true",
            ])
        #expect(crlf.headings == lf.headings)
        #expect(crlf.anchors == lf.anchors)
        let lfFence = try #require(lf.fences.first)
        let crlfFence = try #require(crlf.fences.first)
        #expect(crlfFence.infoLocation == lfFence.infoLocation)
        #expect(crlfFence.info == "check tcp-connect host=a", "no carriage return in the info string")
        #expect(crlfFence.isClosed)
        #expect(crlf.lines.lines == lf.lines.lines, "source lines carry no carriage return")
        let crlfMatter = try #require(crlf.frontMatter)
        #expect(crlfMatter.endLine == 4)
        #expect(crlfMatter.root["title"]?.string == "Line ends")
        #expect(crlfMatter.root["title"]?.location == at(3, 8))
    }

    @Test("a CRLF fence body has LF line ends, so a 'run' script gets no carriage returns")
    func crlfFenceLiteral() throws {
        let fence = try #require(MarkdownDocument(parsing: "```run sh\r\necho one\r\necho two\r\n```\r\n").fences.first)
        #expect(fence.literal == "echo one\necho two\n")
        #expect(fence.isClosed)
    }

    @Test("a UTF-8 byte order mark is skipped: front matter is found and columns start at 1")
    func byteOrderMark() throws {
        let document = MarkdownDocument(parsing: "\u{FEFF}---\nid: bom\n---\n# Title\n")
        let matter = try #require(document.frontMatter)
        #expect(matter.root["id"]?.string == "bom")
        #expect(matter.root["id"]?.location == at(2, 5))
        #expect(document.headings.first?.range.start == at(4, 1))
        let plain = MarkdownDocument(parsing: "\u{FEFF}# Title\n")
        #expect(plain.headings.first?.range == SourceRange(start: at(1, 1), end: at(1, 7)))
        #expect(plain.headings.first?.text == "Title")
        #expect(plain.lines[1] == "# Title")
    }

    @Test(
        "columns after emoji and CJK text count UTF-8 bytes",
        arguments: [
            ("# 🚀 launch", 4 + 9),
            ("# 日本語", 9 + 2),
            ("# café", 7),
            ("# ascii", 7),
        ])
    func headingEndColumnsInBytes(line: String, endColumn: Int) throws {
        let heading = try #require(MarkdownDocument(parsing: "\(line)\n").headings.first)
        #expect(heading.range.end == at(1, endColumn), "\(line): \(line.count) characters, \(line.utf8.count) bytes")
        #expect(endColumn == line.utf8.count)
    }

    @Test("an anchor line with non-ASCII id ends at its last byte")
    func anchorEndInBytes() throws {
        let line = "<a id=\"ré\"></a>"
        let anchor = try #require(MarkdownDocument(parsing: "\(line)\n## H\n").anchors.first)
        #expect(anchor.id == "ré")
        #expect(anchor.range.end == at(1, 16))
    }

    @Test("a fence's info location after a CJK list item text is still in bytes")
    func fenceAfterCJKIndent() throws {
        // The list item is indented by the width of "10. " (4 bytes); the fence below it must line up.
        let text = "10. 日本語\n\n    ```check a\n    ```\n"
        let fence = try #require(MarkdownDocument(parsing: text).fences.first)
        #expect(fence.range.start == at(3, 5))
        #expect(fence.infoLocation == at(3, 8))
    }
}

@Suite("SourceLines")
struct SourceLinesTests {
    @Test("splits on LF and CRLF, numbered from 1, keeping a final empty line")
    func split() {
        let lines = SourceLines("a\r\nb\nc\n")
        #expect(lines.lines == ["a", "b", "c", ""])
        #expect(lines.count == 4)
        #expect(lines[1] == "a")
        #expect(lines[3] == "c")
        #expect(lines[0] == nil)
        #expect(lines[5] == nil)
        #expect(lines.text(from: 2, to: 3) == "b\nc")
        #expect(lines.text(from: 0, to: 99) == "a\nb\nc\n")
        #expect(lines.text(from: 3, to: 2) == "")
    }

    @Test("a lone carriage return ends a line, as its documentation and cmark say")
    func loneCarriageReturn() {
        #expect(SourceLines("a\rb\rc").lines == ["a", "b", "c"])
    }
}
