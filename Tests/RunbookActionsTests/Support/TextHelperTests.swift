import Testing

@testable import RunbookActions

/// The actions' small text helpers, on the one trimming loop of RunbookMarkdown.
@Suite struct TextHelperTests {
    @Test("trimming a character also trims white space at both ends, and keeps what is inside")
    func trimmingACharacter() {
        #expect(" a, ".trimmingCharacters(in: ",") == "a")
        #expect(",\t a, b ,\n".trimmingCharacters(in: ",") == "a, b")
        #expect("\"quoted\"".trimmingCharacters(in: "\"") == "quoted")
        #expect(",,,".trimmingCharacters(in: ",") == "")
        #expect("\u{00A0}x\u{2003}".trimmingCharacters(in: ",") == "x")  // Unicode spaces are white space
        #expect("\r\nx\r\n".trimmingCharacters(in: " ") == "x")  // "\r\n" is one character
    }

    @Test("lines: trimmed, blank ones left out, CR ends a line; the first line of a tool's message")
    func lines() {
        #expect(" one \r\n\n  two\rthree  \n \n".nonEmptyLines == ["one", "two", "three"])
        #expect("  error: no such file \nmore".trimmedLine == "error: no such file")
        #expect("".trimmedLine == "")
    }
}
