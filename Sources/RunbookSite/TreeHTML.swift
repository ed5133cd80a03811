import RunbookMarkdown

/// Writing cmark's inline nodes as the sanitizer would write cmark's HTML of them back: used by
/// the page walk and by table cells.
enum TreeHTML {
    /// `<a href title>` of a link node (cmark's `href` is always ASCII; an unsafe one is dropped).
    static func appendLinkStart(_ tree: MarkdownTree, _ index: Int, links: SafeHTML.Links, to out: inout [UInt8]) {
        out.append(contentsOf: [60, 97])  // <a
        appendURL(" href=\"", tree.literal(of: index), image: false, rewrite: links.markdownToHTML, to: &out)
        appendAttribute(" title=\"", tree.extra(of: index), always: false, to: &out)
        out.append(62)
    }

    /// `<img src alt title>` of an image node.
    static func appendImage(_ tree: MarkdownTree, _ index: Int, to out: inout [UInt8]) {
        append("<img", to: &out)
        appendURL(" src=\"", tree.literal(of: index), image: true, rewrite: false, to: &out)
        var alt: [UInt8] = []
        plainText(tree, of: index, into: &alt)
        appendAttribute(" alt=\"", alt[...], always: true, to: &out)
        appendAttribute(" title=\"", tree.extra(of: index), always: false, to: &out)
        out.append(62)
    }

    /// ` href="url"` or ` src="url"`: `url` as cmark encodes it, written only if safe, escaped.
    ///
    /// The encoded URL is written in place and checked there, so that the usual link costs no
    /// allocation; it holds no `<`, `>` or `"` (cmark percent-encodes them), only `&` and `'`
    /// may need escaping.
    static func appendURL(
        _ opening: StaticString, _ url: ArraySlice<UInt8>, image: Bool, rewrite: Bool,
        to out: inout [UInt8]
    ) {
        let attributeStart = out.count
        append(opening, to: &out)
        let start = out.count
        appendCmarkHref(url, to: &out)
        guard SafeHTML.isSafeURL(bytes: out[start...], image: image) else {
            out.removeSubrange(attributeStart...)
            return
        }
        if rewrite || out[start...].contains(where: { $0 == 38 || $0 == 39 }) {
            var encoded = Array(out[start...])
            out.removeSubrange(start...)
            if rewrite { encoded = SafeHTML.markdownLinkToHTML(bytes: encoded) }
            HTMLEntities.appendEscaped(encoded, to: &out)
        }
        out.append(34)
    }

    /// ` name="value"` (the opening given with its quote), escaped; an empty value only `always`.
    static func appendAttribute(
        _ opening: StaticString, _ value: ArraySlice<UInt8>, always: Bool,
        to out: inout [UInt8]
    ) {
        guard always || !value.isEmpty else { return }
        append(opening, to: &out)
        HTMLEntities.appendEscaped(value, to: &out)
        out.append(34)
    }

    static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
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

    /// An image's alt text as cmark writes it: the literals of its descendants, breaks as spaces
    /// (the descendants follow the node in document order: one loop over them, at any depth).
    static func plainText(_ tree: MarkdownTree, of index: Int, into output: inout [UInt8]) {
        for current in (index + 1)..<Int(tree.nodes[index].end) {
            switch tree.nodes[current].kind {
            case .text, .code, .htmlInline: output.append(contentsOf: tree.literal(of: current))
            case .softBreak, .lineBreak: output.append(32)
            default: break
            }
        }
    }

    /// The URL as cmark writes it in `href` and `src` (after the browser decodes `&amp;` and
    /// `&#x27;`): bytes outside cmark's safe set percent-encoded, `&` and `'` kept.
    static func appendCmarkHref(_ url: ArraySlice<UInt8>, to out: inout [UInt8]) {
        for byte in url {
            if hrefSafe(byte) || byte == 38 || byte == 39 {
                out.append(byte)
            } else {
                out.append(37)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 15)])
            }
        }
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

/// A short Markdown text (a table cell) written as inline HTML, without any page structure: what
/// the allow-list makes of cmark's HTML of its one paragraph, tags inside it dropped or kept as
/// ``SafeHTML`` decides.
struct InlineWriter {
    let tree: MarkdownTree
    let links: SafeHTML.Links
    var out: [UInt8] = []
    /// An inline raw-text element (`style`, `script`...) left open: its content is not text.
    var rawTextSkip: String?

    init(tree: MarkdownTree, links: SafeHTML.Links) {
        self.tree = tree
        self.links = links
    }

    /// Writes the children of `parent` and everything below them: a loop with a stack of the
    /// open emphasis, strong and link nodes (no recursion, whatever the nesting).
    mutating func children(of parent: Int) {
        // The nodes whose children are being written, with the end tag each needs.
        var stack: [(index: Int, close: StaticString)] = [(parent, "")]
        var cursor = tree.firstChild(of: parent)
        while true {
            guard let index = cursor else {
                guard stack.count > 1 else { return }
                let done = stack.removeLast()
                TreeHTML.append(done.close, to: &out)
                cursor = tree.nextSibling(of: done.index, in: stack[stack.count - 1].index)
                continue
            }
            let parentIndex = stack[stack.count - 1].index
            if let close = enter(index) {
                if let first = tree.firstChild(of: index) {
                    stack.append((index, close))
                    cursor = first
                    continue
                }
                TreeHTML.append(close, to: &out)
            }
            cursor = tree.nextSibling(of: index, in: parentIndex)
        }
    }

    /// Writes a node, or the start of one whose children come next: then returns its end tag
    /// (empty for a node without one).
    mutating func enter(_ index: Int) -> StaticString? {
        let kind = tree.nodes[index].kind
        if rawTextSkip != nil {
            switch kind {
            case .text, .code, .softBreak, .lineBreak, .image: return nil
            default: break
            }
        }
        switch kind {
        case .text: TreeHTML.appendCmarkEscaped(tree.literal(of: index), to: &out)
        case .softBreak: out.append(10)
        case .lineBreak: TreeHTML.append("<br>\n", to: &out)
        case .code:
            TreeHTML.append("<code>", to: &out)
            TreeHTML.appendCmarkEscaped(tree.literal(of: index), to: &out)
            TreeHTML.append("</code>", to: &out)
        case .htmlInline: raw(tree.literal(of: index))
        case .emphasis:
            TreeHTML.append("<em>", to: &out)
            return "</em>"
        case .strong:
            TreeHTML.append("<strong>", to: &out)
            return "</strong>"
        case .link:
            TreeHTML.appendLinkStart(tree, index, links: links, to: &out)
            return "</a>"
        case .image: TreeHTML.appendImage(tree, index, to: &out)
        default: return ""
        }
        return nil
    }

    mutating func raw(_ literal: ArraySlice<UInt8>) {
        guard let bytes = HTMLTokenizer.remainder(of: literal, inside: rawTextSkip) else { return }
        rawTextSkip = nil
        var tokenizer = HTMLTokenizer(bytes)
        while let token = tokenizer.next() {
            switch token {
            case .text(let text): HTMLEntities.appendText(text, to: &out)
            case .start(let tag): SafeHTML.appendStart(tag, links: links, to: &out)
            case .end(let name): _ = SafeHTML.appendEnd(name, to: &out)
            case .ignored: break
            }
        }
        rawTextSkip = tokenizer.unclosedRawText
    }
}
