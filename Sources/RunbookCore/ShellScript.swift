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

    public internal(set) var commands: [Command] = []
    /// Every expansion, in order, here-documents and command substitutions included.
    public internal(set) var references: [Reference] = []
    /// Variables the script sets itself (`NAME=`, `for NAME`, `read NAME`, `export NAME=`, …).
    public internal(set) var assigned: Set<String> = []
    /// Shell functions the script defines.
    public internal(set) var functions: Set<String> = []

    public init(_ text: String) {
        let bytes = Array(text.utf8)
        var lexer = ShellLexer(bytes: bytes, start: 0, end: bytes.count, line: 1, column: 1)
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

    mutating func add(segment: [Word], followedByParens: Bool) {
        guard !segment.isEmpty else { return }
        var words = segment[...]
        let reserved: Set<String> = [
            "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}",
            "time", "esac",
        ]
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
