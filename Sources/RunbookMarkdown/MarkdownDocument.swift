/// A Markdown file parsed with cmark: its front matter, its blocks and its source lines.
///
/// ```swift
/// let document = MarkdownDocument(parsing: text)
/// for case .heading(let heading) in document.blocks { print(heading.text) }
/// ```
public struct MarkdownDocument: Sendable {
    /// The YAML front matter, if the file starts with a `---` line.
    public var frontMatter: FrontMatter?
    /// Top-level blocks in document order.
    public var blocks: [MarkdownBlock]
    public var lines: SourceLines
    /// cmark's tree of the parsed text, when asked for (see ``init(parsing:keepingTree:otherBlockText:)``).
    public var parsed: Parsed?

    /// The cmark tree of the same parse as ``blocks``.
    public struct Parsed: Sendable {
        /// The text cmark parsed: the file without a byte-order mark, front matter blanked.
        public var source: String
        public var tree: MarkdownTree
        /// The lines of ``source``.
        public var lines: SourceLines
    }

    /// The YAML block at the top of a file.
    public struct FrontMatter: Sendable {
        /// The parsed YAML, or `nil` when it is empty or invalid.
        public var root: MetaNode?
        /// The YAML error, if the block is not valid YAML or is never closed.
        public var error: YAMLReader.Failure?
        /// Lines 1 through `endLine` belong to the front matter.
        public var endLine: Int
    }

    public init(parsing text: String) {
        self.init(parsing: text, keepingTree: false)
    }

    /// Parses `text`; with `keepingTree`, also keeps cmark's tree of the same parse in ``parsed``
    /// (the tree ``MarkdownTree/init(parsing:)`` gives for ``Parsed/source``).
    ///
    /// Without `otherBlockText` the ``MarkdownBlock/Other/text`` of paragraphs, lists, quotes and
    /// breaks is left empty, for readers that only need their kind and range.
    public init(parsing text: String, keepingTree: Bool, otherBlockText: Bool = true) {
        var source = text
        if source.hasPrefix("\u{FEFF}") { source.removeFirst() }
        lines = SourceLines(source)
        frontMatter = nil
        parsed = nil
        var parseLines = lines
        if lines[1]?.trimmingWhitespace() == "---" {
            let allLines = lines.lines
            let closing = allLines.dropFirst().firstIndex { ["---", "..."].contains($0.trimmingWhitespace()) }
            if let closing {
                let yaml = allLines[1..<closing].joined(separator: "\n")
                var matter = FrontMatter(root: nil, error: nil, endLine: closing + 1)
                do {
                    matter.root = try YAMLReader.read(yaml, firstLine: 2)
                } catch {
                    matter.error = error
                }
                frontMatter = matter
                // Blank the front matter so that cmark's line numbers stay those of the file.
                let body = Array(repeating: "", count: closing + 1) + allLines[(closing + 1)...]
                source = body.joined(separator: "\n")
                parseLines = SourceLines(source)
            } else {
                frontMatter = FrontMatter(
                    root: nil,
                    error: .init(
                        message: "front matter is never closed: add a line '---' after it",
                        location: SourceLocation(line: 1, column: 1)),
                    endLine: 1)
            }
        }
        let result = CmarkParser.parse(source, lines: parseLines, keepingTree: keepingTree, otherText: otherBlockText)
        blocks = result.blocks
        if let tree = result.tree { parsed = Parsed(source: source, tree: tree, lines: parseLines) }
    }

    /// Renders Markdown text to HTML with cmark (raw HTML is passed through; filter it before display).
    public static func html(from text: String, smart: Bool = false) -> String {
        CmarkParser.html(of: text, smart: smart)
    }

}
