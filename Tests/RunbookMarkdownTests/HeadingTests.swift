import RunbookMarkdown
import Testing

@Suite("Headings")
struct HeadingTests {
    @Test("ATX headings keep their level, text and range", arguments: 1...6)
    func atxLevels(level: Int) throws {
        let marks = String(repeating: "#", count: level)
        let document = MarkdownDocument(parsing: "Intro.\n\n\(marks) Check the port\n")
        let heading = try #require(document.headings.first)
        #expect(document.headings.count == 1)
        #expect(heading.level == level)
        #expect(heading.text == "Check the port")
        #expect(heading.range.start == at(3, 1))
        #expect(heading.range.end == at(3, level + 15), "end column is the last byte of the line")
    }

    @Test("seven hashes are a paragraph, not a heading")
    func sevenHashes() {
        let document = MarkdownDocument(parsing: "####### Not a heading\n")
        #expect(document.headings.isEmpty)
        #expect(document.dump() == ["paragraph 1:1"])
    }

    @Test("setext headings: '=' is level 1, '-' is level 2, the range covers the underline")
    func setext() throws {
        let document = MarkdownDocument(parsing: "Network path\n============\n\nThe VM\n---\n\nText.\n")
        #expect(document.headings.map(\.level) == [1, 2])
        #expect(document.headings.map(\.text) == ["Network path", "The VM"])
        let first = try #require(document.headings.first)
        #expect(first.range.start == at(1, 1))
        #expect(document.headings[1].range.start == at(4, 1))
        #expect(first.range.end == at(2, 12))
        #expect(document.headings[1].range.end == at(5, 3))
    }

    @Test("no range ends at column 0: columns count from 1")
    func noColumnZero() {
        let text = "Title\n=====\n\n- one\n- two\n\n---\n\nEnd.\n"
        let ends = MarkdownDocument(parsing: text).blocks.map(\.range.end)
        #expect(ends.allSatisfy { $0.column >= 1 }, "ends: \(ends)")
        #expect(ends.last == at(9, 4), "a paragraph ends on its last byte")
    }

    @Test(
        "heading text is plain: no emphasis, code, link or HTML markers",
        arguments: [
            ("## Use *ssh* and **sshd**", "Use ssh and sshd"),
            ("## Run `ssh -v` first", "Run ssh -v first"),
            ("## See [the docs](https://example.com) now", "See the docs now"),
            ("## Closing hashes ##", "Closing hashes"),
            ("## <a name=\"step1\"></a>Step 1: connect", "Step 1: connect"),
            ("## _Emphasis_ with trailing space   ", "Emphasis with trailing space"),
            (
                "##   Reset the SSH configuration {#reset-sshd model=arm}",
                "Reset the SSH configuration {#reset-sshd model=arm}"
            ),
        ])
    func plainText(source: String, expected: String) throws {
        let heading = try #require(MarkdownDocument(parsing: source + "\n").headings.first)
        #expect(heading.text == expected, "from \(source)")
    }

    @Test("headings inside lists and quotes are not top-level headings")
    func nestedHeadingsIgnored() {
        let document = MarkdownDocument(parsing: "- # In a list\n\n> ## In a quote\n\n## Top\n")
        #expect(document.headings.map(\.text) == ["Top"])
        #expect(document.headings.first?.range.start == at(5, 1))
    }

    @Test("a '#' line inside a fence is code, not a heading")
    func hashInFence() {
        let document = MarkdownDocument(parsing: "```bash\n# comment\n```\n## Real\n")
        #expect(document.headings.map(\.text) == ["Real"])
        #expect(document.headings.first?.range.start == at(4, 1))
    }

    @Test("the document dump lists every top-level block with its range")
    func dumpOfMixedDocument() {
        let text = """
            # Title

            Some *text*.

            - one
            - two

            > quote

            ---

            ```bash
            echo hi
            ```

            """
        #expect(
            MarkdownDocument(parsing: text).dump() == [
                "heading(1) 1:1-1:7 Title",
                "paragraph 3:1",
                "list 5:1",
                "blockquote 8:1",
                "thematic-break 10:1",
                "fence 12:1-14:3 info=bash closed=true",
            ])
    }
}
