import RunbookMarkdown

// The walk over cmark's tree. For every node it writes what cmark's HTML writer (html.c, with
// raw HTML kept) would write, as the sanitizer would write it back: tags without
// `data-sourcepos`, void tags without ` /`, attributes checked and escaped by ``SafeHTML``, text
// escaped as cmark escapes it. Raw HTML nodes go through ``HTMLTokenizer`` and the tag handlers.
// Structure (sections, steps, call-outs, tables, includes) hooks in where the tag handlers do.

extension BodyRenderer.Walk {
    mutating func renderTree() {
        children(of: 0, tight: false)
        closeWrappers(downTo: 0)
    }

    mutating func children(of parent: Int, tight: Bool) {
        var child = tree.firstChild(of: parent)
        while let index = child {
            node(index, tight: tight)
            child = tree.nextSibling(of: index, in: parent)
        }
    }

    mutating func node(_ index: Int, tight: Bool) {
        let node = tree.nodes[index]
        if rawTextSkip != nil {
            // Inside an inline `<style>` or `<script>`: its content is not text of the page.
            switch node.kind {
            case .text, .code, .softBreak, .lineBreak, .image: return
            default: break
            }
        }
        switch node.kind {
        case .document, .customBlock, .customInline:
            children(of: index, tight: tight)
        case .blockQuote:
            blockQuote(index)
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
            children(of: index, tight: node.tight)
            cr()
            tag(node.ordered ? "</ol>" : "</ul>")
            newline()
        case .item:
            cr()
            tag("<li>")
            children(of: index, tight: tight)
            tag("</li>")
            newline()
        case .heading:
            cr()
            let level = Int(node.level)
            if heading == nil { heading = (level, Int(node.startLine), out.count) }
            children(of: index, tight: false)
            rawTextSkip = nil
            if let open = heading, open.level == level {
                finishHeading(open)
                heading = nil
            } else {
                _ = SafeHTML.appendEnd("h\(level)", to: &out)
            }
            cmarkLast = 62
            newline()
        case .codeBlock:
            codeBlock(index)
        case .htmlBlock:
            cr()
            raw(tree.literal(of: index), inline: false)
            cr()
        case .paragraph:
            paragraph(index, tight: tight, quote: nil)
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
            children(of: index, tight: false)
            tag("</em>")
        case .strong:
            tag("<strong>")
            children(of: index, tight: false)
            tag("</strong>")
        case .link:
            // `<a href title>` as SafeHTML writes it back (cmark's `href` is always ASCII).
            tag("<a")
            let href = Self.cmarkHref(tree.literal(of: index))
            if SafeHTML.isSafeURL(bytes: href[...], image: false) {
                tag(" href=\"")
                let rewritten = renderer.options.links.markdownToHTML ? SafeHTML.markdownLinkToHTML(bytes: href) : href
                HTMLEntities.appendEscaped(rewritten, to: &out)
                tag("\"")
            }
            attribute(" title=\"", tree.extra(of: index), always: false)
            tag(">")
            children(of: index, tight: false)
            tag("</a>")
        case .image:
            tag("<img")
            let src = Self.cmarkHref(tree.literal(of: index))
            if SafeHTML.isSafeURL(bytes: src[...], image: true) {
                tag(" src=\"")
                HTMLEntities.appendEscaped(src, to: &out)
                tag("\"")
            }
            var alt: [UInt8] = []
            plainText(of: index, into: &alt)
            attribute(" alt=\"", alt[...], always: true)
            attribute(" title=\"", tree.extra(of: index), always: false)
            tag(">")
        }
    }

    /// ` name="value"` (the opening given with its quote), escaped; an empty value only `always`.
    mutating func attribute(_ opening: StaticString, _ value: ArraySlice<UInt8>, always: Bool) {
        guard always || !value.isEmpty else { return }
        tag(opening)
        HTMLEntities.appendEscaped(value, to: &out)
        tag("\"")
    }

    // MARK: - Blocks with structure

    mutating func blockQuote(_ index: Int) {
        cr()
        let open = out.count
        let slot = quotes.count
        quotes.append(false)
        tag("<blockquote>")
        newline()
        var child = tree.firstChild(of: index)
        var first = true
        while let current = child {
            if first, tree.nodes[current].kind == .paragraph {
                paragraph(current, tight: false, quote: (open, slot))
            } else {
                node(current, tight: false)
            }
            first = false
            child = tree.nextSibling(of: current, in: index)
        }
        cr()
        tag(quotes.popLast() == true ? "</div>" : "</blockquote>")
        newline()
    }

    /// A paragraph; `quote` is the opening of the block quote it comes first in (a call-out marker
    /// at its start turns that quote into a call-out box).
    mutating func paragraph(_ index: Int, tight: Bool, quote: (open: Int, slot: Int)?) {
        guard !tight else {
            children(of: index, tight: false)
            rawTextSkip = nil
            return
        }
        cr()
        let node = tree.nodes[index]
        if node.endLine > node.startLine,
            paragraphTable(SourcePosition(line: Int(node.startLine), column: Int(node.startColumn),
                                          endLine: Int(node.endLine)))
        {
            if let quote {
                // Whether the text would have started with a marker: render it, look, drop it.
                let mark = out.count
                let saved = (heading, cmarkLast)
                children(of: index, tight: false)
                rawTextSkip = nil
                let found = marker(from: mark)
                out.removeSubrange(mark...)
                (heading, cmarkLast) = saved
                if let found { quoteCallout(quote, found.callout) }
            }
            cmarkLast = 62
            newline()
            return
        }
        let open = out.count
        tag("<p>")
        let textStart = out.count
        children(of: index, tight: false)
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
    }

    /// The call-out marker at the start of the text written from `start` on, up to the first tag.
    func marker(from start: Int) -> (callout: Callout, length: Int)? {
        guard start < out.count, out[start] == UInt8(ascii: "[") else { return nil }
        var end = start
        while end < out.count, out[end] != 60 { end += 1 }
        return Callout.marker(at: out[start..<end])
    }

    /// Turns the block quote opened at `quote.open` into a call-out box.
    mutating func quoteCallout(_ quote: (open: Int, slot: Int), _ callout: Callout) {
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
        if let (block, step) = blocks[Int(node.startLine)] {
            append(renderer.blockHTML(block, step: step))
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
        var bytes = Array(literal)
        if let name = rawTextSkip {
            guard let end = HTMLTokenizer.endTag(of: name, in: bytes) else { return }
            bytes.removeSubrange(..<end)
            rawTextSkip = nil
        }
        var tokenizer = HTMLTokenizer(bytes)
        var fragment: [HTMLToken] = []
        while let token = tokenizer.next() { fragment.append(token) }
        runTokens(fragment)
        if inline { rawTextSkip = tokenizer.unclosedRawText }
    }

    /// Text escaped as cmark escapes it (`"`, `&`, `<`, `>`), include placeholders resolved.
    mutating func cmarkText(_ literal: ArraySlice<UInt8>) {
        guard let last = literal.last else { return }
        cmarkLast = (last == 34 || last == 38 || last == 60 || last == 62) ? 59 : last
        if literal.contains(0xEE) {
            var escaped: [UInt8] = []
            Self.appendCmarkEscaped(literal, to: &escaped)
            appendText(escaped[...])
        } else {
            Self.appendCmarkEscaped(literal, to: &out)
        }
    }

    static func appendCmarkEscaped(_ literal: ArraySlice<UInt8>, to output: inout [UInt8]) {
        literal.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var runStart = 0
            var index = 0
            func escape(at position: Int) {
                let byte = base[position]
                // `>` is the largest byte to escape: one comparison passes most bytes.
                guard byte <= 62, byte == 34 || byte == 38 || byte == 60 || byte == 62 else { return }
                output.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: position - runStart))
                switch byte {
                case 34: output.append(contentsOf: [38, 113, 117, 111, 116, 59])  // &quot;
                case 38: output.append(contentsOf: [38, 97, 109, 112, 59])  // &amp;
                case 60: output.append(contentsOf: [38, 108, 116, 59])  // &lt;
                default: output.append(contentsOf: [38, 103, 116, 59])  // &gt;
                }
                runStart = position + 1
            }
            // Eight bytes at a time: most words of text hold none of the four bytes.
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if mayNeedEscape(word) {
                    for position in index..<(index + 8) { escape(at: position) }
                }
                index += 8
            }
            while index < count {
                escape(at: index)
                index += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart))
        }
    }

    /// Whether one of the eight bytes of `word` is `"`, `&`, `<` or `>` (the bit trick that finds
    /// a zero byte, applied to the word XOR each of them).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        return hasZero(word ^ (ones &* 0x22)) | hasZero(word ^ (ones &* 0x26)) | hasZero(word ^ (ones &* 0x3C))
            | hasZero(word ^ (ones &* 0x3E)) != 0
    }

    /// An image's alt text as cmark writes it: the literals of its descendants, breaks as spaces.
    func plainText(of index: Int, into output: inout [UInt8]) {
        var child = tree.firstChild(of: index)
        while let current = child {
            switch tree.nodes[current].kind {
            case .text, .code, .htmlInline: output.append(contentsOf: tree.literal(of: current))
            case .softBreak, .lineBreak: output.append(32)
            default: plainText(of: current, into: &output)
            }
            child = tree.nextSibling(of: current, in: index)
        }
    }

    /// The URL as cmark writes it in `href` and `src` (after the browser decodes `&amp;` and
    /// `&#x27;`): bytes outside cmark's safe set percent-encoded, `&` and `'` kept.
    static func cmarkHref(_ url: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(url.count + 8)
        for byte in url {
            if hrefSafe(byte) || byte == 38 || byte == 39 {
                result.append(byte)
            } else {
                result.append(37)
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 15)])
            }
        }
        return result
    }

    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// cmark's `HREF_SAFE` (0.30): letters, digits and `-_.+!*(),%#@?=;:/$~`.
    static func hrefSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "!"),
            UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "%"),
            UInt8(ascii: "#"), UInt8(ascii: "@"), UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: ";"),
            UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "$"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
