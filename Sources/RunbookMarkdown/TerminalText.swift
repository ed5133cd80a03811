/// Markdown rendered for a terminal: paragraphs wrapped at word boundaries, lists with their
/// markers, code blocks indented without their fences, inline markup dropped (links keep their
/// address in parentheses).
///
/// ```swift
/// TerminalText.render("Run `ssh -v`:\n\n```sh\nssh -v vm\n```\n", width: 40)
/// // ["Run ssh -v:", "", "    ssh -v vm"]
/// ```
public enum TerminalText {
    /// The lines of `markdown`, none longer than `width` unless a single word is.
    public static func render(_ markdown: String, width: Int) -> [String] {
        let tree = MarkdownTree(parsing: markdown)
        var lines: [String] = []
        var child = tree.firstChild(of: 0)
        while let index = child {
            if !lines.isEmpty { lines.append("") }
            lines += block(index, in: tree, width: max(20, width))
            child = tree.nextSibling(of: index, in: 0)
        }
        return lines
    }

    private static func block(_ index: Int, in tree: MarkdownTree, width: Int) -> [String] {
        let node = tree.nodes[index]
        switch node.kind {
        case .paragraph, .heading:
            return wrap(inline(index, in: tree), width: width)
        case .codeBlock, .htmlBlock:
            var code = String(decoding: tree.literal(of: index), as: UTF8.self)
            if code.hasSuffix("\n") { code.removeLast() }
            return code.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        case .thematicBreak:
            return [String(repeating: "─", count: min(width, 20))]
        case .blockQuote:
            return children(index, in: tree, width: width - 2).map { "│ " + $0 }
        case .list:
            var lines: [String] = []
            var number = Int(node.listStart)
            var item = tree.firstChild(of: index)
            while let itemIndex = item {
                let marker = node.ordered ? "\(number). " : "• "
                let body = children(itemIndex, in: tree, width: width - marker.count, tight: node.tight)
                for (offset, line) in body.enumerated() {
                    lines.append((offset == 0 ? marker : String(repeating: " ", count: marker.count)) + line)
                }
                if !node.tight, tree.nextSibling(of: itemIndex, in: index) != nil { lines.append("") }
                number += 1
                item = tree.nextSibling(of: itemIndex, in: index)
            }
            return lines
        default:
            return children(index, in: tree, width: width)
        }
    }

    private static func children(_ index: Int, in tree: MarkdownTree, width: Int, tight: Bool = false) -> [String] {
        var lines: [String] = []
        var child = tree.firstChild(of: index)
        while let childIndex = child {
            if !lines.isEmpty, !tight { lines.append("") }
            lines += block(childIndex, in: tree, width: width)
            child = tree.nextSibling(of: childIndex, in: index)
        }
        return lines
    }

    /// The plain text of an inline container.
    private static func inline(_ index: Int, in tree: MarkdownTree) -> String {
        var text = ""
        var position = index + 1
        let end = Int(tree.nodes[index].end)
        while position < end {
            let node = tree.nodes[position]
            switch node.kind {
            case .text, .code, .htmlInline:
                text += String(decoding: tree.literal(of: position), as: UTF8.self)
            case .softBreak, .lineBreak:
                text += " "
            case .link, .image:
                let label = inline(position, in: tree)
                let url = String(decoding: tree.literal(of: position), as: UTF8.self)
                text += label.isEmpty || label == url ? url : "\(label) (\(url))"
                position = Int(node.end)
                continue
            default:
                break
            }
            position += 1
        }
        return text
    }

    /// Words of `text` in lines of at most `width` characters (a longer word stands alone).
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
