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
        var source = text
        if source.hasPrefix("\u{FEFF}") { source.removeFirst() }
        lines = SourceLines(source)
        frontMatter = nil
        if lines.lines.first?.trimmingWhitespace() == "---" {
            let closing = lines.lines.dropFirst().firstIndex { ["---", "..."].contains($0.trimmingWhitespace()) }
            if let closing {
                let yaml = lines.lines[1..<closing].joined(separator: "\n")
                var matter = FrontMatter(root: nil, error: nil, endLine: closing + 1)
                do {
                    matter.root = try YAMLReader.read(yaml, firstLine: 2)
                } catch {
                    matter.error = error
                }
                frontMatter = matter
                // Blank the front matter so that cmark's line numbers stay those of the file.
                let body = Array(repeating: "", count: closing + 1) + lines.lines[(closing + 1)...]
                source = body.joined(separator: "\n")
            } else {
                frontMatter = FrontMatter(
                    root: nil,
                    error: .init(
                        message: "front matter is never closed: add a line '---' after it",
                        location: SourceLocation(line: 1, column: 1)),
                    endLine: 1)
            }
        }
        blocks = CmarkParser.blocks(in: source)
    }

    /// Renders Markdown text to HTML with cmark (raw HTML is passed through; filter it before display).
    public static func html(from text: String, smart: Bool = false) -> String {
        CmarkParser.html(of: text, smart: smart)
    }
}
