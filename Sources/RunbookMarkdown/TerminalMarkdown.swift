/// Markdown as plain text for a terminal, from cmark's parse (``MarkdownTree``): paragraphs
/// wrapped at a width between words, lists with bullets and hanging indents, code blocks indented
/// under their info string (no fences), quotes marked with a bar, links as `text (url)`.
///
/// ```swift
/// TerminalMarkdown.render("Run `ssh -v`, then see [the docs](https://example.com).", width: 40)
/// // "Run ssh -v, then see the docs\n(https://example.com)."
/// ```
public enum TerminalMarkdown {
    public static func render(_ markdown: String, width: Int = 80) -> String {
        let tree = MarkdownTree(parsing: markdown)
        guard !tree.nodes.isEmpty else { return "" }
        var lines: [String] = []
        Walker(tree: tree, width: max(width, 20)).blocks(of: 0, indent: "", into: &lines)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private struct Walker {
        let tree: MarkdownTree
        let width: Int

        func children(of index: Int) -> [Int] {
            var result: [Int] = []
            var child = tree.firstChild(of: index)
            while let current = child {
                result.append(current)
                child = tree.nextSibling(of: current, in: index)
            }
            return result
        }

        func text(_ index: Int) -> String { String(decoding: tree.literal(of: index), as: UTF8.self) }

        /// The blocks under `index`, each followed by a blank line.
        func blocks(of index: Int, indent: String, into lines: inout [String]) {
            for child in children(of: index) {
                block(child, indent: indent, firstIndent: indent, into: &lines)
                if lines.last?.isEmpty == false { lines.append("") }
            }
        }

        func block(_ index: Int, indent: String, firstIndent: String, into lines: inout [String]) {
            let node = tree.nodes[index]
            switch node.kind {
            case .paragraph:
                lines += wrap(inline(index), first: firstIndent, rest: indent)
            case .heading:
                let title = inline(index).replacingOccurrences(of: "\n", with: " ")
                lines.append(firstIndent + title)
                lines.append(indent + String(repeating: node.level <= 2 ? "=" : "-", count: min(title.count, width)))
            case .codeBlock:
                let info = String(decoding: tree.extra(of: index), as: UTF8.self)
                if !info.isEmpty { lines.append(firstIndent + "[\(info)]") }
                var code = text(index)
                if code.hasSuffix("\n") { code.removeLast() }
                if code.isEmpty { break }
                for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append(line.isEmpty ? "" : indent + "    " + line)
                }
            case .blockQuote:
                var inner: [String] = []
                blocks(of: index, indent: "", into: &inner)
                while inner.last?.isEmpty == true { inner.removeLast() }
                for (number, line) in inner.enumerated() {
                    lines.append((number == 0 ? firstIndent : indent) + (line.isEmpty ? "|" : "| " + line))
                }
            case .list:
                var number = Int(node.listStart)
                for item in children(of: index) {
                    let marker = node.ordered ? "\(number). " : "- "
                    number += 1
                    let hanging = indent + String(repeating: " ", count: marker.count)
                    var first = true
                    for child in children(of: item) {
                        block(child, indent: hanging, firstIndent: first ? indent + marker : hanging, into: &lines)
                        first = false
                        if !node.tight { lines.append("") }
                    }
                    if first { lines.append(indent + marker.trimmingSuffixSpaces) }
                }
                if !node.tight, lines.last?.isEmpty == true { lines.removeLast() }
            case .thematicBreak:
                lines.append(indent + String(repeating: "-", count: min(width - indent.count, 40)))
            default:
                break  // HTML blocks are markup, not prose
            }
        }

        /// The text of an inline container; `\n` marks a hard line break.
        func inline(_ index: Int) -> String {
            var result = ""
            for child in children(of: index) {
                let node = tree.nodes[child]
                switch node.kind {
                case .text, .code: result += text(child)
                case .softBreak: result += " "
                case .lineBreak: result += "\n"
                case .emphasis, .strong: result += inline(child)
                case .link:
                    let label = inline(child)
                    let url = text(child)
                    result += label
                    if !url.isEmpty, !url.hasPrefix("#"), url != label, "mailto:" + label != url {
                        result += " (\(url))"
                    }
                case .image:
                    result += "[image: \(inline(child))]"
                default:
                    break
                }
            }
            return result
        }

        func wrap(_ text: String, first: String, rest: String) -> [String] {
            TerminalMarkdown.wrap(text, width: width, first: first, rest: rest)
        }
    }

    /// Breaks text into lines of at most `width` columns between words (a longer word stays
    /// whole); `first` starts the first line, `rest` each further one.
    public static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        for (number, hard) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = number == 0 ? first : rest
            var empty = true
            for word in hard.split(separator: " ", omittingEmptySubsequences: true) {
                if !empty, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = rest
                    empty = true
                }
                line += (empty ? "" : " ") + word
                empty = false
            }
            lines.append(line)
        }
        return lines
    }
}

extension String {
    fileprivate var trimmingSuffixSpaces: String {
        var copy = self
        while copy.hasSuffix(" ") { copy.removeLast() }
        return copy
    }
}
