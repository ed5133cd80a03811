// The one file that talks to cmark. Everything it hands up is a Swift value; no cmark pointer
// leaves this file, and every node tree is freed before a function returns.
internal import CCmark

/// Parses CommonMark text with cmark into top-level ``MarkdownBlock`` values.
enum CmarkParser {
    /// cmark's tree of `text` with source positions; the caller frees it with `cmark_node_free`.
    static func document(_ text: String) -> OpaquePointer? {
        var text = text
        return text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_SOURCEPOS)
            }
        }
    }

    /// Parses `text` once into blocks and, if asked, copies the same tree into a ``MarkdownTree``.
    ///
    /// `lines` must hold the lines that cmark's line numbers refer to (the text's own, or those
    /// of the file it was cut from when only blank lines differ).
    /// Without `otherText`, ``MarkdownBlock/Other/text`` is left empty (for readers that never
    /// look at it: gathering the text of every paragraph and list is a good part of the walk).
    static func parse(_ text: String, lines: SourceLines, lineOffset: Int = 0, keepingTree: Bool,
                      otherText: Bool = true) -> (blocks: [MarkdownBlock], tree: MarkdownTree?)
    {
        var text = text
        return text.withUTF8 { buffer in
            let root: OpaquePointer? = buffer.withMemoryRebound(to: CChar.self) {
                cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_SOURCEPOS)
            }
            guard let root else { return ([], keepingTree ? MarkdownTree() : nil) }
            defer { cmark_node_free(root) }
            var walker = Walker(lines: lines, lineOffset: lineOffset)
            walker.otherText = otherText
            walker.walk(root)
            return (walker.blocks, keepingTree ? copyTree(root, sizeHint: buffer.count) : nil)
        }
    }

    /// Parses `text` into a ``MarkdownTree`` only.
    static func tree(of text: String) -> MarkdownTree {
        var text = text
        return text.withUTF8 { buffer in
            let root: OpaquePointer? = buffer.withMemoryRebound(to: CChar.self) {
                cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_SOURCEPOS)
            }
            guard let root else { return MarkdownTree() }
            defer { cmark_node_free(root) }
            return copyTree(root, sizeHint: buffer.count)
        }
    }

    /// Copies the tree under `root` into Swift values, in document order.
    private static func copyTree(_ root: OpaquePointer, sizeHint: Int) -> MarkdownTree {
        var builder = TreeBuilder()
        builder.tree.nodes.reserveCapacity(sizeHint / 16 + 8)
        builder.tree.bytes.reserveCapacity(sizeHint)
        builder.visit(root)
        return builder.tree
    }

    /// Renders `text` to HTML with cmark, raw HTML kept (the caller filters it).
    static func html(of text: String, smart: Bool = false) -> String {
        String(decoding: htmlBytes(of: text, smart: smart), as: UTF8.self)
    }

    /// ``html(of:smart:)`` as UTF-8 bytes.
    static func htmlBytes(of text: String, smart: Bool = false) -> [UInt8] {
        var options = CMARK_OPT_UNSAFE | CMARK_OPT_SOURCEPOS
        if smart { options |= CMARK_OPT_SMART }
        var text = text
        return text.withUTF8 { buffer in
            let root: OpaquePointer? = buffer.withMemoryRebound(to: CChar.self) {
                cmark_parse_document($0.baseAddress, $0.count, options)
            }
            guard let root else { return [] }
            defer { cmark_node_free(root) }
            return renderHTML(root, options: options)
        }
    }

    private static func renderHTML(_ root: OpaquePointer, options: Int32) -> [UInt8] {
        guard let rendered = cmark_render_html(root, options) else { return [] }
        defer { runbook_cmark_free_string(rendered) }
        let count = runbook_cmark_string_length(rendered)
        return rendered.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }
}

/// Reads cmark's top-level blocks into ``MarkdownBlock`` values. Nothing here recurses over
/// cmark's nodes: Markdown nested 10,000 levels deep (lists, quotes, emphasis) is walked with
/// loops, whose memory is on the heap, not the stack.
private struct Walker {
    /// The lines that the current tree's line numbers (shifted by `lineOffset`) refer to.
    var lines: SourceLines
    var lineOffset: Int
    var blocks: [MarkdownBlock] = []
    var otherText = true

    init(lines: SourceLines, lineOffset: Int) {
        self.lines = lines
        self.lineOffset = lineOffset
    }

    /// A tree whose top-level blocks are being read: the document, or the rest of an HTML block
    /// parsed again (see ``visitHTML(literal:range:)``), which this walk owns and frees.
    struct Frame {
        let root: OpaquePointer
        var next: OpaquePointer?
        let lines: SourceLines
        let lineOffset: Int
        let owned: Bool
    }

    /// Reads the top-level blocks of `root`; an HTML block that is parsed again has the blocks of
    /// its rest read in its place, with a stack of trees instead of a recursive call.
    mutating func walk(_ root: OpaquePointer) {
        var frames = [Frame(root: root, next: cmark_node_first_child(root), lines: lines, lineOffset: lineOffset,
                            owned: false)]
        defer {
            for frame in frames where frame.owned { cmark_node_free(frame.root) }
        }
        while let top = frames.last {
            guard let node = top.next else {
                frames.removeLast()
                if top.owned { cmark_node_free(top.root) }
                continue
            }
            frames[frames.count - 1].next = cmark_node_next(node)
            lines = top.lines
            lineOffset = top.lineOffset
            guard let rest = visitTopLevel(node) else { continue }
            // The rest's blocks come before the current tree's next block. A tree with nothing
            // left is freed first, so a chain of such HTML blocks keeps the stack short.
            if frames[frames.count - 1].next == nil {
                let done = frames.removeLast()
                if done.owned { cmark_node_free(done.root) }
            }
            guard let nested = CmarkParser.document(rest.text) else { continue }
            frames.append(Frame(root: nested, next: cmark_node_first_child(nested), lines: SourceLines(rest.text),
                                lineOffset: rest.lineOffset, owned: true))
        }
    }

    /// Reads one top-level block; returns the text to parse in its place (the rest of an HTML
    /// block after a legacy anchor line) and the line offset of that text, if any.
    mutating func visitTopLevel(_ node: OpaquePointer) -> (text: String, lineOffset: Int)? {
        let type = cmark_node_get_type(node)
        let range = self.range(of: node)
        switch type {
        case CMARK_NODE_HEADING:
            let level = Int(cmark_node_get_heading_level(node))
            blocks.append(.heading(.init(level: level, text: plainText(of: node), range: range, anchor: inlineAnchor(in: node))))
        case CMARK_NODE_CODE_BLOCK:
            blocks.append(.fence(fence(node, range: range)))
        case CMARK_NODE_HTML_BLOCK:
            return visitHTML(literal: string(cmark_node_get_literal(node)), range: range)
        case CMARK_NODE_PARAGRAPH where isInlineHTMLOnly(node):
            return visitHTML(literal: lines.text(from: range.start.line - lineOffset, to: range.end.line - lineOffset),
                             range: range)
        default:
            blocks.append(.other(.init(kind: kindName(type), text: otherText ? plainText(of: node) : "", range: range)))
            collectNestedFences(node)
        }
        return nil
    }

    /// Fences inside lists and quotes still belong to the step they sit in (found in document
    /// order, as a recursive walk would, with a loop).
    mutating func collectNestedFences(_ node: OpaquePointer) {
        var child = cmark_node_first_child(node)
        while let current = child {
            var descend = false
            switch cmark_node_get_type(current) {
            case CMARK_NODE_CODE_BLOCK:
                blocks.append(.fence(fence(current, range: range(of: current))))
            case CMARK_NODE_LIST, CMARK_NODE_ITEM, CMARK_NODE_BLOCK_QUOTE, CMARK_NODE_CUSTOM_BLOCK:
                descend = true
            default:
                break  // a leaf block: only inline content below, never a code block
            }
            child = Self.next(after: current, descending: descend, within: node)
        }
    }

    /// The node after `node` in document order below `root`: its first child if `descending`
    /// and it has one, else its next sibling or that of its nearest ancestor below `root`.
    static func next(after node: OpaquePointer, descending: Bool, within root: OpaquePointer) -> OpaquePointer? {
        if descending, let child = cmark_node_first_child(node) { return child }
        var current = node
        while current != root {
            if let sibling = cmark_node_next(current) { return sibling }
            guard let parent = cmark_node_parent(current) else { return nil }
            current = parent
        }
        return nil
    }

    /// A legacy anchor line swallows the heading below it into one HTML block (an HTML block runs
    /// to the next blank line), so the anchor is taken off; the rest is returned, to be parsed
    /// again with cmark and read in the block's place.
    mutating func visitHTML(literal: String, range: SourceRange) -> (text: String, lineOffset: Int)? {
        guard let first = Self.firstLine(of: literal), let id = LegacyAnchor.id(inLine: first) else {
            blocks.append(.html(.init(literal: literal, range: range)))
            return nil
        }
        var htmlLines = SourceLines.split(literal)
        if htmlLines.last == "" { htmlLines.removeLast() }
        let anchorRange = SourceRange(
            start: range.start,
            end: SourceLocation(line: range.start.line, column: first.utf8.count))
        blocks.append(.anchor(.init(id: id, range: anchorRange)))
        guard htmlLines.count > 1 else { return nil }
        return (htmlLines.dropFirst().joined(separator: "\n") + "\n", range.start.line)
    }

    func fence(_ node: OpaquePointer, range: SourceRange) -> MarkdownBlock.Fence {
        let literal = string(cmark_node_get_literal(node))
        let info = string(cmark_node_get_fence_info(node))
        // cmark 0.30 does not say whether a code block is fenced. The fence line is never part of a
        // fenced block's literal, while indented code starts with the text of its first line.
        guard let lineBytes = lines.bytes(ofLine: range.start.line - lineOffset) else {
            return .init(info: "", literal: literal, range: range, infoLocation: nil, isClosed: true)
        }
        let bytes = Array(lineBytes)
        let start = min(max(range.start.column - 1, 0), bytes.count)
        let firstLine = bytes[start...]
        let literalFirstLine = Self.firstLineBytes(of: literal)
        var index = start
        let fenceChar = index < bytes.count ? bytes[index] : 0
        var runLength = 0
        while index < bytes.count, bytes[index] == fenceChar {
            index += 1
            runLength += 1
        }
        let opensFence = (fenceChar == UInt8(ascii: "`") || fenceChar == UInt8(ascii: "~")) && runLength >= 3
        let isIndented = info.isEmpty && !literal.isEmpty && literalFirstLine.elementsEqual(firstLine)
        guard opensFence, !isIndented else {
            return .init(info: "", literal: literal, range: range, infoLocation: nil, isClosed: true)
        }
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        let infoLocation = SourceLocation(line: range.start.line, column: index + 1)
        var closed = false
        if range.end.line > range.start.line, let endLine = lines.bytes(ofLine: range.end.line - lineOffset) {
            let endBytes = Array(endLine)
            let tail = Array(endBytes[min(start, endBytes.count)...])
            closed = isClosingFence(tail, char: fenceChar, length: runLength)
                || isClosingFence(endBytes, char: fenceChar, length: runLength)
        }
        return .init(info: info, literal: literal, range: range, infoLocation: infoLocation, isClosed: closed)
    }

    /// The first line of `text` (as ``SourceLines`` splits it), `nil` for an empty text.
    static func firstLine(of text: String) -> String? {
        text.isEmpty ? nil : String(decoding: firstLineBytes(of: text), as: UTF8.self)
    }

    static func firstLineBytes(of text: String) -> [UInt8] {
        let utf8 = text.utf8
        let end = utf8.firstIndex { $0 == 10 || $0 == 13 } ?? utf8.endIndex
        return Array(utf8[..<end])
    }

    func isClosingFence(_ line: [UInt8], char: UInt8, length: Int) -> Bool {
        let bytes = line.drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        let run = bytes.prefix(while: { $0 == char }).count
        guard run >= length else { return false }
        return bytes.dropFirst(run).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// A legacy anchor written inside a heading: `### <a name="x"></a>Title`.
    func inlineAnchor(in node: OpaquePointer) -> String? {
        var child = cmark_node_first_child(node)
        while let current = child {
            if cmark_node_get_type(current) == CMARK_NODE_HTML_INLINE,
                let id = LegacyAnchor.id(inLine: string(cmark_node_get_literal(current)))
            {
                return id
            }
            child = cmark_node_next(current)
        }
        return nil
    }

    /// Whether a C string is empty or white space only (ASCII checked on bytes, the rest as
    /// characters).
    static func isBlank(_ pointer: UnsafePointer<CChar>?) -> Bool {
        guard var cursor = pointer else { return true }
        while cursor.pointee != 0 {
            let byte = UInt8(bitPattern: cursor.pointee)
            if byte >= 0x80 { return String(cString: cursor).allSatisfy(\.isWhitespace) }
            guard byte == 32 || (byte >= 9 && byte <= 13) else { return false }
            cursor += 1
        }
        return true
    }

    func isInlineHTMLOnly(_ node: OpaquePointer) -> Bool {
        var sawHTML = false
        var child = cmark_node_first_child(node)
        while let current = child {
            switch cmark_node_get_type(current) {
            case CMARK_NODE_HTML_INLINE: sawHTML = true
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: break
            case CMARK_NODE_TEXT:
                if !Self.isBlank(cmark_node_get_literal(current)) { return false }
            default: return false
            }
            child = cmark_node_next(current)
        }
        return sawHTML
    }

    func range(of node: OpaquePointer) -> SourceRange {
        var endLine = Int(cmark_node_get_end_line(node))
        var endColumn = Int(cmark_node_get_end_column(node))
        // cmark ends setext headings, lists and thematic breaks at column 0 of the next line;
        // report the last byte of the previous line instead, keeping columns 1-based.
        if endColumn == 0, endLine > Int(cmark_node_get_start_line(node)) {
            endLine -= 1
            endColumn = max(1, lines.byteCount(ofLine: endLine) ?? 1)
        }
        return SourceRange(
            start: SourceLocation(
                line: Int(cmark_node_get_start_line(node)) + lineOffset,
                column: Int(cmark_node_get_start_column(node))),
            end: SourceLocation(line: endLine + lineOffset, column: max(endColumn, 1)))
    }

    func plainText(of node: OpaquePointer) -> String {
        var result = ""
        appendText(of: node, to: &result)
        return result.trimmingWhitespace()
    }

    /// The text of every descendant of `node` in document order: literals, breaks as spaces, a
    /// line feed before each paragraph, heading, item and code block (a loop, not a recursion).
    func appendText(of node: OpaquePointer, to result: inout String) {
        var child = cmark_node_first_child(node)
        while let current = child {
            var descend = true
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                result += string(cmark_node_get_literal(current))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                result += " "
            case CMARK_NODE_HTML_INLINE:
                break
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                if !result.isEmpty, !result.hasSuffix("\n") { result += "\n" }
            case CMARK_NODE_CODE_BLOCK:
                if !result.isEmpty, !result.hasSuffix("\n") { result += "\n" }
                result += string(cmark_node_get_literal(current))
                descend = false
            default:
                break
            }
            child = Self.next(after: current, descending: descend, within: node)
        }
    }

    func kindName(_ type: cmark_node_type) -> String {
        switch type {
        case CMARK_NODE_PARAGRAPH: "paragraph"
        case CMARK_NODE_LIST: "list"
        case CMARK_NODE_BLOCK_QUOTE: "blockquote"
        case CMARK_NODE_THEMATIC_BREAK: "thematic-break"
        default: "block"
        }
    }

    func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}

extension MarkdownTree.Kind {
    init(type: cmark_node_type) {
        switch type {
        case CMARK_NODE_BLOCK_QUOTE: self = .blockQuote
        case CMARK_NODE_LIST: self = .list
        case CMARK_NODE_ITEM: self = .item
        case CMARK_NODE_CODE_BLOCK: self = .codeBlock
        case CMARK_NODE_HTML_BLOCK: self = .htmlBlock
        case CMARK_NODE_CUSTOM_BLOCK: self = .customBlock
        case CMARK_NODE_PARAGRAPH: self = .paragraph
        case CMARK_NODE_HEADING: self = .heading
        case CMARK_NODE_THEMATIC_BREAK: self = .thematicBreak
        case CMARK_NODE_TEXT: self = .text
        case CMARK_NODE_SOFTBREAK: self = .softBreak
        case CMARK_NODE_LINEBREAK: self = .lineBreak
        case CMARK_NODE_CODE: self = .code
        case CMARK_NODE_HTML_INLINE: self = .htmlInline
        case CMARK_NODE_CUSTOM_INLINE: self = .customInline
        case CMARK_NODE_EMPH: self = .emphasis
        case CMARK_NODE_STRONG: self = .strong
        case CMARK_NODE_LINK: self = .link
        case CMARK_NODE_IMAGE: self = .image
        default: self = .document
        }
    }
}

/// Builds a ``MarkdownTree`` from cmark's nodes (a struct, so that appending needs no closure box).
private struct TreeBuilder {
    var tree = MarkdownTree()

    mutating func copy(_ pointer: UnsafePointer<CChar>?) -> Range<Int32> {
        guard let pointer else { return 0..<0 }
        let start = Int32(tree.bytes.count)
        let count = runbook_cmark_string_length(pointer)
        pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            tree.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
        return start..<Int32(tree.bytes.count)
    }

    /// Copies `root` and its descendants in document order, with a loop (no recursion: a tree
    /// nested 10,000 levels deep is copied like a flat one).
    mutating func visit(_ root: OpaquePointer) {
        // The indices of the nodes whose descendants are being copied, innermost last.
        var open: [Int] = []
        var node: OpaquePointer? = root
        while let current = node {
            let index = append(current)
            if let child = cmark_node_first_child(current) {
                open.append(index)
                node = child
                continue
            }
            tree.nodes[index].end = Int32(tree.nodes.count)
            // Up to the nearest ancestor with a next sibling, closing the ancestors on the way.
            node = nil
            var at = current
            while at != root {
                if let sibling = cmark_node_next(at) {
                    node = sibling
                    break
                }
                guard let parent = cmark_node_parent(at), let parentIndex = open.popLast() else { break }
                tree.nodes[parentIndex].end = Int32(tree.nodes.count)
                at = parent
            }
        }
    }

    /// Appends one node without its children; returns its index.
    mutating func append(_ node: OpaquePointer) -> Int {
        let index = tree.nodes.count
        let kind = MarkdownTree.Kind(type: cmark_node_get_type(node))
        var entry = MarkdownTree.Node(kind: kind)
        switch kind {
        case .text, .code, .htmlInline, .softBreak, .lineBreak, .emphasis, .strong, .link, .image, .customInline:
            break  // inline: the renderer reads no position
        default:
            entry.startLine = cmark_node_get_start_line(node)
            entry.startColumn = cmark_node_get_start_column(node)
            entry.endLine = cmark_node_get_end_line(node)
            entry.endColumn = cmark_node_get_end_column(node)
        }
        switch kind {
        case .text, .code, .htmlInline, .htmlBlock:
            entry.literal = copy(cmark_node_get_literal(node))
        case .codeBlock:
            entry.literal = copy(cmark_node_get_literal(node))
            entry.extra = copy(cmark_node_get_fence_info(node))
        case .link, .image:
            entry.literal = copy(cmark_node_get_url(node))
            entry.extra = copy(cmark_node_get_title(node))
        case .heading:
            entry.level = UInt8(clamping: cmark_node_get_heading_level(node))
        case .list:
            entry.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            entry.tight = cmark_node_get_list_tight(node) != 0
            entry.listStart = cmark_node_get_list_start(node)
        default:
            break
        }
        tree.nodes.append(entry)
        return index
    }
}
