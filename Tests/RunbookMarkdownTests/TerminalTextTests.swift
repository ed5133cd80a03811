import RunbookMarkdown
import Testing

@Suite("Markdown for a terminal")
struct TerminalTextTests {
    @Test("fences become indented code, inline markup is dropped, links keep their address")
    func blocks() {
        let text = """
            Run `ssh -v` **now**, see [the guide](https://example.com/g):

            ```sh
            ssh -v user@host
            ```

            - one
            - two

            1. first
            2. second
            """
        #expect(TerminalText.render(text, width: 80) == [
            "Run ssh -v now, see the guide (https://example.com/g):",
            "",
            "    ssh -v user@host",
            "",
            "• one",
            "• two",
            "",
            "1. first",
            "2. second",
        ])
    }

    @Test("paragraphs wrap at words within the width; a word longer than the width stands alone")
    func wrapping() {
        let lines = TerminalText.render("alpha beta gamma delta epsilon zeta eta theta iota kappa", width: 20)
        #expect(lines == ["alpha beta gamma", "delta epsilon zeta", "eta theta iota kappa"])
        #expect(TerminalText.wrap("a \(String(repeating: "x", count: 30)) b", width: 10)
            == ["a", String(repeating: "x", count: 30), "b"])
    }
}
