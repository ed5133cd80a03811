import RunbookMarkdown
import Testing

@Suite("Markdown for a terminal")
struct TerminalMarkdownTests {
    @Test("paragraphs wrap between words at the width; a longer word stays whole")
    func wrapping() {
        let text = TerminalMarkdown.render(
            "one two three four five six seven\neight nine ten averyveryverylongword end", width: 20)
        #expect(text == "one two three four\nfive six seven eight\nnine ten\naveryveryverylongword\nend")
        for line in text.split(separator: "\n") where !line.contains("averyvery") { #expect(line.count <= 20) }
    }

    @Test("fences become an info line and indented code; no backticks are left")
    func fences() {
        let text = TerminalMarkdown.render(
            "Check it:\n\n```check tcp-connect host={{host}}\n```\n\n```sh\nsudo systemctl restart ssh\n```\n",
            width: 80)
        #expect(text == "Check it:\n\n[check tcp-connect host={{host}}]\n\n[sh]\n    sudo systemctl restart ssh")
        #expect(!text.contains("```"))
    }

    @Test("lists with hanging indents, inline markup dropped, links with their URL, quotes marked")
    func blocks() {
        let markdown = """
            - *First* item with `code` and a [link](https://example.com/x) that wraps
            - Second, see [below](#step)

            1. one
            2. two

            > A quoted **note**.
            """
        #expect(
            TerminalMarkdown.render(markdown, width: 40) == """
                - First item with code and a link
                  (https://example.com/x) that wraps
                - Second, see below

                1. one
                2. two

                | A quoted note.
                """)
    }

    @Test("headings are underlined; HTML blocks are left out")
    func headings() {
        #expect(TerminalMarkdown.render("## Title\n\n<div>x</div>\n\nText.", width: 80) == "Title\n=====\n\nText.")
        #expect(TerminalMarkdown.render("", width: 80) == "")
    }
}
