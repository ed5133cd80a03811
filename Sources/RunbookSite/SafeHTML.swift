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
        output.append(contentsOf: HTMLEntities.escape(value).utf8)
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
        !value.isEmpty && value.utf8.count <= 200 && !value.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// Whether a URL is relative or uses http(s), mailto, ftp or tel (and for images raster `data:`).
    ///
    /// Browsers drop tabs, newlines and leading control characters from URLs and decode character
    /// references first, so the check does too; anything with `&` before the scheme's colon is refused.
    static func isSafeURL(_ raw: String, image: Bool) -> Bool {
        var cleaned = ""
        for scalar in raw.unicodeScalars where scalar.value > 0x20 && scalar.value != 0x7F {
            cleaned.unicodeScalars.append(scalar)
        }
        let lower = cleaned.lowercased()
        guard let colon = lower.firstIndex(of: ":") else { return true }
        let head = lower[..<colon]
        if head.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }  // relative path
        if head.contains("&") || head.contains("\\") { return false }
        switch head {
        case "http", "https", "mailto", "ftp", "tel": return true
        case "data":
            guard image else { return false }
            let rest = lower[lower.index(after: colon)...]
            return ["image/png", "image/gif", "image/jpeg", "image/jpg", "image/webp"].contains { rest.hasPrefix($0) }
        default: return false
        }
    }

    /// Inline styles that only lay out: nothing that loads, binds or evaluates.
    static func isSafeStyle(_ value: String) -> Bool {
        var compact = ""
        for scalar in value.lowercased().unicodeScalars where !scalar.properties.isWhitespace && scalar.value >= 0x20 {
            compact.unicodeScalars.append(scalar)
        }
        let banned = ["expression", "url(", "javascript", "vbscript", "behavior", "binding", "@import", "\\", "/*", "&", "<"]
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
