import RunbookMarkdown
import Testing

@Suite("Fenced code blocks")
struct FenceTests {
    @Test("info string, literal, range and info location of a backtick fence")
    func backtickFence() throws {
        let text = "## Step\n\n```check tcp-connect host={{host}} port=22\nextra: yes\n```\n"
        let fence = try #require(MarkdownDocument(parsing: text).fences.first)
        #expect(fence.info == "check tcp-connect host={{host}} port=22")
        #expect(fence.literal == "extra: yes\n")
        #expect(fence.range.start == at(3, 1))
        #expect(fence.range.end == at(5, 3))
        #expect(fence.infoLocation == at(3, 4))
        #expect(fence.isClosed)
    }

    @Test(
        "the info location skips the fence run and the spaces after it",
        arguments: [
            ("```check a", 4),
            ("```   check a", 7),
            ("````run sh", 5),
            ("~~~ run sh", 5),
            ("~~~~~\tcall other", 7),
            ("   ```check a", 7),
            ("  ````` check a", 9),
        ])
    func infoColumn(opening: String, column: Int) throws {
        let close = String(opening.trimmingPrefix(while: { $0 == " " }).prefix { $0 == "`" || $0 == "~" })
        let fence = try #require(MarkdownDocument(parsing: "# T\n\n\(opening)\nx\n\(close)\n").fences.first)
        #expect(fence.infoLocation == at(3, column), "\(opening)")
        #expect(fence.info.hasPrefix("check") || fence.info.hasPrefix("run") || fence.info.hasPrefix("call"))
        #expect(fence.isClosed, "\(opening) closed by \(close)")
    }

    @Test("a fence indented in a list item: range and info location in the file's columns")
    func fenceInListItem() throws {
        let text = """
            ## Reset

            1. Restart the daemon:

               ```run sh
               systemctl restart sshd
               ```

            2. Try again.

            """
        let document = MarkdownDocument(parsing: text)
        let fence = try #require(document.fences.first)
        #expect(document.fences.count == 1)
        #expect(fence.info == "run sh")
        #expect(fence.literal == "systemctl restart sshd\n")
        #expect(fence.range.start == at(5, 4))
        #expect(fence.range.end.line == 7)
        #expect(fence.infoLocation == at(5, 7))
        #expect(fence.isClosed)
    }

    @Test("a tab-indented fence in a list item counts the tab as one byte")
    func tabIndentedFence() throws {
        let text = "-\tCheck the service:\n\n\t```bash\n\tsudo service ssh status\n\t```\n"
        let fence = try #require(MarkdownDocument(parsing: text).fences.first)
        #expect(fence.info == "bash")
        #expect(fence.infoLocation == at(3, 5))
        #expect(fence.literal == "sudo service ssh status\n")
        #expect(fence.isClosed)
    }

    @Test("a fence nested two lists deep is found, in document order with top-level fences")
    func deeplyNestedFence() {
        let text = """
            ```bash
            top
            ```

            - outer
              - inner

                ```check tcp-connect
                ```

            """
        let document = MarkdownDocument(parsing: text)
        #expect(document.fences.map(\.info) == ["bash", "check tcp-connect"])
        #expect(document.fences.last?.infoLocation == at(8, 8))
    }

    @Test("a fence in a block quote: info location after the quote marker, closed")
    func fenceInQuote() throws {
        let fence = try #require(MarkdownDocument(parsing: "> ```check a\n> x\n> ```\n").fences.first)
        #expect(fence.info == "check a")
        #expect(fence.range.start == at(1, 3))
        #expect(fence.infoLocation == at(1, 6))
        #expect(fence.isClosed)
    }

    @Test("a fence on the list marker's line: info location after the backticks")
    func fenceOnListMarkerLine() throws {
        let fence = try #require(MarkdownDocument(parsing: "- ```check a\n  x\n  ```\n").fences.first)
        #expect(fence.info == "check a")
        #expect(fence.range.start == at(1, 3))
        #expect(fence.infoLocation == at(1, 6))
        #expect(fence.isClosed)
    }

    @Test("an unterminated fence runs to the end of the file and is not closed")
    func unterminated() throws {
        let text = "## Step\n\n```check tcp-connect host=a\nport: 22\n\n## Later heading\n"
        let document = MarkdownDocument(parsing: text)
        let fence = try #require(document.fences.first)
        #expect(!fence.isClosed)
        #expect(fence.range.start == at(3, 1))
        #expect(fence.literal == "port: 22\n\n## Later heading\n")
        #expect(document.headings.map(\.text) == ["Step"], "the later heading is swallowed by the fence")
    }

    @Test(
        "closing rules: longer closer closes, shorter or other character does not",
        arguments: [
            ("```", "````", true),
            ("````", "```", false),
            ("```", "~~~", false),
            ("~~~", "~~~~~", true),
            ("```", "```   ", true),
            ("```", "``` x", false),
        ])
    func closing(opening: String, closing: String, closed: Bool) throws {
        let fence = try #require(MarkdownDocument(parsing: "\(opening)check a\nbody\n\(closing)\n").fences.first)
        #expect(fence.isClosed == closed, "\(opening) … \(closing)")
    }

    @Test("a fence whose closing line is the last line without a newline is closed")
    func closedAtEndOfFile() throws {
        let fence = try #require(MarkdownDocument(parsing: "```run sh\necho hi\n```").fences.first)
        #expect(fence.isClosed)
        #expect(fence.literal == "echo hi\n")
    }

    @Test("an opening fence on the last line is not closed")
    func openingOnLastLine() throws {
        let fence = try #require(MarkdownDocument(parsing: "# T\n```check a").fences.first)
        #expect(!fence.isClosed)
        #expect(fence.range.start == at(2, 1))
    }

    @Test("an empty fence is closed, with an empty literal")
    func emptyFence() throws {
        let fence = try #require(MarkdownDocument(parsing: "```check a\n```\n").fences.first)
        #expect(fence.isClosed)
        #expect(fence.literal == "")
    }

    @Test("indented code has no info string and no info location")
    func indentedCode() throws {
        let fence = try #require(MarkdownDocument(parsing: "Text.\n\n    check a\n    more\n").fences.first)
        #expect(fence.info == "")
        #expect(fence.infoLocation == nil)
        #expect(fence.literal == "check a\nmore\n")
        #expect(fence.range.start == at(3, 5))
    }

    @Test("indented code whose first line is ``` is indented code, not an open fence")
    func indentedCodeThatLooksFenced() throws {
        // From azure-docs active-directory-devquickstarts-android.md: four spaces after a paragraph.
        let text = "Optional:\n\n    ```java\n     mContext.acquireTokenSilent();\n    ```\n\nAfter.\n"
        let document = MarkdownDocument(parsing: text)
        let fence = try #require(document.fences.first)
        #expect(document.fences.count == 1)
        #expect(fence.literal == "```java\n mContext.acquireTokenSilent();\n```\n", "cmark reads it as indented code")
        #expect(fence.info == "")
        #expect(fence.infoLocation == nil)
        #expect(fence.isClosed)
    }

    @Test("a one-line code span that starts with backticks is not a fence")
    func inlineCodeSpan() {
        let document = MarkdownDocument(parsing: "```git clone https://example.com/repo```\n")
        #expect(document.fences.isEmpty)
        #expect(document.dump() == ["paragraph 1:1"])
    }
}
