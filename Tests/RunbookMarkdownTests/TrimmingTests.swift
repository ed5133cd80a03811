import RunbookMarkdown
import Testing

/// The one home of trimming: white space by Unicode's definition, a Markdown line's blanks on
/// bytes, and a caller's own set. The cases are those of the helpers it replaced (CmarkParser's
/// `trimmingWhitespace`, Core's `trimmed`, the site's `trimmingCharacters(in:)`, `trimmingWhitespaces`
/// and the pipe table's `trimmingSpaces` and byte `trimmed`).
@Suite("Trimming")
struct TrimmingTests {
    @Test(
        "white space: spaces, tabs, line breaks and Unicode spaces at both ends, none inside",
        arguments: [
            ("  a b  ", "a b"), ("\t\na\r\n", "a"), ("\u{A0}a\u{3000}", "a"), ("\u{B}\u{C}a\u{85}\u{2028}", "a"),
            ("", ""), (" \t\n ", ""), ("a", "a"), ("a \u{301}", "a"), (" \u{301}a", "a"), ("é ", "é"),
        ])
    func whiteSpace(_ text: String, _ expected: String) {
        #expect(text.trimmed == expected)
        #expect(text[...].trimmed == expected, "a substring trims as its string does")
    }

    @Test("a caller's own set, tested per character (`\\r\\n` is one character, not `\\n`)")
    func ownSet() {
        let spacesAndNewlines: (Character) -> Bool = { $0 == " " || $0 == "\n" }
        #expect("\n <p>x</p>\n \n".trimming(while: spacesAndNewlines) == "<p>x</p>")
        #expect("\t<p>\n".trimming(while: spacesAndNewlines) == "\t<p>")
        #expect("x\r\n".trimming(while: spacesAndNewlines) == "x\r\n")
        #expect("--a--".trimming(while: { $0 == "-" }) == "a")
    }

    @Test(
        "spaces and tabs on bytes; trailing CRs only when asked",
        arguments: [
            (" \ta b\t ", "a b", "a b"), ("a \r", "a \r", "a"), ("\r a", "\r a", "\r a"),
            ("a\u{A0}", "a\u{A0}", "a\u{A0}"),
            ("\n a \n", "\n a \n", "\n a \n"), ("", "", ""), (" \u{301}x", "\u{301}x", "\u{301}x"),
            ("| a |\r\n", "| a |\r\n", "| a |\r\n"), ("日本 ", "日本", "日本"),
        ])
    func spacesAndTabs(_ text: String, _ plain: String, _ withCR: String) {
        #expect(text.trimmingSpacesAndTabs() == plain)
        #expect(text.trimmingSpacesAndTabs(trailingCR: true) == withCR)
        let bytes = Array(text.utf8)
        let bounds = bytes.trimmedBounds(leading: \.isSpaceOrTab, trailing: { $0.isSpaceOrTab || $0 == 13 })
        #expect(String(decoding: bytes[bounds], as: UTF8.self) == withCR, "the byte bounds give the string's answer")
    }

    @Test("byte bounds of an all-blank or empty slice are empty, at the slice's own indices")
    func byteBounds() {
        let bytes = Array("xx   yy".utf8)
        let blank = bytes[2..<5]
        #expect(blank.trimmedBounds(leading: \.isSpaceOrTab, trailing: \.isSpaceOrTab).isEmpty)
        let word = bytes[1..<5]
        #expect(word.trimmedBounds(leading: \.isSpaceOrTab, trailing: \.isSpaceOrTab) == 1..<2)
        #expect([UInt8]().trimmedBounds(leading: { _ in true }, trailing: { _ in true }) == 0..<0)
    }

    @Test("a range of source lines without white space at either end, blank lines included")
    func sourceLines() {
        let lines = SourceLines("\n  \tfirst line\r\nsecond\u{A0}\n \n")
        #expect(lines.trimmedText(from: 1, to: 4) == "first line\nsecond")
        #expect(lines.trimmedText(from: 3, to: 4) == "second")
        #expect(lines.trimmedText(from: 4, to: 4) == "")
        #expect(lines.trimmedText(from: 1, to: 1) == "")
    }
}
