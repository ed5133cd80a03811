/// A start tag read from raw HTML: its name and attributes in source order.
///
/// A small lexer for the legacy metadata blocks (`<properties .../>`, `<tags .../>`) and anchors
/// (`<a id="x"></a>`); it reads one tag, not HTML documents.
public struct HTMLTag: Sendable, Equatable {
    public var name: String
    public var attributes: [(name: String, value: String)]
    /// What follows the tag's closing `>`.
    public var rest: Substring

    public static func == (lhs: HTMLTag, rhs: HTMLTag) -> Bool {
        lhs.name == rhs.name && lhs.rest == rhs.rest
            && lhs.attributes.map(\.name) == rhs.attributes.map(\.name)
            && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }

    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Reads the start tag at the beginning of `text` (leading whitespace allowed).
    public init?(parsing text: Substring) {
        if let tag = Self.parseASCII(text) {
            self = tag
            return
        }
        self.init(parsingCharacters: text)
    }

    /// ``init(parsing:)`` on characters, for any text.
    init?(parsingCharacters text: Substring) {
        var scanner = Scanner(text.drop(while: \.isWhitespace))
        guard scanner.take("<") else { return nil }
        let name = scanner.word()
        guard !name.isEmpty, name.first!.isLetter else { return nil }
        self.name = name.lowercased()
        attributes = []
        while true {
            scanner.skipWhitespace()
            if scanner.take("/>") || scanner.take(">") { break }
            let key = scanner.word()
            guard !key.isEmpty else { return nil }
            scanner.skipWhitespace()
            var value = ""
            if scanner.take("=") {
                scanner.skipWhitespace()
                guard let read = scanner.attributeValue() else { return nil }
                value = read
            }
            attributes.append((key, value))
        }
        rest = scanner.remaining
    }

    /// ``init(parsing:)`` on UTF-8 bytes; `nil` when the tag cannot be read that way: when the
    /// bytes read (and the one after them) are not all ASCII, where a character can be more than
    /// a byte, or when there is no tag (the character reader then decides).
    static func parseASCII(_ text: Substring) -> HTMLTag? {
        let utf8 = text.utf8
        return utf8.withContiguousStorageIfAvailable { bytes -> HTMLTag? in
            let count = bytes.count
            var index = 0
            func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }
            func isWordByte(_ byte: UInt8) -> Bool {
                (byte | 0x20 >= 97 && byte | 0x20 <= 122) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 95
                    || byte == 46 || byte == 58
            }
            func word() -> String {
                let start = index
                while index < count, isWordByte(bytes[index]) { index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            func skipSpaces() { while index < count, isSpace(bytes[index]) { index += 1 } }
            skipSpaces()
            guard index < count, bytes[index] == UInt8(ascii: "<") else { return nil }
            index += 1
            let name = word()
            guard let first = name.utf8.first, first | 0x20 >= 97 && first | 0x20 <= 122 else { return nil }
            var attributes: [(name: String, value: String)] = []
            while true {
                skipSpaces()
                if index + 1 < count, bytes[index] == UInt8(ascii: "/"), bytes[index + 1] == UInt8(ascii: ">") {
                    index += 2
                    break
                }
                if index < count, bytes[index] == UInt8(ascii: ">") {
                    index += 1
                    break
                }
                let key = word()
                guard !key.isEmpty else { return nil }
                skipSpaces()
                var value = ""
                if index < count, bytes[index] == UInt8(ascii: "=") {
                    index += 1
                    skipSpaces()
                    guard index < count else { return nil }
                    let quote = bytes[index]
                    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                        var end = index + 1
                        while end < count, bytes[end] != quote { end += 1 }
                        guard end < count else { return nil }
                        value = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end]), as: UTF8.self)
                        index = end + 1
                    } else {
                        let start = index
                        while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
                            bytes[index] != UInt8(ascii: "/")
                        {
                            index += 1
                        }
                        guard index > start else { return nil }
                        value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    }
                }
                attributes.append((key, value))
            }
            // Everything read, and the byte after it, must be ASCII for bytes to be characters.
            let checked = min(count, index + 1)
            for offset in 0..<checked where bytes[offset] >= 0x80 { return nil }
            let lowered =
                name.utf8.contains { $0 >= 65 && $0 <= 90 }
                ? String(decoding: name.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self) : name
            let restStart = utf8.index(utf8.startIndex, offsetBy: index)
            return HTMLTag(name: lowered, attributes: attributes, rest: text[restStart...])
        } ?? nil
    }

    private init(name: String, attributes: [(name: String, value: String)], rest: Substring) {
        self.name = name
        self.attributes = attributes
        self.rest = rest
    }

    private struct Scanner {
        var remaining: Substring
        init(_ text: Substring) { remaining = text }

        mutating func take(_ literal: String) -> Bool {
            guard remaining.hasPrefix(literal) else { return false }
            remaining = remaining.dropFirst(literal.count)
            return true
        }

        mutating func skipWhitespace() { remaining = remaining.drop(while: \.isWhitespace) }

        mutating func word() -> String {
            let word = remaining.prefix {
                $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." || $0 == ":"
            }
            remaining = remaining.dropFirst(word.count)
            return String(word)
        }

        mutating func attributeValue() -> String? {
            if let quote = remaining.first, quote == "\"" || quote == "'" {
                let body = remaining.dropFirst()
                guard let end = body.firstIndex(of: quote) else { return nil }
                remaining = body[body.index(after: end)...]
                return String(body[..<end])
            }
            let value = remaining.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
            remaining = remaining.dropFirst(value.count)
            return value.isEmpty ? nil : String(value)
        }
    }
}

/// Legacy anchors that stand on a line of their own: `<a id="x"></a>` or `<a name="x"></a>`.
enum LegacyAnchor {
    static func id(inLine line: String) -> String? {
        guard mayStartWithAnchor(line) else { return nil }
        guard let tag = HTMLTag(parsing: Substring(line)), tag.name == "a",
            let id = tag.attribute("id") ?? tag.attribute("name"), !id.isEmpty
        else { return nil }
        let rest = String(tag.rest).trimmed
        return rest.lowercased() == "</a>" || rest.isEmpty ? id : nil
    }

    /// A byte-level pre-check: `false` only when the line cannot start with an `<a` tag (after
    /// ASCII whitespace); anything unusual (non-ASCII first) goes to the full parse.
    static func mayStartWithAnchor(_ line: String) -> Bool {
        var utf8 = line.utf8.makeIterator()
        while let byte = utf8.next() {
            if byte == 32 || (byte >= 9 && byte <= 13) { continue }
            if byte >= 0x80 { return true }
            guard byte == UInt8(ascii: "<"), let name = utf8.next() else { return false }
            return name == UInt8(ascii: "a") || name == UInt8(ascii: "A")
        }
        return false
    }
}
