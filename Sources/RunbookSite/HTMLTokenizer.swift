/// One piece of an HTML text, as the sanitizer sees it.
///
/// Text is kept as raw bytes (cmark has already escaped Markdown text); tags carry their lower-cased
/// name and their attributes with entity references decoded, so that checks see what a browser sees.
enum HTMLToken {
    case text(ArraySlice<UInt8>)
    case start(Tag)
    case end(name: String)
    /// A comment, doctype or processing instruction: never written out.
    case ignored

    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)]
        var selfClosing: Bool

        func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
    }
}

/// Splits HTML into tokens the way a browser's tokenizer would, closely enough that a tag written
/// back by ``SafeHTML`` from these tokens means the same thing to the browser.
///
/// A `<` that does not start a tag stays text (and is escaped on output); a tag cut off by the end
/// of the input is dropped, as browsers do.
struct HTMLTokenizer {
    let bytes: [UInt8]
    var index = 0
    /// A raw-text element (`<script>`, `<style>`...) whose end tag the input does not hold: its
    /// content runs past the end, so the rest of the input was skipped as that content.
    private(set) var unclosedRawText: String?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func tokens(_ html: String) -> [HTMLToken] {
        tokens(Array(html.utf8))
    }

    static func tokens(_ html: [UInt8]) -> [HTMLToken] {
        var tokenizer = HTMLTokenizer(html)
        var result: [HTMLToken] = []
        result.reserveCapacity(tokenizer.bytes.count / 16)
        while let token = tokenizer.next() { result.append(token) }
        return result
    }

    /// Raw-text elements whose content is skipped with them.
    static let skipsContent: Set<String> = [
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
        "template",
    ]

    mutating func next() -> HTMLToken? {
        guard index < bytes.count else { return nil }
        let start = index
        if bytes[index] == UInt8(ascii: "<"), let token = tag() {
            return token
        }
        index = start + 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
        return .text(bytes[start..<index])
    }

    /// Reads a tag, comment or declaration at `index`; `nil` (index unchanged) if `<` starts none.
    private mutating func tag() -> HTMLToken? {
        let start = index
        guard index + 1 < bytes.count else { return nil }
        let next = bytes[index + 1]
        if next == UInt8(ascii: "!") {
            if hasPrefix("<!--", at: index) {
                index += 4
                // `<!-->` and `<!--->` end at once in browsers; dropping more than they do is harmless
                // because nothing of a comment is written out.
                if let end = find("-->", from: index) { index = end + 3 } else { index = bytes.count }
                return .ignored
            }
            return bogusComment()
        }
        if next == UInt8(ascii: "?") { return bogusComment() }
        if next == UInt8(ascii: "/") {
            guard index + 2 < bytes.count, isLetter(bytes[index + 2]) else {
                if index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: ">") {
                    index += 3
                    return .ignored
                }
                return index + 2 < bytes.count ? bogusComment() : nil
            }
            index += 2
            let name = readName()
            guard let close = find(">", from: index) else {
                index = start
                return nil
            }
            index = close + 1
            return .end(name: name)
        }
        guard isLetter(next) else { return nil }
        index += 1
        let name = readName()
        var attributes: [(name: String, value: String)] = []
        var selfClosing = false
        while true {
            skipWhitespaceAndSlashes(&selfClosing)
            guard index < bytes.count else {
                index = bytes.count
                return .ignored
            }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                break
            }
            selfClosing = false
            let nameStart = index
            index += 1  // the first character may be `=`
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"),
                bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "=")
            {
                index += 1
            }
            let attributeName = Self.lowercasedName(bytes[nameStart..<index])
            var value = ""
            var lookahead = index
            while lookahead < bytes.count, isSpace(bytes[lookahead]) { lookahead += 1 }
            if lookahead < bytes.count, bytes[lookahead] == UInt8(ascii: "=") {
                index = lookahead + 1
                while index < bytes.count, isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count else { return .ignored }
                let quote = bytes[index]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    index += 1
                    let valueStart = index
                    while index < bytes.count, bytes[index] != quote { index += 1 }
                    guard index < bytes.count else { return .ignored }
                    value = HTMLEntities.decode(bytes[valueStart..<index])
                    index += 1
                } else {
                    let valueStart = index
                    while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                    value = HTMLEntities.decode(bytes[valueStart..<index])
                }
            }
            if !attributes.contains(where: { $0.name == attributeName }) {
                attributes.append((attributeName, value))
            }
        }
        let tag = HTMLToken.Tag(name: name, attributes: attributes, selfClosing: selfClosing)
        if Self.skipsContent.contains(name) {
            skipContent(of: name)
            return .ignored
        }
        return .start(tag)
    }

    /// Skips to the end of `</name>`; without one, the rest of the input is the element's content
    /// and is skipped too (``unclosedRawText`` says so).
    private mutating func skipContent(of name: String) {
        guard let end = Self.endTag(of: name, in: bytes, from: index) else {
            unclosedRawText = name
            index = bytes.count
            return
        }
        index = find(">", from: end).map { $0 + 1 } ?? bytes.count
    }

    /// What is left to read of `literal` while the raw-text element `open` (if any) is open:
    /// everything from its end tag on, or `nil` when `literal` does not hold the end tag.
    static func remainder(of literal: ArraySlice<UInt8>, inside open: String?) -> [UInt8]? {
        var bytes = Array(literal)
        guard let open else { return bytes }
        guard let end = endTag(of: open, in: bytes) else { return nil }
        bytes.removeSubrange(..<end)
        return bytes
    }

    /// Where `</name` (any case, followed by white space, `>`, `/` or the end) starts in `bytes`.
    static func endTag(of name: String, in bytes: [UInt8], from start: Int = 0) -> Int? {
        let closing = Array("</\(name)".utf8)
        var tokenizer = HTMLTokenizer(bytes)
        var position = start
        while let found = tokenizer.find(closing, from: position, caseInsensitive: true) {
            let after = found + closing.count
            if after >= bytes.count || tokenizer.isSpace(bytes[after]) || bytes[after] == UInt8(ascii: ">")
                || bytes[after] == UInt8(ascii: "/")
            {
                return found
            }
            position = after
            tokenizer.index = position
        }
        return nil
    }

    private mutating func bogusComment() -> HTMLToken {
        index = find(">", from: index).map { $0 + 1 } ?? bytes.count
        return .ignored
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"),
            bytes[index] != UInt8(ascii: ">")
        {
            index += 1
        }
        return Self.lowercasedName(bytes[start..<index])
    }

    /// `String(decoding:).lowercased()`, without the Unicode machinery for ASCII names.
    static func lowercasedName(_ name: ArraySlice<UInt8>) -> String {
        var ascii = true
        var upper = false
        for byte in name {
            if byte >= 0x80 {
                ascii = false
                break
            }
            if byte >= 65 && byte <= 90 { upper = true }
        }
        guard ascii else { return String(decoding: name, as: UTF8.self).lowercased() }
        guard upper else { return String(decoding: name, as: UTF8.self) }
        return String(decoding: name.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    private mutating func skipWhitespaceAndSlashes(_ selfClosing: inout Bool) {
        while index < bytes.count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") {
            selfClosing = bytes[index] == UInt8(ascii: "/")
            index += 1
        }
    }

    private func hasPrefix(_ text: StaticString, at position: Int) -> Bool {
        text.withUTF8Buffer { pattern in
            guard position + pattern.count <= bytes.count else { return false }
            for (offset, byte) in pattern.enumerated() where bytes[position + offset] != byte { return false }
            return true
        }
    }

    private func find(_ text: StaticString, from position: Int) -> Int? {
        if text.utf8CodeUnitCount == 1 {
            // A single byte: the common `>`.
            let byte = text.utf8Start.pointee
            var candidate = position
            while candidate < bytes.count {
                if bytes[candidate] == byte { return candidate }
                candidate += 1
            }
            return nil
        }
        return text.withUTF8Buffer { find(Array($0), from: position, caseInsensitive: false) }
    }

    private func find(_ pattern: [UInt8], from position: Int, caseInsensitive: Bool) -> Int? {
        guard !pattern.isEmpty, pattern.count <= bytes.count else { return nil }
        var candidate = position
        let last = bytes.count - pattern.count
        while candidate <= last {
            var matched = true
            for offset in 0..<pattern.count {
                var byte = bytes[candidate + offset]
                if caseInsensitive, byte >= 65, byte <= 90 { byte += 32 }
                if byte != pattern[offset] {
                    matched = false
                    break
                }
            }
            if matched { return candidate }
            candidate += 1
        }
        return nil
    }

    private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
    private func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 12 || byte == 13 }
}
