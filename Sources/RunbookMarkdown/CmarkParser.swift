// The one file that talks to cmark. Everything it hands up is a Swift value; no cmark pointer
// leaves this file, and every node tree is freed before a function returns.
internal import CCmark

/// Parses CommonMark text with cmark into a ``MarkdownTree`` and its top-level ``MarkdownBlock`` values.
enum CmarkParser {
    /// Parses `text` once into a ``MarkdownTree`` and reads its blocks from it (``TreeBlockReader``);
    /// the tree is handed back when `keepingTree`.
    ///
    /// `lines` must hold the lines that cmark's line numbers refer to (the text's own, or those
    /// of the file it was cut from when only blank lines differ).
    /// Without `otherText`, ``MarkdownBlock/Other/text`` is left empty (for readers that never
    /// look at it: gathering the text of every paragraph and list is a good part of the walk).
    static func parse(
        _ text: String, lines: SourceLines, lineOffset: Int = 0, keepingTree: Bool,
        otherText: Bool = true
    ) -> (blocks: [MarkdownBlock], tree: MarkdownTree?) {
        // One walk over cmark's nodes (the copy); cmark's nodes are freed before the blocks are read.
        let tree = tree(of: text)
        var reader = TreeBlockReader(lines: lines, lineOffset: lineOffset, otherText: otherText)
        reader.read(tree)
        return (reader.blocks, keepingTree ? tree : nil)
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
