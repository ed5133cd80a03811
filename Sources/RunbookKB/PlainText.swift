import RunbookMarkdown

/// The words of Markdown as a reader sees them: text, inline code and code blocks, without markup,
/// link targets or raw HTML — what the index stores and what snippets are cut from.
enum PlainText {
    /// The text of `tree`, headings left out (a document's headings are a field of their own).
    static func of(_ tree: MarkdownTree) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tree.bytes.count)
        var index = 1
        let nodes = tree.nodes
        while index < nodes.count {
            let node = nodes[index]
            switch node.kind {
            case .heading, .htmlBlock, .htmlInline:
                separate(&bytes)
                index = max(Int(node.end), index + 1)
                continue
            case .text, .code:
                bytes += tree.literal(of: index)
            case .codeBlock:
                separate(&bytes)
                bytes += tree.literal(of: index)
            case .softBreak, .lineBreak:
                bytes.append(UInt8(ascii: " "))
            case .paragraph, .item, .blockQuote, .list, .thematicBreak:
                separate(&bytes)
            default:
                break
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: isWhitespace).joined(separator: " ")
    }

    /// `Character.isWhitespace`, answered for an ASCII character without looking its Unicode
    /// properties up (the split of a long body spends most of its time there).
    static func isWhitespace(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return character.isWhitespace }
        return ascii == UInt8(ascii: " ") || (9...13).contains(ascii)
    }

    /// The text of a Markdown fragment (a step's text).
    static func of(markdown: String) -> String { of(MarkdownTree(parsing: markdown)) }

    private static func separate(_ bytes: inout [UInt8]) {
        if let last = bytes.last, last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
    }
}
