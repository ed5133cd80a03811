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
    /// cmark's HTML of the parsed text, when asked for (see ``init(parsing:renderingHTML:)``).
    public var renderedHTML: RenderedHTML?

    /// The HTML that cmark rendered from the same parse as ``blocks``.
    public struct RenderedHTML: Sendable {
        /// The text cmark parsed: the file without a byte-order mark, front matter blanked.
        public var source: String
        /// cmark's HTML (raw HTML kept, source positions on), as UTF-8.
        public var html: [UInt8]
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
        self.init(parsing: text, renderingHTML: false)
    }

    /// Parses `text`; with `renderingHTML`, also renders cmark's HTML from the same parse tree
    /// (as ``html(from:smart:)`` would from ``RenderedHTML/source``), kept in ``renderedHTML``.
    ///
    /// Without `otherBlockText` the ``MarkdownBlock/Other/text`` of paragraphs, lists, quotes and
    /// breaks is left empty, for readers that only need their kind and range.
    public init(parsing text: String, renderingHTML: Bool, otherBlockText: Bool = true) {
        var source = text
        if source.hasPrefix("\u{FEFF}") { source.removeFirst() }
        lines = SourceLines(source)
        frontMatter = nil
        renderedHTML = nil
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
        let parsed = CmarkParser.parse(source, lines: parseLines, renderingHTML: renderingHTML,
                                       otherText: otherBlockText)
        blocks = parsed.blocks
        if let html = parsed.html { renderedHTML = RenderedHTML(source: source, html: html) }
    }

    /// Renders Markdown text to HTML with cmark (raw HTML is passed through; filter it before display).
    public static func html(from text: String, smart: Bool = false) -> String {
        CmarkParser.html(of: text, smart: smart)
    }

    /// ``html(from:smart:)`` as UTF-8 bytes.
    public static func htmlBytes(from text: String, smart: Bool = false) -> [UInt8] {
        CmarkParser.htmlBytes(of: text, smart: smart)
    }
}
