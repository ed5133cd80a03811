/// The lines of a source text, numbered from 1, without their line endings (`\n`, `\r\n` or `\r`).
public struct SourceLines: Sendable {
    public let lines: [String]

    public init(_ text: String) {
        lines = Self.split(text)
    }

    /// Splits at `\n`, `\r\n` and a lone `\r`, as cmark does. Works on UTF-8 bytes because
    /// Swift treats `"\r\n"` as one `Character`, which a split on `"\n"` would never see.
    public static func split(_ text: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        var afterCR = false
        for byte in text.utf8 {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lines.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                afterCR = byte == UInt8(ascii: "\r")
            } else {
                current.append(byte)
            }
        }
        lines.append(String(decoding: current, as: UTF8.self))
        return lines
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
