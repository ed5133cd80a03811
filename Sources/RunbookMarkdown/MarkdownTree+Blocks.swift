/// Reads the top-level ``MarkdownBlock`` values of a parse from its ``MarkdownTree``: the one walk
/// over cmark's nodes is the tree's copy, and the blocks are read from the copy.
///
/// Nothing here recurses: Markdown nested 10,000 levels deep (lists, quotes, emphasis) is read
/// with loops over the tree's index ranges.
struct TreeBlockReader {
    /// The lines that the current tree's line numbers (shifted by `lineOffset`) refer to.
    var lines: SourceLines
    var lineOffset: Int
    /// Whether ``MarkdownBlock/Other/text`` is filled in (see ``MarkdownDocument``).
    var otherText: Bool
    var blocks: [MarkdownBlock] = []

    /// A tree whose top-level blocks are being read: the document, or the rest of an HTML block
    /// parsed again (see ``visitHTML(literal:range:)``).
    private struct Frame {
        let tree: MarkdownTree
        var next: Int?
        let lines: SourceLines
        let lineOffset: Int
    }

    /// Reads the top-level blocks of `tree`; an HTML block that is parsed again has the blocks of
    /// its rest read in its place, with a stack of trees instead of a recursive call.
    mutating func read(_ tree: MarkdownTree) {
        guard !tree.nodes.isEmpty else { return }
        var frames = [Frame(tree: tree, next: tree.firstChild(of: 0), lines: lines, lineOffset: lineOffset)]
        while let top = frames.last {
            guard let index = top.next else {
                frames.removeLast()
                continue
            }
            frames[frames.count - 1].next = top.tree.nextSibling(of: index, in: 0)
            lines = top.lines
            lineOffset = top.lineOffset
            guard let rest = visitTopLevel(index, in: top.tree) else { continue }
            // The rest's blocks come before the current tree's next block. A tree with nothing
            // left is let go first, so a chain of such HTML blocks keeps the stack short.
            if frames[frames.count - 1].next == nil { frames.removeLast() }
            let nested = CmarkParser.tree(of: rest.text)
            guard !nested.nodes.isEmpty else { continue }
            frames.append(
                Frame(
                    tree: nested, next: nested.firstChild(of: 0), lines: SourceLines(rest.text),
                    lineOffset: rest.lineOffset))
        }
    }

    /// Reads one top-level block; returns the text to parse in its place (the rest of an HTML
    /// block after a legacy anchor line) and the line offset of that text, if any.
    private mutating func visitTopLevel(_ index: Int, in tree: MarkdownTree) -> (text: String, lineOffset: Int)? {
        let node = tree.nodes[index]
        let range = self.range(of: node)
        switch node.kind {
        case .heading:
            blocks.append(
                .heading(
                    .init(
                        level: Int(node.level), text: Self.plainText(of: index, in: tree), range: range,
                        anchor: Self.inlineAnchor(in: index, of: tree))))
        case .codeBlock:
            blocks.append(.fence(fence(index, in: tree, range: range)))
        case .htmlBlock:
            return visitHTML(literal: Self.string(tree.literal(of: index)), range: range)
        case .paragraph where Self.isInlineHTMLOnly(index, in: tree):
            return visitHTML(
                literal: lines.text(from: range.start.line - lineOffset, to: range.end.line - lineOffset),
                range: range)
        default:
            blocks.append(
                .other(
                    .init(
                        kind: Self.kindName(node.kind), text: otherText ? Self.plainText(of: index, in: tree) : "",
                        range: range)))
            collectNestedFences(index, in: tree)
        }
        return nil
    }

    /// Fences inside lists and quotes still belong to the step they sit in (found in document
    /// order; a leaf block's inline content is skipped).
    private mutating func collectNestedFences(_ index: Int, in tree: MarkdownTree) {
        var current = index + 1
        let end = Int(tree.nodes[index].end)
        while current < end {
            switch tree.nodes[current].kind {
            case .codeBlock:
                blocks.append(.fence(fence(current, in: tree, range: range(of: tree.nodes[current]))))
                current = Int(tree.nodes[current].end)
            case .list, .item, .blockQuote, .customBlock:
                current += 1  // into its children
            default:
                current = Int(tree.nodes[current].end)  // a leaf block: only inline content below
            }
        }
    }

    /// A legacy anchor line swallows the heading below it into one HTML block (an HTML block runs
    /// to the next blank line), so the anchor is taken off; the rest is returned, to be parsed
    /// again with cmark and read in the block's place.
    private mutating func visitHTML(literal: String, range: SourceRange) -> (text: String, lineOffset: Int)? {
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

    private func fence(_ index: Int, in tree: MarkdownTree, range: SourceRange) -> MarkdownBlock.Fence {
        let literalBytes = tree.literal(of: index)
        let literal = Self.string(literalBytes)
        let info = Self.string(tree.extra(of: index))
        // cmark 0.30 does not say whether a code block is fenced. The fence line is never part of a
        // fenced block's literal, while indented code starts with the text of its first line.
        guard let bytes = lines.bytes(ofLine: range.start.line - lineOffset) else {
            return .init(info: "", literal: literal, range: range, infoLocation: nil, isClosed: true)
        }
        let start = bytes.startIndex + min(max(range.start.column - 1, 0), bytes.count)
        let firstLine = bytes[start...]
        let literalFirstLine = literalBytes.prefix { $0 != 10 && $0 != 13 }
        var index = start
        let fenceChar = index < bytes.endIndex ? bytes[index] : 0
        var runLength = 0
        while index < bytes.endIndex, bytes[index] == fenceChar {
            index += 1
            runLength += 1
        }
        let opensFence = (fenceChar == UInt8(ascii: "`") || fenceChar == UInt8(ascii: "~")) && runLength >= 3
        let isIndented = info.isEmpty && !literal.isEmpty && literalFirstLine.elementsEqual(firstLine)
        guard opensFence, !isIndented else {
            return .init(info: "", literal: literal, range: range, infoLocation: nil, isClosed: true)
        }
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        let infoLocation = SourceLocation(line: range.start.line, column: index - bytes.startIndex + 1)
        var closed = false
        if range.end.line > range.start.line, let endBytes = lines.bytes(ofLine: range.end.line - lineOffset) {
            let tail = endBytes[(endBytes.startIndex + min(start - bytes.startIndex, endBytes.count))...]
            closed =
                Self.isClosingFence(tail, char: fenceChar, length: runLength)
                || Self.isClosingFence(endBytes, char: fenceChar, length: runLength)
        }
        return .init(info: info, literal: literal, range: range, infoLocation: infoLocation, isClosed: closed)
    }

    /// The first line of `text` (as ``SourceLines`` splits it), `nil` for an empty text.
    private static func firstLine(of text: String) -> String? {
        guard !text.isEmpty else { return nil }
        let utf8 = text.utf8
        let end = utf8.firstIndex { $0 == 10 || $0 == 13 } ?? utf8.endIndex
        return String(decoding: utf8[..<end], as: UTF8.self)
    }

    private static func isClosingFence(_ line: ArraySlice<UInt8>, char: UInt8, length: Int) -> Bool {
        let bytes = line.drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
        let run = bytes.prefix(while: { $0 == char }).count
        guard run >= length else { return false }
        return bytes.dropFirst(run).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// A legacy anchor written inside a heading: `### <a name="x"></a>Title`.
    private static func inlineAnchor(in index: Int, of tree: MarkdownTree) -> String? {
        var child = tree.firstChild(of: index)
        while let current = child {
            if tree.nodes[current].kind == .htmlInline,
                let id = LegacyAnchor.id(inLine: string(tree.literal(of: current)))
            {
                return id
            }
            child = tree.nextSibling(of: current, in: index)
        }
        return nil
    }

    /// Whether a literal is empty or white space only (ASCII checked on bytes, the rest as
    /// characters).
    private static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        for byte in bytes {
            if byte >= 0x80 { return string(bytes).allSatisfy(\.isWhitespace) }
            guard byte == 32 || (byte >= 9 && byte <= 13) else { return false }
        }
        return true
    }

    private static func isInlineHTMLOnly(_ index: Int, in tree: MarkdownTree) -> Bool {
        var sawHTML = false
        var child = tree.firstChild(of: index)
        while let current = child {
            switch tree.nodes[current].kind {
            case .htmlInline: sawHTML = true
            case .softBreak, .lineBreak: break
            case .text:
                if !isBlank(tree.literal(of: current)) { return false }
            default: return false
            }
            child = tree.nextSibling(of: current, in: index)
        }
        return sawHTML
    }

    private func range(of node: MarkdownTree.Node) -> SourceRange {
        var endLine = Int(node.endLine)
        var endColumn = Int(node.endColumn)
        // cmark ends setext headings, lists and thematic breaks at column 0 of the next line;
        // report the last byte of the previous line instead, keeping columns 1-based.
        if endColumn == 0, endLine > Int(node.startLine) {
            endLine -= 1
            endColumn = max(1, lines.byteCount(ofLine: endLine) ?? 1)
        }
        return SourceRange(
            start: SourceLocation(line: Int(node.startLine) + lineOffset, column: Int(node.startColumn)),
            end: SourceLocation(line: endLine + lineOffset, column: max(endColumn, 1)))
    }

    /// The text of every descendant of `index` in document order: literals, breaks as spaces, a
    /// line feed before each paragraph, heading, item and code block; trimmed.
    private static func plainText(of index: Int, in tree: MarkdownTree) -> String {
        var result: [UInt8] = []
        func startLine() {
            if let last = result.last, last != 10 { result.append(10) }
        }
        for current in (index + 1)..<Int(tree.nodes[index].end) {
            switch tree.nodes[current].kind {
            case .text, .code:
                result.append(contentsOf: tree.literal(of: current))
            case .softBreak, .lineBreak:
                result.append(32)
            case .paragraph, .heading, .item:
                startLine()
            case .codeBlock:
                startLine()
                result.append(contentsOf: tree.literal(of: current))
            default:
                break
            }
        }
        return String(decoding: result, as: UTF8.self).trimmed
    }

    private static func kindName(_ kind: MarkdownTree.Kind) -> String {
        switch kind {
        case .paragraph: "paragraph"
        case .list: "list"
        case .blockQuote: "blockquote"
        case .thematicBreak: "thematic-break"
        default: "block"
        }
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
