/// The allow-list that raw HTML from Markdown goes through.
///
/// Layout and table tags, `<a id|name|href>` and `<img>` are kept; every other tag is dropped
/// (script-like ones with their content, see ``HTMLTokenizer/skipsContent``). Attributes are kept
/// only from a fixed list; URLs only with a safe scheme (`data:` only for raster images); `style`
/// only without anything that can load or run code. A kept tag is written anew from its parsed
/// parts, so what the browser reads is exactly what was checked.
enum SafeHTML {
    static let tags: Set<String> = [
        "a", "abbr", "b", "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del",
        "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
        "var", "wbr",
    ]

    static let voidTags: Set<String> = ["br", "hr", "img", "col", "wbr"]

    static let attributes: Set<String> = [
        "id", "name", "class", "title", "lang", "dir", "align", "valign", "width", "height", "colspan", "rowspan",
        "alt", "start", "type", "scope", "border", "cellpadding", "cellspacing", "open", "style", "href", "src",
    ]

    /// Link rewriting applied to kept `href`s.
    struct Links: Sendable {
        /// Turns `x.md` and `x.md#y` (relative) into `x.html` and `x.html#y`.
        var markdownToHTML = false
    }

    /// Writes the tag if allowed; returns whether it was written.
    @discardableResult
    static func appendStart(_ tag: HTMLToken.Tag, links: Links = Links(), to output: inout [UInt8]) -> Bool {
        guard tags.contains(tag.name) else { return false }
        output.append(60)
        output.append(contentsOf: tag.name.utf8)
        var hasID = false
        for (name, value) in tag.attributes {
            guard let kept = keptValue(name: name, value: value, tag: tag.name, links: links) else { continue }
            if name == "id" { hasID = true }
            appendAttribute(name, kept, to: &output)
        }
        // `<a name="x">` is an anchor; give it the id that `#x` finds in every browser.
        if tag.name == "a", !hasID, let name = tag.attribute("name"), isSafeID(name) {
            appendAttribute("id", name, to: &output)
        }
        output.append(62)
        return true
    }

    static func appendEnd(_ name: String, to output: inout [UInt8]) -> Bool {
        guard tags.contains(name), !voidTags.contains(name) else { return false }
        output.append(contentsOf: [60, 47])
        output.append(contentsOf: name.utf8)
        output.append(62)
        return true
    }

    static func appendAttribute(_ name: String, _ value: String, to output: inout [UInt8]) {
        output.append(32)
        output.append(contentsOf: name.utf8)
        output.append(contentsOf: [61, 34])
        HTMLEntities.appendEscaped(value, to: &output)
        output.append(34)
    }

    /// The value to write for an attribute, or `nil` to drop it.
    static func keptValue(name: String, value: String, tag: String, links: Links) -> String? {
        guard attributes.contains(name) else { return nil }
        switch name {
        case "href":
            guard tag == "a", isSafeURL(value, image: false) else { return nil }
            return links.markdownToHTML ? markdownLinkToHTML(value) : value
        case "src":
            guard tag == "img", isSafeURL(value, image: true) else { return nil }
            return value
        case "style":
            return isSafeStyle(value) ? value : nil
        case "id", "name":
            return isSafeID(value) ? value : nil
        default:
            return value
        }
    }

    static func isSafeID(_ value: String) -> Bool {
        var ascii = true
        var space = false
        for byte in value.utf8 {
            if byte >= 0x80 {
                ascii = false
                break
            }
            // The ASCII white space scalars: tab, line feed, vertical tab, form feed, return, space.
            if byte == 32 || (byte >= 9 && byte <= 13) { space = true }
        }
        if ascii { return !value.isEmpty && value.utf8.count <= 200 && !space }
        return !value.isEmpty && value.utf8.count <= 200
            && !value.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// Whether a URL is relative or uses http(s), mailto, ftp or tel (and for images raster `data:`).
    ///
    /// Browsers drop tabs, newlines and leading control characters from URLs and decode character
    /// references first, so the check does too; anything with `&` before the scheme's colon is refused.
    static func isSafeURL(_ raw: String, image: Bool) -> Bool { isSafeURL(utf8: raw.utf8, image: image) }

    /// ``isSafeURL(_:image:)`` on UTF-8 bytes, without allocating.
    static func isSafeURL(bytes raw: ArraySlice<UInt8>, image: Bool) -> Bool { isSafeURL(utf8: raw, image: image) }

    /// The one body of the URL check, on UTF-8 bytes as a browser's URL parser reads code points:
    /// control characters and spaces dropped, ASCII letters lower-cased (a scheme is ASCII; `K`,
    /// the Kelvin sign, is no `k`), the scheme ended by the first `:` byte (a combining mark after
    /// it does not hide it, as it did from a check on characters).
    static func isSafeURL(utf8 raw: some Collection<UInt8>, image: Bool) -> Bool {
        func kept(_ byte: UInt8) -> Bool { byte > 0x20 && byte != 0x7F }
        func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
        guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let head = raw[..<colon]
        if head.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            return true  // relative path
        }
        if head.contains(UInt8(ascii: "&")) || head.contains(UInt8(ascii: "\\")) { return false }
        guard isScheme(head.lazy.filter(kept).map(lower)) else { return true }  // a relative path
        func starts(_ bytes: some Sequence<UInt8>, with word: StaticString, whole: Bool) -> Bool {
            word.withUTF8Buffer { word in
                var index = 0
                for byte in bytes where kept(byte) {
                    guard index < word.count else { return !whole }
                    if lower(byte) != word[index] { return false }
                    index += 1
                }
                return index == word.count
            }
        }
        for scheme: StaticString in ["http", "https", "mailto", "ftp", "tel"]
        where starts(head, with: scheme, whole: true) {
            return true
        }
        guard image, starts(head, with: "data", whole: true) else { return false }
        let rest = raw[raw.index(after: colon)...]
        let types: [StaticString] = ["image/png", "image/gif", "image/jpeg", "image/jpg", "image/webp"]
        return types.contains { starts(rest, with: $0, whole: false) }
    }

    /// Whether the text before a URL's first colon (control characters and spaces already
    /// dropped, lower-cased) is a scheme for a browser: an ASCII letter, then letters, digits,
    /// `+`, `-` and `.` (the URL Standard's scheme state). Anything else, `foo)` or `ö`, makes the
    /// URL a relative path, whatever follows the colon.
    static func isScheme(_ head: some Sequence<UInt8>) -> Bool {
        var first = true
        for byte in head {
            let letter = byte >= 97 && byte <= 122
            if first {
                guard letter else { return false }
                first = false
            } else if !(letter || (byte >= 48 && byte <= 57) || byte == 43 || byte == 45 || byte == 46) {
                return false
            }
        }
        return !first
    }

    /// ``markdownLinkToHTML(_:)`` on bytes.
    static func markdownLinkToHTML(bytes url: [UInt8]) -> [UInt8] {
        guard !url.contains(UInt8(ascii: ":")), url.first != UInt8(ascii: "/"), url.first != UInt8(ascii: "#") else {
            return url
        }
        let end = url.firstIndex { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") } ?? url.count
        guard end >= 3, url[end - 3] == UInt8(ascii: "."), url[end - 2] | 0x20 == UInt8(ascii: "m"),
            url[end - 1] | 0x20 == UInt8(ascii: "d")
        else { return url }
        return Array(url[..<(end - 3)]) + Array(".html".utf8) + Array(url[end...])
    }

    /// Inline styles that only lay out: nothing that loads, binds or evaluates.
    static func isSafeStyle(_ value: String) -> Bool {
        var compact = ""
        for scalar in value.lowercased().unicodeScalars where !scalar.properties.isWhitespace && scalar.value >= 0x20 {
            compact.unicodeScalars.append(scalar)
        }
        let banned = [
            "expression", "url(", "javascript", "vbscript", "behavior", "binding", "@import", "\\", "/*", "&", "<",
        ]
        return !banned.contains { compact.contains($0) }
    }

    static func markdownLinkToHTML(_ url: String) -> String {
        guard !url.contains(":"), !url.hasPrefix("/"), !url.hasPrefix("#") else { return url }
        let fragmentStart = url.firstIndex { $0 == "#" || $0 == "?" } ?? url.endIndex
        let path = url[..<fragmentStart]
        guard path.lowercased().hasSuffix(".md") else { return url }
        return path.dropLast(3) + ".html" + url[fragmentStart...]
    }
}
