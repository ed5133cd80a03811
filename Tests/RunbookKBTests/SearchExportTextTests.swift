import Testing

@testable import RunbookKB

/// The text the search export makes faster than `split(whereSeparator: \.isWhitespace)` would:
/// the same text.
@Suite("Search export text")
struct SearchExportTextTests {
    static let samples = [
        "plain words", "  lead and trail  ", "tabs\tand\nlines\r\nand\u{0B}\u{0C}more", "a\u{A0}b\u{2028}c\u{3000}d",
        "combining \u{301}after a space", "e\u{301}t\u{E9} caf\u{E9}", "\u{0600} prepend",
        "\u{1F468}\u{200D}\u{1F469} x",
        "\u{1C}\u{1D}\u{1E}\u{1F} not spaces", "\r\n\r\n", "", "\u{85}next line",
    ]

    @Test("An ASCII character is whitespace as Character.isWhitespace says")
    func asciiWhitespace() {
        for value in UInt8(0)...UInt8(127) {
            let character = Character(Unicode.Scalar(value))
            #expect(PlainText.isWhitespace(character) == character.isWhitespace, "\(value)")
        }
        for character: Character in ["\r\n", "\u{A0}", "\u{2028}", " \u{301}", "\u{85}", "é"] {
            #expect(
                PlainText.isWhitespace(character) == character.isWhitespace, "\(character.unicodeScalars.map(\.value))")
        }
    }

    @Test("An excerpt is the start of the text split at whitespace and joined with spaces")
    func excerpts() {
        for sample in Self.samples {
            let long = String(repeating: sample + " ", count: 40)
            for text in [sample, long] {
                let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                let expected: String
                if flat.count > 20 {
                    let head = flat.prefix(21)
                    expected = (head.lastIndex(of: " ").map { head[..<$0] } ?? head.dropLast()) + "…"
                } else {
                    expected = flat
                }
                #expect(SearchExport.excerpt(text, characters: 20) == expected, "\(text.debugDescription)")
            }
        }
    }

    @Test("Postings numbers are written as String(_:radix:) writes them")
    func postingsDigits() {
        for value in [0, 1, 9, 10, 35, 36, 37, 1295, 1296, 4250, 123_456_789] {
            for radix in [10, 36] {
                var bytes: [UInt8] = []
                SearchExport.Postings.append(value, radix: radix, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == String(value, radix: radix))
            }
        }
        var postings = SearchExport.Postings()
        postings.add(3, [2, 0, 1])
        postings.add(40, [1])
        #expect(String(decoding: postings.bytes, as: UTF8.self) == "3:2,0,1;11:1", "37 after 3, in base 36")
    }
}
