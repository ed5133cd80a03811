import RunbookMarkdown

/// GitHub-style pipe tables, which cmark (without extensions) reads as a paragraph.
///
/// The renderer finds paragraphs whose source lines hold a header row and a delimiter row
/// (`| --- | :---: |`) and renders them as a `<table>`; each cell's inline Markdown is rendered
/// with cmark and sanitized like any other text. Lines before the header row stay a paragraph,
/// and so do lines after the last row (a row is a line with a `|`).
struct PipeTable {
    enum Alignment { case none, left, center, right }

    var header: [String]
    var alignments: [Alignment]
    var rows: [[String]]

    /// Splits paragraph lines into text before the table, the table and text after it.
    static func find(in lines: [String]) -> (before: [String], table: PipeTable, after: [String])? {
        guard lines.count >= 2 else { return nil }
        for index in 1..<lines.count {
            guard let alignments = delimiterRow(lines[index]), has(lines[index - 1], 124, { $0.contains("|") }) else {
                continue
            }
            let header = cells(lines[index - 1])
            guard header.count == alignments.count || (header.count > 0 && alignments.count > 0) else { continue }
            var rows: [[String]] = []
            var end = index + 1
            while end < lines.count, has(lines[end], 124, { $0.contains("|") }) {
                rows.append(cells(lines[end]))
                end += 1
            }
            let table = PipeTable(header: header, alignments: alignments, rows: rows)
            return (Array(lines[..<(index - 1)]), table, Array(lines[end...]))
        }
        return nil
    }

    /// Whether `line` holds the ASCII `byte`: on bytes for an ASCII line (where a byte is a
    /// character), else with `general` (the character check it stands for).
    static func has(_ line: String, _ byte: UInt8, _ general: (String) -> Bool) -> Bool {
        var found = false
        for current in line.utf8 {
            if current >= 0x80 { return general(line) }
            if current == byte { found = true }
        }
        return found
    }

    static func delimiterRow(_ line: String) -> [Alignment]? {
        let trimmed = line.trimmingSpacesAndTabs(trailingCR: true)
        guard has(trimmed, 45, { $0.contains("-") }),
            has(trimmed, 124, { $0.contains("|") }) || trimmed.hasPrefix(":") || trimmed.hasPrefix("-")
        else {
            return nil
        }
        var alignments: [Alignment] = []
        for cell in cells(line) {
            let spec = cell.trimmingSpacesAndTabs(trailingCR: true)
            guard !spec.isEmpty, spec.allSatisfy({ $0 == "-" || $0 == ":" }), spec.contains("-") else { return nil }
            switch (spec.hasPrefix(":"), spec.hasSuffix(":")) {
            case (true, true): alignments.append(.center)
            case (true, false): alignments.append(.left)
            case (false, true): alignments.append(.right)
            default: alignments.append(.none)
            }
        }
        guard has(trimmed, 124, { $0.contains("|") }) || alignments.count > 1 else { return nil }
        return alignments.isEmpty ? nil : alignments
    }

    /// The cells of a row: split at `|` outside code spans, `\|` kept as a literal pipe.
    ///
    /// Works on UTF-8 bytes: the bytes it looks for (`|`, `` ` ``, `\`, space, tab, CR) are ASCII,
    /// and no byte of a multi-byte character is ASCII, so a byte is one of them exactly where a
    /// character is (``characterCells(_:)`` is the same on characters).
    static func cells(_ line: String) -> [String] {
        byteCells(line)
    }

    /// ``cells(_:)`` on characters.
    static func characterCells(_ line: String) -> [String] {
        var text = Substring(line.trimmingSpacesAndTabs(trailingCR: true))
        if text.hasPrefix("|") { text = text.dropFirst() }
        if text.hasSuffix("|") && !text.hasSuffix("\\|") { text = text.dropLast() }
        var cells: [String] = []
        var current = ""
        var inCode = false
        var previous: Character = " "
        for character in text {
            if character == "`" { inCode.toggle() }
            if character == "|", !inCode, previous != "\\" {
                cells.append(current.trimmingSpacesAndTabs(trailingCR: true))
                current = ""
            } else if character == "|", previous == "\\" {
                current.removeLast()
                current.append("|")
            } else {
                current.append(character)
            }
            previous = character
        }
        cells.append(current.trimmingSpacesAndTabs(trailingCR: true))
        return cells
    }

    /// ``cells(_:)`` on UTF-8 bytes.
    static func byteCells(_ line: String) -> [String] {
        let bytes = Array(line.utf8)
        func isTrailing(_ byte: UInt8) -> Bool { byte.isSpaceOrTab || byte == 13 }
        func trimmed(_ part: ArraySlice<UInt8>) -> String {
            String(decoding: part[part.trimmedBounds(leading: \.isSpaceOrTab, trailing: isTrailing)], as: UTF8.self)
        }
        let kept = bytes.trimmedBounds(leading: \.isSpaceOrTab, trailing: isTrailing)
        var low = kept.lowerBound
        var high = kept.upperBound
        let pipe = UInt8(ascii: "|")
        let backslash = UInt8(ascii: "\\")
        if low < high, bytes[low] == pipe { low += 1 }
        if low < high, bytes[high - 1] == pipe, !(high - low >= 2 && bytes[high - 2] == backslash) { high -= 1 }
        var cells: [String] = []
        var current: [UInt8] = []
        var inCode = false
        var previous = UInt8(ascii: " ")
        for byte in bytes[low..<high] {
            if byte == UInt8(ascii: "`") { inCode.toggle() }
            if byte == pipe, !inCode, previous != backslash {
                cells.append(trimmed(current[...]))
                current.removeAll(keepingCapacity: true)
            } else if byte == pipe, previous == backslash {
                current.removeLast()
                current.append(pipe)
            } else {
                current.append(byte)
            }
            previous = byte
        }
        cells.append(trimmed(current[...]))
        return cells
    }

    /// Writes the table as HTML to `out`; `inline` renders (and sanitizes) one cell's Markdown.
    func append(to out: inout [UInt8], inline: (String) -> String) {
        func add(_ text: StaticString) { text.withUTF8Buffer { out.append(contentsOf: $0) } }
        add("<div class=\"table-wrap\"><table>\n<thead>\n<tr>")
        for (column, cell) in header.enumerated() {
            add("<th")
            add(style(column))
            add(">")
            out.append(contentsOf: inline(cell).utf8)
            add("</th>")
        }
        add("</tr>\n</thead>\n<tbody>\n")
        for row in rows {
            add("<tr>")
            for column in 0..<max(header.count, 1) {
                add("<td")
                add(style(column))
                add(">")
                if column < row.count { out.append(contentsOf: inline(row[column]).utf8) }
                add("</td>")
            }
            add("</tr>\n")
        }
        add("</tbody>\n</table></div>\n")
    }

    private func style(_ column: Int) -> StaticString {
        guard column < alignments.count else { return "" }
        switch alignments[column] {
        case .none: return ""
        case .left: return " style=\"text-align:left\""
        case .center: return " style=\"text-align:center\""
        case .right: return " style=\"text-align:right\""
        }
    }
}
