import RunbookMarkdown

/// Reads one stretch of the script's bytes; command substitutions read their inside with a new one.
struct ShellLexer {
    let bytes: [UInt8]
    var index: Int
    let end: Int
    var line: Int
    var column: Int
    var pendingHeredocs: [(delimiter: [UInt8], stripTabs: Bool, expands: Bool)] = []

    init(bytes: [UInt8], start: Int, end: Int, line: Int, column: Int) {
        self.bytes = bytes
        self.index = start
        self.end = end
        self.line = line
        self.column = column
    }

    var current: UInt8? { index < end ? bytes[index] : nil }
    func peek(_ offset: Int) -> UInt8? { index + offset < end ? bytes[index + offset] : nil }

    mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    var position: SourceLocation { SourceLocation(line: line, column: column) }

    static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
    static func isNameStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }
    static func isName(_ byte: UInt8) -> Bool { isNameStart(byte) || (byte >= 48 && byte <= 57) }
    static func isOperator(_ byte: UInt8) -> Bool { ";&|()<>".utf8.contains(byte) }

    mutating func run(into script: inout ShellScript) {
        var segment: [ShellScript.Word] = []
        var expectRedirectTarget = false
        func flush(_ script: inout ShellScript, parens: Bool = false) {
            script.add(segment: segment, followedByParens: parens)
            segment = []
        }
        while let byte = current {
            if Self.isBlank(byte) {
                advance()
            } else if byte == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\n") {
                advance()
                advance()
            } else if byte == UInt8(ascii: "#") {
                while let next = current, next != UInt8(ascii: "\n") { advance() }
            } else if byte == UInt8(ascii: "\n") {
                advance()
                flush(&script)
                readHeredocBodies(into: &script)
            } else if byte == UInt8(ascii: "<"), peek(1) == UInt8(ascii: "<"), peek(2) != UInt8(ascii: "<") {
                advance()
                advance()
                var stripTabs = false
                if current == UInt8(ascii: "-") {
                    stripTabs = true
                    advance()
                }
                while let next = current, Self.isBlank(next) { advance() }
                let wordStart = index
                _ = readWord(into: &script)
                let raw = Array(bytes[wordStart..<index])
                let quoted = raw.contains {
                    $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
                }
                let delimiter = raw.filter {
                    $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\")
                }
                pendingHeredocs.append((delimiter, stripTabs, !quoted))
            } else if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || (byte >= 48 && byte <= 57 && redirectionAhead())
            {
                while let next = current, next >= 48 && next <= 57 { advance() }
                advance()
                while let next = current,
                    next == UInt8(ascii: ">") || next == UInt8(ascii: "&") || next == UInt8(ascii: "|")
                {
                    advance()
                }
                expectRedirectTarget = true
            } else if Self.isOperator(byte) {
                if byte == UInt8(ascii: "("), peek(1) == UInt8(ascii: ")") {
                    advance()
                    advance()
                    flush(&script, parens: true)
                    continue
                }
                advance()
                if let next = current, next == byte,
                    byte == UInt8(ascii: "&") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: ";")
                {
                    advance()
                }
                flush(&script)
            } else {
                let word = readWord(into: &script)
                if expectRedirectTarget {
                    expectRedirectTarget = false
                } else {
                    segment.append(word)
                }
            }
        }
        flush(&script)
    }

    /// Digits followed by `<` or `>`: a redirection of that descriptor.
    func redirectionAhead() -> Bool {
        var offset = 0
        while let byte = peek(offset), byte >= 48 && byte <= 57 { offset += 1 }
        guard let byte = peek(offset) else { return false }
        return byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
    }

    mutating func readHeredocBodies(into script: inout ShellScript) {
        let heredocs = pendingHeredocs
        pendingHeredocs = []
        for heredoc in heredocs {
            while current != nil {
                let lineStart = index
                let startLine = line
                let startColumn = column
                var lineEnd = index
                while lineEnd < end, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                var content = bytes[lineStart..<lineEnd]
                if heredoc.stripTabs { content = content.drop { $0 == UInt8(ascii: "\t") } }
                if Array(content) == heredoc.delimiter {
                    while index < lineEnd { advance() }
                    if current != nil { advance() }
                    break
                }
                if heredoc.expands {
                    var inner = ShellLexer(
                        bytes: bytes, start: lineStart, end: lineEnd, line: startLine, column: startColumn)
                    inner.scanExpansions(into: &script)
                }
                while index < lineEnd { advance() }
                if current != nil { advance() }
            }
        }
    }

    /// Records the expansions of a stretch that is not split into words (a here-document line).
    mutating func scanExpansions(into script: inout ShellScript) {
        while let byte = current {
            if byte == UInt8(ascii: "\\") {
                advance()
                if current != nil { advance() }
            } else if byte == UInt8(ascii: "$") {
                readDollar(into: &script)
            } else if byte == UInt8(ascii: "`") {
                readBackquote(into: &script)
            } else {
                advance()
            }
        }
    }

    /// Reads one word up to an unquoted blank, operator or newline.
    mutating func readWord(into script: inout ShellScript) -> ShellScript.Word {
        let start = index
        let position = self.position
        let firstReference = script.references.count
        var text: [UInt8] = []
        while let byte = current {
            if Self.isBlank(byte) || byte == UInt8(ascii: "\n") || Self.isOperator(byte) { break }
            if byte == UInt8(ascii: "'") {
                advance()
                while let next = current, next != UInt8(ascii: "'") {
                    text.append(next)
                    advance()
                }
                if current != nil { advance() }
            } else if byte == UInt8(ascii: "\"") {
                advance()
                while let next = current, next != UInt8(ascii: "\"") {
                    if next == UInt8(ascii: "\\"), let escaped = peek(1) {
                        advance()
                        advance()
                        text.append(escaped)
                    } else if next == UInt8(ascii: "$") {
                        let from = index
                        readDollar(into: &script)
                        text += bytes[from..<index]
                    } else if next == UInt8(ascii: "`") {
                        let from = index
                        readBackquote(into: &script)
                        text += bytes[from..<index]
                    } else {
                        text.append(next)
                        advance()
                    }
                }
                if current != nil { advance() }
            } else if byte == UInt8(ascii: "\\") {
                advance()
                if let escaped = current {
                    if escaped != UInt8(ascii: "\n") { text.append(escaped) }
                    advance()
                }
            } else if byte == UInt8(ascii: "$") {
                let from = index
                readDollar(into: &script)
                text += bytes[from..<index]
            } else if byte == UInt8(ascii: "`") {
                let from = index
                readBackquote(into: &script)
                text += bytes[from..<index]
            } else {
                text.append(byte)
                advance()
            }
        }
        if index == start, current != nil { advance() }
        // Expansions inside command substitutions count too: their output becomes part of the word.
        let references = Array(script.references[firstReference...]).sorted {
            $0.range.lowerBound < $1.range.lowerBound
        }
        return ShellScript.Word(text: String(decoding: text, as: UTF8.self), position: position, references: references)
    }

    /// Reads `$NAME`, `${…}`, `$(…)`, `$((…))` or a special parameter.
    mutating func readDollar(into script: inout ShellScript) {
        let start = index
        let position = self.position
        advance()
        guard let byte = current else { return }
        if Self.isNameStart(byte) {
            var name: [UInt8] = []
            while let next = current, Self.isName(next) {
                name.append(next)
                advance()
            }
            script.references.append(
                .init(
                    name: String(decoding: name, as: UTF8.self), position: position, range: start..<index, isPlain: true
                ))
        } else if byte == UInt8(ascii: "{") {
            advance()
            if current == UInt8(ascii: "#") { advance() }
            var name: [UInt8] = []
            while let next = current, Self.isName(next) {
                name.append(next)
                advance()
            }
            let plain = current == UInt8(ascii: "}")
            // The rest of ${NAME:-word}: nested expansions count too.
            var depth = 1
            while let next = current {
                if next == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { break }
                    advance()
                } else if next == UInt8(ascii: "$") {
                    readDollar(into: &script)
                } else {
                    if next == UInt8(ascii: "{") { depth += 1 }
                    advance()
                }
            }
            if current != nil { advance() }
            if let first = name.first, Self.isNameStart(first) {
                let reference = ShellScript.Reference(
                    name: String(decoding: name, as: UTF8.self), position: position, range: start..<index,
                    isPlain: plain && bytes[start + 2] != UInt8(ascii: "#"))
                script.references.append(reference)
            }
        } else if byte == UInt8(ascii: "(") {
            advance()
            let innerStart = index
            let innerLine = line
            let innerColumn = column
            var depth = 1
            var quote: UInt8?
            while let next = current {
                if let open = quote {
                    if next == open { quote = nil }
                    if next == UInt8(ascii: "\\"), open == UInt8(ascii: "\""), peek(1) != nil { advance() }
                } else if next == UInt8(ascii: "'") || next == UInt8(ascii: "\"") {
                    quote = next
                } else if next == UInt8(ascii: "(") {
                    depth += 1
                } else if next == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 { break }
                }
                advance()
            }
            var inner = ShellLexer(bytes: bytes, start: innerStart, end: index, line: innerLine, column: innerColumn)
            if bytes[innerStart] == UInt8(ascii: "(") {
                inner.scanExpansions(into: &script)
            } else {
                inner.run(into: &script)
            }
            if current != nil { advance() }
        } else if "?#@*$!-0123456789".utf8.contains(byte) {
            advance()
        }
    }

    mutating func readBackquote(into script: inout ShellScript) {
        advance()
        let innerStart = index
        let innerLine = line
        let innerColumn = column
        while let next = current, next != UInt8(ascii: "`") {
            if next == UInt8(ascii: "\\"), peek(1) != nil { advance() }
            advance()
        }
        var inner = ShellLexer(bytes: bytes, start: innerStart, end: index, line: innerLine, column: innerColumn)
        inner.run(into: &script)
        if current != nil { advance() }
    }
}
