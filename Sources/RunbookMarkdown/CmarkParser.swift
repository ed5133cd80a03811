// The one file that talks to cmark. Everything it hands up is a Swift value; no cmark pointer
// leaves this file, and every node tree is freed before a function returns.
internal import CCmark

/// Parses CommonMark text with cmark into top-level ``MarkdownBlock`` values.
enum CmarkParser {
    /// Parses `text`, reporting lines shifted by `lineOffset` (for text cut out of a larger file).
    static func blocks(in text: String, lineOffset: Int = 0) -> [MarkdownBlock] {
        parse(text, lines: SourceLines(text), lineOffset: lineOffset, keepingTree: false).blocks
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
            var child = cmark_node_first_child(root)
            while let node = child {
                walker.visitTopLevel(node)
                child = cmark_node_next(node)
            }
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

private struct Walker {
    let lines: SourceLines
    let lineOffset: Int
    var blocks: [MarkdownBlock] = []
    var otherText = true

    init(lines: SourceLines, lineOffset: Int) {
        self.lines = lines
        self.lineOffset = lineOffset
    }

    mutating func visitTopLevel(_ node: OpaquePointer) {
        let type = cmark_node_get_type(node)
        let range = self.range(of: node)
        switch type {
        case CMARK_NODE_HEADING:
            let level = Int(cmark_node_get_heading_level(node))
            blocks.append(.heading(.init(level: level, text: plainText(of: node), range: range, anchor: inlineAnchor(in: node))))
        case CMARK_NODE_CODE_BLOCK:
            blocks.append(.fence(fence(node, range: range)))
        case CMARK_NODE_HTML_BLOCK:
            visitHTML(literal: string(cmark_node_get_literal(node)), range: range)
        case CMARK_NODE_PARAGRAPH where isInlineHTMLOnly(node):
            visitHTML(literal: lines.text(from: range.start.line - lineOffset, to: range.end.line - lineOffset),
                      range: range)
        default:
            blocks.append(.other(.init(kind: kindName(type), text: otherText ? plainText(of: node) : "", range: range)))
            collectNestedFences(node)
        }
    }

    /// Fences inside lists and quotes still belong to the step they sit in.
    mutating func collectNestedFences(_ node: OpaquePointer) {
        var child = cmark_node_first_child(node)
        while let current = child {
            switch cmark_node_get_type(current) {
            case CMARK_NODE_CODE_BLOCK:
                blocks.append(.fence(fence(current, range: range(of: current))))
            case CMARK_NODE_LIST, CMARK_NODE_ITEM, CMARK_NODE_BLOCK_QUOTE, CMARK_NODE_CUSTOM_BLOCK:
                collectNestedFences(current)
            default:
                break  // a leaf block: only inline content below, never a code block
            }
            child = cmark_node_next(current)
        }
    }

    /// A legacy anchor line swallows the heading below it into one HTML block (an HTML block runs
    /// to the next blank line), so the anchor is taken off and the rest parsed again with cmark.
    mutating func visitHTML(literal: String, range: SourceRange) {
        guard let first = Self.firstLine(of: literal), let id = LegacyAnchor.id(inLine: first) else {
            blocks.append(.html(.init(literal: literal, range: range)))
            return
        }
        var htmlLines = SourceLines.split(literal)
        if htmlLines.last == "" { htmlLines.removeLast() }
        let anchorRange = SourceRange(
            start: range.start,
            end: SourceLocation(line: range.start.line, column: first.utf8.count))
        blocks.append(.anchor(.init(id: id, range: anchorRange)))
        guard htmlLines.count > 1 else { return }
        let rest = htmlLines.dropFirst().joined(separator: "\n") + "\n"
        blocks.append(contentsOf: CmarkParser.blocks(in: rest, lineOffset: range.start.line))
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

    func appendText(of node: OpaquePointer, to result: inout String) {
        var child = cmark_node_first_child(node)
        while let current = child {
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                result += string(cmark_node_get_literal(current))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                result += " "
            case CMARK_NODE_HTML_INLINE:
                break
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM, CMARK_NODE_CODE_BLOCK:
                if !result.isEmpty, !result.hasSuffix("\n") { result += "\n" }
                if cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK {
                    result += string(cmark_node_get_literal(current))
                } else {
                    appendText(of: current, to: &result)
                }
            default:
                appendText(of: current, to: &result)
            }
            child = cmark_node_next(current)
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

    mutating func visit(_ node: OpaquePointer) {
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
        var child = cmark_node_first_child(node)
        while let current = child {
            visit(current)
            child = cmark_node_next(current)
        }
        tree.nodes[index].end = Int32(tree.nodes.count)
    }
}
