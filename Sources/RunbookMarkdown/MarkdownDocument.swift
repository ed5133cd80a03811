/// A Markdown file parsed with cmark: its front matter, its blocks and its source lines.
///
/// ```swift
/// let document = MarkdownDocument(parsing: text)
/// for case .heading(let heading) in document.blocks { print(heading.text) }
/// ```
public struct MarkdownDocument: Sendable {
    /// The YAML front matter: the lines between a first line `---` and the next `---` (or `...`)
    /// line, when they are a YAML mapping (see ``readFrontMatter(_:)``).
    public var frontMatter: FrontMatter?
    /// Why a file whose first line is `---` and whose next lines read like YAML keys has no front
    /// matter (invalid YAML, not a mapping, never closed); those lines are Markdown then.
    public var frontMatterProblem: YAMLReader.Failure?
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
        /// The parsed YAML: always a mapping (anything else is no front matter, see
        /// ``MarkdownDocument/frontMatterProblem``).
        public var root: MetaNode
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
        parsed = nil
        var parseLines = lines
        let found = Self.readFrontMatter(lines)
        frontMatter = found.matter
        frontMatterProblem = found.problem
        if let matter = found.matter {
            // Blank the front matter so that cmark's line numbers stay those of the file.
            source = Self.blanking(lines.lines, through: matter.endLine)
            parseLines = SourceLines(source)
        }
        let result = CmarkParser.parse(source, lines: parseLines, keepingTree: keepingTree, otherText: otherBlockText)
        blocks = result.blocks
        if let tree = result.tree { parsed = Parsed(source: source, tree: tree, lines: parseLines) }
    }

    /// `text` (without a byte-order mark) as this type gives it to cmark: with the lines of its
    /// front matter, if it has some, emptied (``Parsed/source``); otherwise `text` itself.
    public static func blankingFrontMatter(_ text: String) -> String {
        guard text.hasPrefix("---") else { return text }
        let lines = SourceLines(text)
        guard let matter = readFrontMatter(lines).matter else { return text }
        return blanking(lines.lines, through: matter.endLine)
    }

    static func blanking(_ lines: [String], through endLine: Int) -> String {
        (Array(repeating: "", count: endLine) + lines[endLine...]).joined(separator: "\n")
    }

    /// The front matter of a file whose first line is `---`, or why that block is none.
    ///
    /// Front matter is the text up to the next `---` (or `...`) line when it is a YAML mapping.
    /// Anything else is Markdown, as for cmark (a thematic break, a setext heading: `---`, `Foo`,
    /// `---` is no front matter). When the block reads like keys (`id: x`) but is not a mapping,
    /// is not valid YAML or is never closed, ``frontMatterProblem`` says so.
    static func readFrontMatter(_ lines: SourceLines) -> (matter: FrontMatter?, problem: YAMLReader.Failure?) {
        guard lines[1]?.trimmed == "---" else { return (nil, nil) }
        let allLines = lines.lines
        let closing = allLines.dropFirst().firstIndex { ["---", "..."].contains($0.trimmed) }
        let blockEnd = closing ?? allLines.count
        let looksLikeKeys =
            allLines[1..<blockEnd].first { line in
                let trimmed = line.trimmed
                return !trimmed.isEmpty && !trimmed.hasPrefix("#")
            }.map(Self.startsWithKey) ?? false
        guard let closing else {
            guard looksLikeKeys else { return (nil, nil) }
            return (
                nil,
                YAMLReader.Failure(
                    message: "front matter is never closed: add a line '---' after it",
                    location: SourceLocation(line: 1, column: 1))
            )
        }
        let yaml = allLines[1..<closing].joined(separator: "\n")
        let root: MetaNode?
        do {
            root = try YAMLReader.read(yaml, firstLine: 2)
        } catch {
            return (nil, looksLikeKeys ? error : nil)
        }
        if let root, case .mapping = root.value { return (FrontMatter(root: root, endLine: closing + 1), nil) }
        guard looksLikeKeys, let root else { return (nil, nil) }
        return (
            nil,
            YAMLReader.Failure(message: "front matter must be a mapping of keys to values", location: root.location)
        )
    }

    /// Whether a line starts like a YAML mapping entry: a plain or quoted key, then `:` and a space
    /// or the end of the line (`id: x`, `models:`).
    static func startsWithKey(_ line: String) -> Bool {
        var bytes = Substring(line).utf8[...]
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            bytes = bytes.dropFirst()
            guard let close = bytes.firstIndex(of: first) else { return false }
            bytes = bytes[bytes.index(after: close)...]
        } else {
            let key = bytes.prefix { byte in
                (byte | 0x20 >= 97 && byte | 0x20 <= 122) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte >= 0x80
            }
            guard !key.isEmpty else { return false }
            bytes = bytes[key.endIndex...]
        }
        bytes = bytes.drop { $0 == 32 || $0 == 9 }
        guard bytes.first == UInt8(ascii: ":") else { return false }
        let after = bytes.dropFirst().first
        return after == nil || after == 32 || after == 9
    }

    /// Renders Markdown text to HTML with cmark (raw HTML is passed through; filter it before display).
    public static func html(from text: String, smart: Bool = false) -> String {
        CmarkParser.html(of: text, smart: smart)
    }

}
