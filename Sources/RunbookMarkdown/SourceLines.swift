/// The lines of a source text, numbered from 1, without their line endings (`\n`, `\r\n` or `\r`).
public struct SourceLines: Sendable {
    public let lines: [String]

    public init(_ text: String) {
        lines = Self.split(text)
    }

    /// Splits on line feeds, dropping a carriage return before each. Works on UTF-8 bytes because
    /// Swift treats `"\r\n"` as one `Character`, which a split on `"\n"` would never see.
    public static func split(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
            let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
            return String(decoding: trimmed, as: UTF8.self)
        }
    }

    /// The line numbered `number` (from 1), or `nil` outside the text.
    public subscript(number: Int) -> String? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }

    /// Lines `first` through `last`, joined with `\n`.
    public func text(from first: Int, to last: Int) -> String {
        let low = max(first, 1)
        let high = min(last, lines.count)
        guard low <= high else { return "" }
        return lines[(low - 1)..<high].joined(separator: "\n")
    }

    public var count: Int { lines.count }
}
