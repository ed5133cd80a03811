/// A position in a source file.
///
/// Lines and columns count from 1. A column counts UTF-8 bytes from the start of the line,
/// the unit cmark reports, so a column after an emoji or CJK text is larger than the number of
/// characters before it.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A half-open stretch of source, from `start` to `end` (inclusive, as cmark reports it).
public struct SourceRange: Sendable, Hashable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    public init(line: Int, column: Int) {
        self.start = SourceLocation(line: line, column: column)
        self.end = self.start
    }
}
