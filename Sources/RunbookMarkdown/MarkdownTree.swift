/// cmark's parse tree of a text, copied into Swift values: every node in document order (a node
/// comes before its children), with the text of its literal, URL, title or info string.
///
/// A renderer walks it instead of cmark's HTML output, so that a page is written in one pass from
/// the same parse that loaded the runbook, and no cmark pointer leaves ``CmarkParser``.
///
/// ```swift
/// let tree = MarkdownTree(parsing: "# Hi\n")
/// var child = tree.firstChild(of: 0)          // node 0 is the document
/// while let index = child {
///     print(tree.nodes[index].kind)           // .heading
///     child = tree.nextSibling(of: index, in: 0)
/// }
/// ```
public struct MarkdownTree: Sendable {
    /// The kinds of node cmark builds (custom blocks and inlines are never made by its parser).
    public enum Kind: UInt8, Sendable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph, heading
        case thematicBreak, text, softBreak, lineBreak, code, htmlInline, customInline, emphasis, strong
        case link, image
    }

    public struct Node: Sendable {
        public var kind: Kind
        /// A heading's level (1–6).
        public var level: UInt8 = 0
        /// A list: whether it is ordered, and whether it is tight (items without `<p>`).
        public var ordered = false
        public var tight = false
        /// A list's first number.
        public var listStart: Int32 = 0
        /// cmark's source position of a block (1-based lines, byte columns; columns may be 0, as
        /// cmark gives them); 0 for inline nodes, whose positions are not copied.
        public var startLine: Int32 = 0
        public var startColumn: Int32 = 0
        public var endLine: Int32 = 0
        public var endColumn: Int32 = 0
        /// ``MarkdownTree/bytes`` of the literal (text, code, HTML, a code block's content) or of a
        /// link's or image's URL.
        public var literal: Range<Int32> = 0..<0
        /// ``MarkdownTree/bytes`` of a code block's info string or a link's or image's title.
        public var extra: Range<Int32> = 0..<0
        /// The index just after this node's last descendant.
        public var end: Int32 = 0

        init(kind: Kind) { self.kind = kind }
    }

    /// Every node, the document first; node `i`'s descendants are `i + 1 ..< nodes[i].end`.
    public internal(set) var nodes: [Node] = []
    /// The UTF-8 of every literal, URL, title and info string, one after the other.
    public internal(set) var bytes: [UInt8] = []

    init() {}

    /// Parses `text` with cmark (as ``MarkdownDocument`` does) and keeps only the tree.
    public init(parsing text: String) {
        self = CmarkParser.tree(of: text)
    }

    public func literal(of index: Int) -> ArraySlice<UInt8> {
        let range = nodes[index].literal
        return bytes[Int(range.lowerBound)..<Int(range.upperBound)]
    }

    public func extra(of index: Int) -> ArraySlice<UInt8> {
        let range = nodes[index].extra
        return bytes[Int(range.lowerBound)..<Int(range.upperBound)]
    }

    public func firstChild(of index: Int) -> Int? {
        index + 1 < Int(nodes[index].end) ? index + 1 : nil
    }

    /// The next sibling of `index`, given as the child of `parent`.
    public func nextSibling(of index: Int, in parent: Int) -> Int? {
        let next = Int(nodes[index].end)
        return next < Int(nodes[parent].end) ? next : nil
    }
}
