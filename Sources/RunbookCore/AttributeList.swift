public import RunbookMarkdown

/// Attributes written Pandoc style: `#id`, `.class`, `key=value` and `key="quoted value"`.
///
/// Used for the `{...}` at the end of a heading and for the words of a fence's info string.
public struct AttributeList: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var key: String
        public var value: String
        public var location: SourceLocation
    }

    public var id: (value: String, location: SourceLocation)?
    public var classes: [String] = []
    /// `key=value` pairs in source order.
    public var items: [Item] = []
    /// Bare words that are none of the above (the action name of a `check` line, for example).
    public var words: [Item] = []

    public static func == (lhs: AttributeList, rhs: AttributeList) -> Bool {
        lhs.id?.value == rhs.id?.value && lhs.classes == rhs.classes && lhs.items == rhs.items
            && lhs.words == rhs.words
    }

    public init() {}

    public subscript(key: String) -> Item? { items.last { $0.key == key } }

    /// A syntax error with its place.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var location: SourceLocation
    }

    /// Reads the attributes in `text`, which starts at `start` in the file (columns in UTF-8 bytes).
    public init(parsing text: Substring, at start: SourceLocation) throws(Failure) {
        let bytes = Array(text.utf8)
        var index = 0
        func location(_ offset: Int) -> SourceLocation {
            SourceLocation(line: start.line, column: start.column + offset)
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { break }
            let tokenStart = index
            var key: [UInt8] = []
            var value: [UInt8]?
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "=") {
                key.append(bytes[index])
                index += 1
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                var collected: [UInt8] = []
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                    let quote = bytes[index]
                    index += 1
                    var closed = false
                    while index < bytes.count {
                        if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == quote {
                            collected.append(quote)
                            index += 2
                            continue
                        }
                        if bytes[index] == quote {
                            closed = true
                            index += 1
                            break
                        }
                        collected.append(bytes[index])
                        index += 1
                    }
                    guard closed else {
                        throw Failure(message: "unterminated quoted value", location: location(tokenStart))
                    }
                } else {
                    while index < bytes.count, !isSpace(bytes[index]) {
                        collected.append(bytes[index])
                        index += 1
                    }
                }
                value = collected
            }
            let keyText = String(decoding: key, as: UTF8.self)
            let at = location(tokenStart)
            if let value {
                guard !keyText.isEmpty else {
                    throw Failure(message: "attribute value without a name", location: at)
                }
                items.append(Item(key: keyText, value: String(decoding: value, as: UTF8.self), location: at))
            } else if keyText.hasPrefix("#"), keyText.count > 1 {
                id = (String(keyText.dropFirst()), at)
            } else if keyText.hasPrefix("."), keyText.count > 1 {
                classes.append(String(keyText.dropFirst()))
            } else {
                words.append(Item(key: keyText, value: "", location: at))
            }
        }
    }
}
