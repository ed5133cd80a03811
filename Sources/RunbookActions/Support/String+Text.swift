import RunbookMarkdown

/// The small text helpers of the actions, one of each: trimming, lines, blanks, cutting.
extension String {
    /// The text without `character` and white space at either end (`" a, "` trimmed of `,` is `a`).
    /// (The one trimming loop, RunbookMarkdown's ``trimming(while:)``, with this set.)
    func trimmingCharacters(in character: Character) -> String {
        trimming { $0 == character || $0.isWhitespace }
    }

    /// The lines of the text, each trimmed, without blank lines (a `\r` ends a line too).
    var nonEmptyLines: [String] {
        split(whereSeparator: \.isNewline).map { line in
            String(line).trimmingCharacters(in: " ")
        }.filter { !$0.isEmpty }
    }

    /// The first non-empty `\n`-line of the text, trimmed (empty when that line is only blanks): a
    /// tool's message, as evidence.
    var trimmedLine: String {
        split(separator: "\n").first.map { String($0).trimmingCharacters(in: " ") } ?? ""
    }

    /// The text cut to `limit` characters, with an ellipsis when it was longer.
    func truncated(to limit: Int) -> String {
        count <= limit ? self : String(prefix(limit)) + "…"
    }

    /// What stands between `start` and `end` (or the end of the text), without newlines at its ends;
    /// empty when `start` is not there.
    func components(after start: String, before end: String?) -> String {
        guard let startRange = range(of: start) else { return "" }
        var rest = self[startRange.upperBound...]
        if let end, let endRange = rest.range(of: end) { rest = rest[..<endRange.lowerBound] }
        return String(rest).trimmingCharacters(in: "\n")
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Substring(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension Substring {
    /// The text after its leading blanks (spaces and tabs), as OpenSSH skips them between fields.
    var droppingBlanks: Substring { drop(while: { $0 == " " || $0 == "\t" }) }
}
