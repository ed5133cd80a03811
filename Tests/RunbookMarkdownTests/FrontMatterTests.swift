import RunbookMarkdown
import Testing

@Suite("Front matter")
struct FrontMatterTests {
    static let text = """
        ---
        id: ssh-connection
        title: Troubleshoot SSH
        keywords: [ssh, "permission denied"]
        models:
          arm: Resource Manager
          classic: Classic
        ---

        # Troubleshoot SSH

        ## Check the port
        """

    @Test("keys and values are parsed with their file positions")
    func parsedWithLocations() throws {
        let document = MarkdownDocument(parsing: Self.text)
        let matter = try #require(document.frontMatter)
        #expect(document.frontMatterProblem == nil)
        #expect(matter.endLine == 8)
        let root = matter.root
        #expect(root.pairs.map { $0.key.string } == ["id", "title", "keywords", "models"])
        #expect(root.pairs.map(\.key.location) == [at(2, 1), at(3, 1), at(4, 1), at(5, 1)])
        #expect(root["id"]?.string == "ssh-connection")
        #expect(root["id"]?.location == at(2, 5))
        #expect(root["title"]?.location == at(3, 8))
        #expect(root["keywords"]?.strings == ["ssh", "permission denied"])
        #expect(root["keywords"]?.items.map(\.location) == [at(4, 12), at(4, 17)])
        let models = try #require(root["models"])
        #expect(models.pairs.map { $0.key.string } == ["arm", "classic"], "declaration order is kept")
        #expect(models.pairs.map(\.key.location) == [at(6, 3), at(7, 3)])
        #expect(models["classic"]?.string == "Classic")
    }

    @Test("the body keeps the file's line numbers after the front matter")
    func bodyLinesUnchanged() {
        let document = MarkdownDocument(parsing: Self.text)
        #expect(document.headings.map(\.range.start) == [at(10, 1), at(12, 1)])
        #expect(document.headings.map(\.text) == ["Troubleshoot SSH", "Check the port"])
        #expect(document.lines[10] == "# Troubleshoot SSH", "source lines are the file's, not the blanked copy")
        #expect(document.lines[2] == "id: ssh-connection")
        #expect(document.blocks.count == 2, "the front matter yields no Markdown block (no thematic break)")
    }

    @Test("'...' also closes front matter")
    func dotsClose() throws {
        let document = MarkdownDocument(parsing: "---\nid: x\n...\n# H\n")
        let matter = try #require(document.frontMatter)
        #expect(matter.endLine == 3)
        #expect(matter.root["id"]?.string == "x")
        #expect(document.headings.first?.range.start == at(4, 1))
    }

    @Test("unclosed front matter is a problem at 1:1 that says how to fix it; the lines are Markdown")
    func unclosed() throws {
        let document = MarkdownDocument(parsing: "---\nid: x\ntitle: T\n\n# Heading\n")
        #expect(document.frontMatter == nil)
        let error = try #require(document.frontMatterProblem)
        #expect(error.location == at(1, 1))
        #expect(error.message.contains("never closed"))
        #expect(error.message.contains("'---'"))
        #expect(document.headings.first?.range.start == at(5, 1), "the body is still parsed")
        #expect(
            document.blocks.first.map { if case .other(let other) = $0 { other.kind } else { "" } } == "thematic-break")
    }

    @Test("a YAML syntax error is reported on its line in the file; the block is Markdown")
    func yamlSyntaxError() throws {
        let text = "---\nid: x\ntitle: T\nkeywords: [ssh, sshd\nverify: can-log-in\n---\n# H\n"
        let document = MarkdownDocument(parsing: text)
        #expect(document.frontMatter == nil)
        let error = try #require(document.frontMatterProblem)
        #expect(error.message.hasPrefix("invalid YAML: "))
        #expect(error.location.line == 5, "the scanner notices the missing ']' on the next key: \(error)")
        #expect(document.headings.map(\.level) == [2, 1], "cmark's setext heading, then '# H'")
    }

    @Test("a bad indentation error points at the offending line")
    func yamlIndentationError() throws {
        let text = "---\nid: x\n  title: T\n---\n"
        let error = try #require(MarkdownDocument(parsing: text).frontMatterProblem)
        #expect(error.location.line == 3, "\(error)")
        #expect(error.message.hasPrefix("invalid YAML: "))
    }

    @Test("keys with a list under them are a mapping; a quoted key with broken YAML is a problem")
    func keyForms() throws {
        let document = MarkdownDocument(parsing: "---\nid:\n- a\n---\n")
        #expect(document.frontMatter?.root["id"]?.strings == ["a"], "'id:' with a list under it is a mapping")
        let list = MarkdownDocument(parsing: "---\n\"id\": [a\n---\n")
        #expect(list.frontMatter == nil)
        #expect(list.frontMatterProblem?.message.hasPrefix("invalid YAML") == true)
    }

    /// CommonMark spec examples 96 and 98 (0.30), and Markdown like them: a `---` block that is
    /// not a YAML mapping is Markdown, as cmark reads it, and no problem either.
    @Test(
        "a '---' block that is not a YAML mapping is Markdown, not front matter",
        arguments: [
            ("---\nFoo\n---\nBar\n---\nBaz\n", ["thematic-break", "heading 2", "heading 2", "paragraph"]),
            ("---\n---\n", ["thematic-break", "thematic-break"]),
            ("---\n---\n# H\n", ["thematic-break", "thematic-break", "heading 1"]),
            ("---\n- a\n- b\n---\n", ["thematic-break", "list", "thematic-break"]),
            ("---\n*a* [b\n---\n", ["thematic-break", "heading 2"]),
            ("---\n\nText after a rule.\n", ["thematic-break", "paragraph"]),
            ("---\nFoo bar: baz: qux\n---\n", ["thematic-break", "heading 2"]),
        ])
    func notFrontMatter(text: String, kinds: [String]) {
        let document = MarkdownDocument(parsing: text)
        #expect(document.frontMatter == nil)
        #expect(document.frontMatterProblem == nil)
        let found = document.blocks.map { block -> String in
            switch block {
            case .heading(let heading): "heading \(heading.level)"
            case .other(let other): other.kind
            default: "\(block)"
            }
        }
        #expect(found == kinds, "\(text.debugDescription)")
    }

    @Test("no front matter unless '---' is the first line")
    func notFirstLine() {
        let document = MarkdownDocument(parsing: "\n---\nid: x\n---\n")
        #expect(document.frontMatter == nil)
    }

    @Test("YAML columns after non-ASCII text count UTF-8 bytes, like the rest of the file")
    func yamlColumnsInBytes() throws {
        let text = "---\nkeywords: [日本語, ssh]\n---\n"
        let root = try #require(MarkdownDocument(parsing: text).frontMatter).root
        let items = try #require(root["keywords"]?.items)
        #expect(items.first?.location == at(2, 12))
        #expect(items.last?.location == at(2, 23))
    }
}

@Suite("YAMLReader")
struct YAMLReaderTests {
    @Test("a fragment's positions are shifted by its first line and column offset")
    func offsets() throws {
        let root = try #require(try YAMLReader.read("path: /etc/ssh\nmax: 600\n", firstLine: 10, columnOffset: 2))
        #expect(root.pairs.map(\.key.location) == [at(10, 3), at(11, 3)])
        #expect(root["path"]?.location == at(10, 9))
        #expect(root["max"]?.string == "600")
    }

    @Test("null, booleans and scalars read as written")
    func scalars() throws {
        let root = try #require(try YAMLReader.read("a: ~\nb: yes\nc: 'null'\nd: Off\n", firstLine: 1))
        #expect(root["a"]?.value == .null)
        #expect(root["b"]?.bool == true)
        #expect(root["c"]?.string == "null", "a quoted 'null' is text")
        #expect(root["d"]?.bool == false)
    }

    @Test("an error is thrown with its place in the file")
    func failure() {
        #expect(throws: YAMLReader.Failure.self) {
            try YAMLReader.read("a: [b\n", firstLine: 7)
        }
        do {
            _ = try YAMLReader.read("a: b\n c: d: e\n", firstLine: 7)
            Issue.record("expected a YAML error")
        } catch {
            #expect(error.location.line == 8, "\(error)")
        }
    }
}
