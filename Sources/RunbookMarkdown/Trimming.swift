// The one home of "trim the ends of a text" (issue #19 counted seven helpers in four modules).
// Two rules, each asked for by name: white space as Unicode defines it (`Character.isWhitespace`,
// which is also what .NET's `\s` and cmark's link destinations mean), and a Markdown line's blanks
// (spaces and tabs, on bytes, as cmark-gfm trims a table cell). Anything else names its set.

extension StringProtocol where SubSequence == Substring {
    /// The text without white space (`Character.isWhitespace`: spaces, tabs, line breaks, no-break
    /// and other Unicode spaces) at either end.
    package var trimmed: String { trimming(while: \.isWhitespace) }

    /// The text without the characters at either end for which `isTrimmed` holds.
    ///
    /// Characters, not scalars, are tested: `"\r\n"` is one character and a space followed by a
    /// combining mark is one character (whose first scalar is the space).
    package func trimming(while isTrimmed: (Character) -> Bool) -> String {
        let text = self[...]
        return Self.string(text, text.trimmedBounds(leading: isTrimmed, trailing: isTrimmed))
    }

    /// The text without spaces and tabs at either end (and CRs at the end with `trailingCR`).
    ///
    /// On UTF-8 bytes, as cmark-gfm trims a table cell: a leading space followed by a combining
    /// mark is trimmed (the mark is kept), and a CR before an LF is one `"\r\n"` character, kept.
    package func trimmingSpacesAndTabs(trailingCR: Bool = false) -> String {
        let text = self[...]
        let trailing: (UInt8) -> Bool = trailingCR ? { $0.isSpaceOrTab || $0 == 13 } : { $0.isSpaceOrTab }
        return Self.string(text, text.utf8.trimmedBounds(leading: { $0.isSpaceOrTab }, trailing: trailing))
    }

    /// `text[kept]` as a String: the string itself when nothing was cut (no copy; a page's table
    /// cells and headings are mostly already trimmed), else a copy of the part kept.
    @inline(__always)
    private static func string(_ text: Substring, _ kept: Range<String.Index>) -> String {
        if kept == text.startIndex..<text.endIndex, let whole = text.base as String?,
            text.startIndex == whole.startIndex, text.endIndex == whole.endIndex
        {
            return whole
        }
        return String(text[kept])
    }
}

extension BidirectionalCollection {
    /// The bounds of what is left when the leading elements for which `leading` holds and the
    /// trailing ones for which `trailing` holds are cut off: the one trimming loop, for characters
    /// and bytes alike.
    @inlinable
    package func trimmedBounds(leading: (Element) -> Bool, trailing: (Element) -> Bool) -> Range<Index> {
        var low = startIndex
        var high = endIndex
        while low < high, leading(self[low]) { low = index(after: low) }
        while low < high {
            let before = index(before: high)
            guard trailing(self[before]) else { break }
            high = before
        }
        return low..<high
    }
}

extension UInt8 {
    /// A space or a tab: a blank in a Markdown line.
    @inlinable package var isSpaceOrTab: Bool { self == 32 || self == 9 }
}
