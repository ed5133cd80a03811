#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lines of a source text, numbered from 1, without their line endings (`\n`, `\r\n` or `\r`).
///
/// Keeps the text itself (its UTF-8 is read in place, not copied) and where each line starts and
/// ends; a line becomes a `String` only when asked for, so splitting a file costs one pass over its
/// bytes.
public struct SourceLines: Sendable {
    /// The text, made contiguous UTF-8 once (a native Swift string already is).
    let text: String
    /// Byte offsets of each line's first byte and of its end (before the line ending).
    let bounds: [(start: Int, end: Int)]

    public init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
        bounds = Self.withBytes(of: text, Self.bounds(of:))
    }

    /// Calls `body` with the text's UTF-8 bytes.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        Self.withBytes(of: text, body)
    }

    /// `text`'s UTF-8 in place (a copy only for a string that is not contiguous UTF-8).
    private static func withBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        text.utf8.withContiguousStorageIfAvailable(body) ?? Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// The bytes `range` of the text.
    func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> {
        withBytes { ArraySlice(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Every line, as strings.
    public var lines: [String] {
        withBytes { bytes in
            bounds.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self) }
        }
    }

    /// Splits at `\n`, `\r\n` and a lone `\r`, as cmark does. Works on UTF-8 bytes because
    /// Swift treats `"\r\n"` as one `Character`, which a split on `"\n"` would never see.
    public static func split(_ text: String) -> [String] {
        SourceLines(text).lines
    }

    static func bounds(of buffer: UnsafeBufferPointer<UInt8>) -> [(start: Int, end: Int)] {
        var result: [(start: Int, end: Int)] = []
        result.reserveCapacity(buffer.count / 40 + 1)
        func split() {
            let count = buffer.count
            var start = 0
            defer { result.append((start, count)) }
            guard let base = buffer.baseAddress else { return }
            if memchr(base, 13, count) == nil {
                // No carriage return (most files): every line ends at a `\n`, found with memchr.
                while start < count, let hit = memchr(base + start, 10, count - start) {
                    let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    result.append((start, end))
                    start = end + 1
                }
                return
            }
            var index = 0
            while index < count {
                let byte = buffer[index]
                if byte == 10 || byte == 13 {
                    result.append((start, index))
                    index += 1
                    if byte == 13, index < count, buffer[index] == 10 { index += 1 }
                    start = index
                } else {
                    index += 1
                }
            }
        }
        split()
        return result
    }

    /// The line numbered `number` (from 1), or `nil` outside the text.
    public subscript(number: Int) -> String? {
        guard number >= 1 && number <= bounds.count else { return nil }
        let line = bounds[number - 1]
        return withBytes { String(decoding: UnsafeBufferPointer(rebasing: $0[line.start..<line.end]), as: UTF8.self) }
    }

    /// The UTF-8 bytes of the line numbered `number` (from 1), or `nil` outside the text.
    public func bytes(ofLine number: Int) -> ArraySlice<UInt8>? {
        guard number >= 1 && number <= bounds.count else { return nil }
        let line = bounds[number - 1]
        return bytes(line.start..<line.end)
    }

    /// The length in UTF-8 bytes of the line numbered `number`, or `nil` outside the text.
    func byteCount(ofLine number: Int) -> Int? {
        guard number >= 1 && number <= bounds.count else { return nil }
        return bounds[number - 1].end - bounds[number - 1].start
    }

    /// Lines `first` through `last`, joined with `\n`.
    public func text(from first: Int, to last: Int) -> String {
        let low = max(first, 1)
        let high = min(last, bounds.count)
        guard low <= high else { return "" }
        var result: [UInt8] = []
        result.reserveCapacity(bounds[high - 1].end - bounds[low - 1].start)
        withBytes { bytes in
            for index in (low - 1)..<high {
                if index > low - 1 { result.append(10) }
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[bounds[index].start..<bounds[index].end]))
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// ``text(from:to:)`` without white space at either end (blank lines included).
    ///
    /// ASCII white space is cut off the bytes before the string is made; a text that then starts
    /// or ends with a non-ASCII byte is trimmed of Unicode white space as well.
    public func trimmedText(from first: Int, to last: Int) -> String {
        let low = max(first, 1)
        let high = min(last, bounds.count)
        guard low <= high else { return "" }
        return withBytes { bytes in
            func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }
            let kept = bytes[bounds[low - 1].start..<bounds[high - 1].end].trimmedBounds(
                leading: isSpace, trailing: isSpace)
            let start = kept.lowerBound
            let end = kept.upperBound
            guard start < end else { return "" }
            let text: String
            let range = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if memchr(range.baseAddress!, 13, range.count) != nil {
                // Line endings inside become `\n`, as in ``text(from:to:)``.
                var result: [UInt8] = []
                result.reserveCapacity(end - start)
                var index = start
                while index < end {
                    let byte = bytes[index]
                    if byte == 13 {
                        result.append(10)
                        if index + 1 < end, bytes[index + 1] == 10 { index += 1 }
                    } else {
                        result.append(byte)
                    }
                    index += 1
                }
                text = String(decoding: result, as: UTF8.self)
            } else {
                text = String(decoding: range, as: UTF8.self)
            }
            guard bytes[start] >= 0x80 || bytes[end - 1] >= 0x80 else { return text }
            return text.trimmed
        }
    }

    public var count: Int { bounds.count }

    /// The length of the whole text in UTF-8 bytes.
    public var utf8Count: Int { text.utf8.count }
}
