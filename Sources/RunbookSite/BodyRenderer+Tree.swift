import RunbookMarkdown

// The walk over cmark's tree. For every node it writes what cmark's HTML writer (html.c, with
// raw HTML kept) would write, as the sanitizer would write it back: tags without
// `data-sourcepos`, void tags without ` /`, attributes checked and escaped by ``SafeHTML``, text
// escaped as cmark escapes it. Raw HTML nodes go through ``HTMLTokenizer`` and the tag handlers.
// Structure (sections, steps, call-outs, tables, includes) hooks in where the tag handlers do.

extension BodyRenderer.Walk {
    mutating func renderTree() {
        walk(0, tight: false)
        closeWrappers(downTo: 0)
    }

    /// The opening of a block quote (where `<blockquote>` starts in `out`, its slot in `quotes`),
    /// handed to its first paragraph: a call-out marker there turns the quote into a call-out box.
    typealias QuoteOpening = (open: Int, slot: Int)

    /// What to write when a node's children are written.
    enum Exit {
        case none
        case blockQuote
        case list(ordered: Bool)
        case item
        case heading(level: Int)
        /// A paragraph in a tight list: no `<p>`.
        case tightParagraph
        case paragraph(open: Int, textStart: Int, quote: QuoteOpening?)
        /// A paragraph written as a table, first in a block quote: its text is written only to
        /// see whether it starts with a call-out marker, then taken out again.
        case tableProbe(
            mark: Int, heading: (level: Int, line: Int?, start: Int)?, cmarkLast: UInt8, quote: QuoteOpening)
        case emphasis
        case strong
        case link
    }

    /// A node whose children are being written.
    struct Frame {
        var index: Int
        var exit: Exit
        /// Whether its paragraph children are those of a tight list.
        var tight: Bool
        /// A block quote's opening, for its first child.
        var quote: QuoteOpening? = nil
    }

    /// Writes the children of `root` and everything below them in document order: a loop with a
    /// stack of the nodes whose children are being written (no recursion, so that Markdown nested
    /// 10,000 levels deep is written like any other).
    mutating func walk(_ root: Int, tight: Bool) {
        var stack = [Frame(index: root, exit: .none, tight: tight)]
        stack.reserveCapacity(16)
        var cursor = tree.firstChild(of: root)
        while true {
            guard let index = cursor else {
                guard stack.count > 1 else { return }
                let done = stack.removeLast()
                exit(done)
                cursor = tree.nextSibling(of: done.index, in: stack[stack.count - 1].index)
                continue
            }
            let parent = stack[stack.count - 1]
            let quote = parent.quote != nil && index == parent.index + 1 ? parent.quote : nil
            if let frame = enter(index, tight: parent.tight, quote: quote) {
                if let first = tree.firstChild(of: index) {
                    stack.append(frame)
                    cursor = first
                    continue
                }
                exit(frame)
            }
            cursor = tree.nextSibling(of: index, in: parent.index)
        }
    }

    /// Writes what comes before a node's children; returns the node's frame when its children
    /// are to be written (then ``exit(_:)`` writes what comes after them), `nil` when the node is
    /// written whole.
    mutating func enter(_ index: Int, tight: Bool, quote: QuoteOpening?) -> Frame? {
        let node = tree.nodes[index]
        if rawTextSkip != nil {
            // Inside an inline `<style>` or `<script>`: its content is not text of the page.
            switch node.kind {
            case .text, .code, .softBreak, .lineBreak, .image: return nil
            default: break
            }
        }
        switch node.kind {
        case .document, .customBlock, .customInline:
            return Frame(index: index, exit: .none, tight: tight)
        case .blockQuote:
            cr()
            let opening = (open: out.count, slot: quotes.count)
            quotes.append(false)
            tag("<blockquote>")
            newline()
            return Frame(index: index, exit: .blockQuote, tight: false, quote: opening)
        case .list:
            cr()
            if !node.ordered {
                tag("<ul>")
            } else if node.listStart == 1 {
                tag("<ol>")
            } else {
                append("<ol start=\"\(node.listStart)\">")
                cmarkLast = 62
            }
            newline()
            return Frame(index: index, exit: .list(ordered: node.ordered), tight: node.tight)
        case .item:
            cr()
            tag("<li>")
            return Frame(index: index, exit: .item, tight: tight)
        case .heading:
            cr()
            let level = Int(node.level)
            if heading == nil { heading = (level, Int(node.startLine), out.count) }
            return Frame(index: index, exit: .heading(level: level), tight: false)
        case .codeBlock:
            codeBlock(index)
        case .htmlBlock:
            cr()
            raw(tree.literal(of: index), inline: false)
            cr()
        case .paragraph:
            return paragraph(index, tight: tight, quote: quote)
        case .thematicBreak:
            cr()
            tag("<hr>")
            newline()
        case .text:
            cmarkText(tree.literal(of: index))
        case .softBreak:
            newline()
        case .lineBreak:
            tag("<br>")
            newline()
        case .code:
            tag("<code>")
            cmarkText(tree.literal(of: index))
            tag("</code>")
        case .htmlInline:
            raw(tree.literal(of: index), inline: true)
        case .emphasis:
            tag("<em>")
            return Frame(index: index, exit: .emphasis, tight: false)
        case .strong:
            tag("<strong>")
            return Frame(index: index, exit: .strong, tight: false)
        case .link:
            TreeHTML.appendLinkStart(tree, index, links: renderer.options.links, to: &out)
            cmarkLast = 62
            return Frame(index: index, exit: .link, tight: false)
        case .image:
            TreeHTML.appendImage(tree, index, to: &out)
            cmarkLast = 62
        }
        return nil
    }

    /// Writes what comes after a node's children.
    mutating func exit(_ frame: Frame) {
        switch frame.exit {
        case .none:
            break
        case .blockQuote:
            cr()
            tag(quotes.popLast() == true ? "</div>" : "</blockquote>")
            newline()
        case .list(let ordered):
            cr()
            tag(ordered ? "</ol>" : "</ul>")
            newline()
        case .item:
            tag("</li>")
            newline()
        case .heading(let level):
            rawTextSkip = nil
            if let open = heading, open.level == level {
                finishHeading(open)
                heading = nil
            } else {
                _ = SafeHTML.appendEnd("h\(level)", to: &out)
            }
            cmarkLast = 62
            newline()
        case .tightParagraph:
            rawTextSkip = nil
        case .paragraph(let open, let textStart, let quote):
            rawTextSkip = nil
            var closing: StaticString = "</p>"
            if let found = marker(from: textStart) {
                out.removeSubrange(textStart..<(textStart + found.length))
                if let quote {
                    quoteCallout(quote, found.callout)
                } else {
                    replace(open..<textStart, with: found.callout.openingHTML + "<p>")
                    closing = "</p></div>"
                }
            }
            tag(closing)
            newline()
        case .tableProbe(let mark, let savedHeading, let savedLast, let quote):
            // Whether the text would have started with a marker: it is written, looked at, dropped.
            rawTextSkip = nil
            let found = marker(from: mark)
            out.removeSubrange(mark...)
            (heading, cmarkLast) = (savedHeading, savedLast)
            if let found { quoteCallout(quote, found.callout) }
            cmarkLast = 62
            newline()
        case .emphasis:
            tag("</em>")
        case .strong:
            tag("</strong>")
        case .link:
            tag("</a>")
        }
    }

    // MARK: - Blocks with structure

    /// Opens a paragraph; `quote` is the opening of the block quote it comes first in (a call-out
    /// marker at its start turns that quote into a call-out box). `nil` when it is written whole
    /// (as a table).
    mutating func paragraph(_ index: Int, tight: Bool, quote: QuoteOpening?) -> Frame? {
        guard !tight else { return Frame(index: index, exit: .tightParagraph, tight: false) }
        cr()
        let node = tree.nodes[index]
        if node.endLine > node.startLine,
            paragraphTable(
                SourcePosition(
                    line: Int(node.startLine), column: Int(node.startColumn),
                    endLine: Int(node.endLine)))
        {
            if let quote {
                return Frame(
                    index: index,
                    exit: .tableProbe(
                        mark: out.count, heading: heading, cmarkLast: cmarkLast,
                        quote: quote), tight: false)
            }
            cmarkLast = 62
            newline()
            return nil
        }
        let open = out.count
        tag("<p>")
        return Frame(index: index, exit: .paragraph(open: open, textStart: out.count, quote: quote), tight: false)
    }

    /// The call-out marker at the start of the text written from `start` on, up to the first tag.
    func marker(from start: Int) -> (callout: Callout, length: Int)? {
        guard start < out.count, out[start] == UInt8(ascii: "[") else { return nil }
        var end = start
        while end < out.count, out[end] != 60 { end += 1 }
        return Callout.marker(at: out[start..<end])
    }

    /// Turns the block quote opened at `quote.open` into a call-out box.
    mutating func quoteCallout(_ quote: QuoteOpening, _ callout: Callout) {
        replace(quote.open..<(quote.open + 12), with: callout.openingHTML)  // `<blockquote>`
        if quote.slot < quotes.count { quotes[quote.slot] = true }
    }

    /// Replaces written bytes, keeping an open heading's start where it was in the text.
    mutating func replace(_ range: Range<Int>, with html: String) {
        let bytes = Array(html.utf8)
        out.replaceSubrange(range, with: bytes)
        if let open = heading, open.start >= range.upperBound {
            heading = (open.level, open.line, open.start + bytes.count - range.count)
        }
    }

    mutating func codeBlock(_ index: Int) {
        cr()
        let node = tree.nodes[index]
        if let block = blocks[Int(node.startLine)] {
            append(renderer.blockHTML(block))
            cmarkLast = 62
            newline()
            return
        }
        preDepth += 1
        tag("<pre>")
        // cmark's class is the info string's first word.
        let info = tree.extra(of: index)
        let word = info.prefix { !($0 == 32 || ($0 >= 9 && $0 <= 13)) }
        if word.isEmpty {
            tag("<code>")
        } else {
            append("<code class=\"language-")
            HTMLEntities.appendEscaped(word, to: &out)
            tag("\">")
        }
        cmarkText(tree.literal(of: index))
        tag("</code>")
        preDepth = max(0, preDepth - 1)
        tag("</pre>")
        newline()
    }

    // MARK: - Writing

    /// A tag (or the end of one) written by this walk: nothing to check.
    mutating func tag(_ html: StaticString) {
        html.withUTF8Buffer { out.append(contentsOf: $0) }
        cmarkLast = 62
    }

    /// The line break cmark writes after a block's tags.
    mutating func newline() {
        out.append(10)
        cmarkLast = 10
    }

    /// cmark's `cr()`: a line break unless the output is empty or already ends with one.
    mutating func cr() {
        if cmarkLast != 0, cmarkLast != 10 { newline() }
    }

    /// Raw HTML from the Markdown, through the tokenizer and the tag handlers.
    ///
    /// An inline `<style>` or `<script>` whose end tag comes in a later piece of the same
    /// paragraph or heading hides what lies between (as a browser would), up to that end tag.
    mutating func raw(_ literal: ArraySlice<UInt8>, inline: Bool) {
        guard let last = literal.last else { return }
        cmarkLast = last
        if inline, rawTextSkip == nil, oneTag(literal) { return }
        guard let bytes = HTMLTokenizer.remainder(of: literal, inside: rawTextSkip) else { return }
        rawTextSkip = nil
        var tokenizer = HTMLTokenizer(bytes)
        var fragment: [HTMLToken] = []
        while let token = tokenizer.next() { fragment.append(token) }
        runTokens(fragment)
        if inline { rawTextSkip = tokenizer.unclosedRawText }
    }

    /// Writes the most common pieces of inline HTML without the tokenizer, as it would: an end
    /// tag (`</a>`), a start tag without attributes (`<br/>`), a start tag the allow-list drops
    /// whatever its attributes (`<properties ...>`). `false` for anything else.
    ///
    /// cmark's inline HTML is one whole tag, which the tokenizer reads as one tag too.
    mutating func oneTag(_ literal: ArraySlice<UInt8>) -> Bool {
        guard literal.count >= 3, literal.first == 60, literal.last == 62 else { return false }
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 12 || byte == 13 }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
        var index = literal.startIndex + 1
        let closing = literal[index] == UInt8(ascii: "/")
        if closing { index += 1 }
        let nameStart = index
        guard index < literal.endIndex, isLetter(literal[index]) else { return false }
        while index < literal.endIndex, isLetter(literal[index]) || (literal[index] >= 48 && literal[index] <= 57) {
            index += 1
        }
        let next = literal[index]
        guard isSpace(next) || next == UInt8(ascii: "/") || next == 62 else { return false }
        let name = HTMLTokenizer.lowercasedName(literal[nameStart..<index])
        let rest = literal[index..<(literal.endIndex - 1)]
        if closing {
            guard rest.allSatisfy(isSpace) else { return false }
            end(name)
            return true
        }
        guard !HTMLTokenizer.skipsContent.contains(name) else { return false }
        guard SafeHTML.tags.contains(name) else { return true }  // dropped, attributes and all
        if rest.allSatisfy({ isSpace($0) || $0 == UInt8(ascii: "/") }) {
            start(HTMLToken.Tag(name: name, attributes: [], selfClosing: rest.contains(UInt8(ascii: "/"))))
            return true
        }
        // `<a name="x">` or `<a id="x">`: one attribute, double quotes, no character reference.
        guard name == "a", let attribute = Self.anchorAttribute(rest) else { return false }
        start(HTMLToken.Tag(name: name, attributes: [attribute], selfClosing: false))
        return true
    }

    static let nameEquals: [UInt8] = Array("name=\"".utf8)
    static let idEquals: [UInt8] = Array("id=\"".utf8)

    /// ` name="x"` or ` id="x"` (then spaces): the attribute, as the tokenizer would read it.
    static func anchorAttribute(_ rest: ArraySlice<UInt8>) -> (name: String, value: String)? {
        var index = rest.startIndex
        guard index < rest.endIndex, rest[index] == 32 else { return nil }
        while index < rest.endIndex, rest[index] == 32 { index += 1 }
        let key: String
        if rest[index...].starts(with: Self.nameEquals) {
            key = "name"
            index += 6
        } else if rest[index...].starts(with: Self.idEquals) {
            key = "id"
            index += 4
        } else {
            return nil
        }
        guard let close = rest[index...].firstIndex(of: 34) else { return nil }
        let value = rest[index..<close]
        guard !value.contains(38), !value.contains(where: { $0 >= 0x80 }),
            rest[(close + 1)...].allSatisfy({ $0 == 32 })
        else { return nil }
        return (key, String(decoding: value, as: UTF8.self))
    }

    /// Text escaped as cmark escapes it (`"`, `&`, `<`, `>`), include placeholders resolved.
    mutating func cmarkText(_ literal: ArraySlice<UInt8>) {
        guard let last = literal.last else { return }
        cmarkLast = (last == 34 || last == 38 || last == 60 || last == 62) ? 59 : last
        if literal.contains(0xEE) {
            var escaped: [UInt8] = []
            TreeHTML.appendCmarkEscaped(literal, to: &escaped)
            appendText(escaped[...])
        } else {
            TreeHTML.appendCmarkEscaped(literal, to: &out)
        }
    }
}
