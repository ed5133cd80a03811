public import RunbookMarkdown

/// What a `run` block's POSIX shell script does with variables and commands, read without running it.
///
/// Not a shell: a lexer that knows quoting (`'…'`, `"…"`, `\`), comments, `$NAME`, `${NAME…}`,
/// `$(…)`, backquotes, redirections and here-documents, enough to tell which variables the script
/// expands, which ones it sets itself, and which words are arguments of which commands. Lint uses
/// it to warn about unknown variables and secrets on a command line; the runner uses it to find
/// the tools a fix needs and to show a fix with the values it will see.
///
/// Positions are relative to the script: line 1 is its first line; columns count UTF-8 bytes
/// from 1, as ``SourceLocation`` does.
public struct ShellScript: Sendable {
    /// An expansion of a variable: `$NAME` or `${NAME…}`.
    public struct Reference: Sendable, Equatable {
        public var name: String
        public var position: SourceLocation
        /// UTF-8 offsets of the whole expansion in the script.
        public var range: Range<Int>
        /// `$NAME` or `${NAME}` with nothing else, so that showing a value in its place is exact.
        public var isPlain: Bool
    }

    /// A word of a command line, with the expansions inside it.
    public struct Word: Sendable, Equatable {
        public var text: String
        public var position: SourceLocation
        public var references: [Reference]
    }

    /// A simple command: its words after leading `NAME=value` assignments.
    public struct Command: Sendable, Equatable {
        public var words: [Word]
        /// The program that runs, past wrappers such as `sudo`, `env` or `exec`; `nil` when the
        /// command only assigns variables.
        public var program: String?

        /// The first word: the name the shell looks up.
        public var name: String? { words.first?.text }
    }

    public fileprivate(set) var commands: [Command] = []
    /// Every expansion, in order, here-documents and command substitutions included.
    public fileprivate(set) var references: [Reference] = []
    /// Variables the script sets itself (`NAME=`, `for NAME`, `read NAME`, `export NAME=`, …).
    public fileprivate(set) var assigned: Set<String> = []
    /// Shell functions the script defines.
    public fileprivate(set) var functions: Set<String> = []

    public init(_ text: String) {
        let bytes = Array(text.utf8)
        var lexer = Lexer(bytes: bytes, start: 0, end: bytes.count, line: 1, column: 1)
        lexer.run(into: &self)
        references.sort { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Commands that run inside the shell process, so their arguments never reach an argv.
    public static let builtins: Set<String> = [
        "echo", "printf", "test", "[", "[[", "export", "local", "readonly", "declare", "typeset", "read", ":",
        "true", "false", "set", "unset", "cd", "exit", "return", "shift", "trap", "wait", "eval", ".", "source",
        "umask", "getopts", "let", "break", "continue",
    ]

    /// The script with every plain `$NAME`/`${NAME}` whose name is in `values` replaced by that value.
    ///
    /// For showing a fix to a person only: the script that runs is always the original one.
    public func display(_ script: String, values: [String: String]) -> String {
        var bytes = Array(script.utf8)
        for reference in references.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) where reference.isPlain {
            guard let value = values[reference.name] else { continue }
            bytes.replaceSubrange(reference.range, with: Array(value.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a command line of the script can reveal `name`'s value in a process's argv: it is
    /// expanded in an argument of a command that is neither a builtin nor a function of the script.
    public func argumentReferences(to names: Set<String>) -> [Reference] {
        var found: [Reference] = []
        for command in commands {
            guard let name = command.name, !Self.builtins.contains(name), !functions.contains(name) else { continue }
            for word in command.words.dropFirst() {
                found += word.references.filter { names.contains($0.name) }
            }
        }
        return found
    }

    /// Names of the programs the script runs (past wrappers), in order of first use.
    public var programs: [String] {
        var seen: [String] = []
        for command in commands {
            if let program = command.program, !seen.contains(program) { seen.append(program) }
        }
        return seen
    }

    fileprivate mutating func add(segment: [Word], followedByParens: Bool) {
        guard !segment.isEmpty else { return }
        var words = segment[...]
        let reserved: Set<String> = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}",
                                      "time", "esac"]
        while let first = words.first, reserved.contains(first.text) { words = words.dropFirst() }
        guard let first = words.first else { return }
        if first.text == "for", words.count > 1 {
            assigned.insert(words[words.startIndex + 1].text)
            return
        }
        if first.text == "case" { return }
        if first.text == "function", words.count > 1 {
            functions.insert(words[words.startIndex + 1].text)
            return
        }
        if words.count == 1, followedByParens {
            functions.insert(first.text)
            return
        }
        while let word = words.first, let name = Self.assignmentName(word.text) {
            assigned.insert(name)
            words = words.dropFirst()
        }
        guard let name = words.first?.text else { return }
        switch name {
        case "export", "local", "readonly", "declare", "typeset", "read":
            for word in words.dropFirst() where !word.text.hasPrefix("-") {
                assigned.insert(Self.assignmentName(word.text) ?? word.text)
            }
        case "getopts":
            if words.count > 2 { assigned.insert(words[words.startIndex + 2].text) }
        default: break
        }
        var program: String?
        var rest = words[...]
        while let word = rest.first {
            let text = word.text
            if ["sudo", "exec", "command", "nohup", "nice", "env"].contains(text) || text.hasPrefix("-")
                || (program == nil && rest.startIndex > words.startIndex && Self.assignmentName(text) != nil)
            {
                rest = rest.dropFirst()
                continue
            }
            program = text
            break
        }
        commands.append(Command(words: Array(words), program: program))
    }

    static func assignmentName(_ text: String) -> String? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        let name = text[..<equals]
        guard name.first.map({ $0 == "_" || ($0.isASCII && $0.isLetter) }) == true,
            name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
        else { return nil }
        return String(name)
    }
}

/// Reads one stretch of the script's bytes; command substitutions read their inside with a new one.
private struct Lexer {
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
                let quoted = raw.contains { $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
                let delimiter = raw.filter { $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
                pendingHeredocs.append((delimiter, stripTabs, !quoted))
            } else if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || (byte >= 48 && byte <= 57 && redirectionAhead())
            {
                while let next = current, next >= 48 && next <= 57 { advance() }
                advance()
                while let next = current, next == UInt8(ascii: ">") || next == UInt8(ascii: "&") || next == UInt8(ascii: "|") {
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
                if let next = current, next == byte, byte == UInt8(ascii: "&") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: ";") {
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
                    var inner = Lexer(bytes: bytes, start: lineStart, end: lineEnd, line: startLine, column: startColumn)
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
        let references = Array(script.references[firstReference...]).sorted { $0.range.lowerBound < $1.range.lowerBound }
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
            script.references.append(.init(name: String(decoding: name, as: UTF8.self), position: position, range: start..<index, isPlain: true))
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
            var inner = Lexer(bytes: bytes, start: innerStart, end: index, line: innerLine, column: innerColumn)
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
        var inner = Lexer(bytes: bytes, start: innerStart, end: index, line: innerLine, column: innerColumn)
        inner.run(into: &script)
        if current != nil { advance() }
    }
}
