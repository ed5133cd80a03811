/// An `[AZURE.INCLUDE [name](path)]` of the Azure documentation: the one reading of its syntax,
/// for the site (which renders the included file in its place), the search index (which indexes
/// it as part of the article) and the importer (which inlines it into a draft runbook).
///
/// Read as the Azure docs' own renderer (docfx's `AzureIncludeInlineRule`) reads it: the marker in
/// any case, the path trimmed of white space, the closing `]` required.
/// Where docfx allows more or less: only spaces and tabs may stand before the name's `[` (docfx:
/// any white space), spaces and tabs may stand between `)` and `]` (docfx: none), and the path may
/// not span lines. The name ends at its first `]`; the whole include is at most ``maximumLength`` bytes
/// after the marker, so that a text with many unclosed markers is not scanned to its end for each.
package struct AzureInclude: Sendable, Equatable {
    /// The text between the inner brackets.
    package var name: String
    /// The path between the parentheses, trimmed of white space (never empty).
    package var path: String

    package init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// `[azure.include`, the start of an include, matched without regard to case.
    package static let marker: [UInt8] = Array("[azure.include".utf8)

    /// How far after the marker the include's closing `]` may be, in bytes.
    package static let maximumLength = 600

    /// Whether `bytes` has the marker (in any case) at `start`.
    package static func hasMarker<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at start: Bytes.Index) -> Bool {
        guard bytes.distance(from: start, to: bytes.endIndex) >= marker.count else { return false }
        var index = start
        for expected in marker {
            var byte = bytes[index]
            if byte >= 65, byte <= 90 { byte += 32 }
            guard byte == expected else { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    /// Reads ` [name](path)]`, what follows the marker, from the start of `bytes`: the include and
    /// the number of bytes it takes (up to and with the closing `]`); `nil` when it is no include.
    package static func parse(afterMarker bytes: some Collection<UInt8>) -> (include: AzureInclude, length: Int)? {
        let text = Array(bytes.prefix(maximumLength))
        var index = 0
        while index < text.count, text[index].isSpaceOrTab { index += 1 }
        guard index < text.count, text[index] == UInt8(ascii: "["),
            let nameEnd = text[index...].firstIndex(of: UInt8(ascii: "]"))
        else { return nil }
        let name = text[(index + 1)..<nameEnd]
        index = nameEnd + 1
        guard index < text.count, text[index] == UInt8(ascii: "("),
            let pathEnd = text[index...].firstIndex(of: UInt8(ascii: ")"))
        else { return nil }
        let rawPath = text[(index + 1)..<pathEnd]
        index = pathEnd + 1
        while index < text.count, text[index].isSpaceOrTab { index += 1 }
        guard index < text.count, text[index] == UInt8(ascii: "]"), !rawPath.contains(10) else { return nil }
        let path = String(decoding: rawPath, as: UTF8.self).trimmed
        guard !path.isEmpty else { return nil }
        return (AzureInclude(name: String(decoding: name, as: UTF8.self), path: path), index + 1)
    }

    /// An include that a line starts with (after spaces and tabs), and the line's text after it,
    /// trimmed; `nil` when the line does not start with one.
    package static func startingLine(_ line: String) -> (include: AzureInclude, tail: String)? {
        // On the string's own UTF-8 (no copy): the importer asks this of every line of every article.
        var line = line
        return line.withUTF8 { bytes in
            let start = bytes.firstIndex { !$0.isSpaceOrTab } ?? bytes.endIndex
            guard hasMarker(bytes, at: start),
                let (include, length) = parse(afterMarker: bytes[(start + marker.count)...])
            else { return nil }
            let rest = UnsafeBufferPointer(rebasing: bytes[(start + marker.count + length)...])
            return (include, String(decoding: rest, as: UTF8.self).trimmed)
        }
    }
}
