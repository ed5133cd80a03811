import RunbookCore

/// `check command run="systemctl is-active ssh" on=vm`: a command's exit code or output decides.
///
/// The command line is split into words here (quotes group words; no shell runs it), so an
/// input placed in it stays one argument and cannot inject shell code.
struct CommandCheck: CheckAction {
    var schema: ActionSchema {
        ActionSchema(
            name: "command",
            summary: "Runs a command (no shell) and passes when its exit code and output are as expected.",
            arguments: [
                ArgumentSpec("run", .string, required: true, help: "the command line; quotes group words, no shell"),
                ArgumentSpec("expect-exit", .integer, default: "0", help: "exit code that passes"),
                ArgumentSpec("expect-output", .string, help: "text the standard output must contain"),
                ArgumentSpec("on", .oneOf(["client", "vm"]), default: "client", help: "where to run it"),
            ],
            example: "check command run=\"ssh -V\" expect-exit=0")
    }

    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        let argv: [String]
        let expectedExit: Int
        do {
            argv = try arguments.words("run")
            expectedExit = try arguments.int("expect-exit")
        } catch let problem as Arguments.Problem {
            return .error(problem.description)
        } catch {
            return .error("\(error)")
        }
        guard let executor = context.executor(on: arguments.optional("on")) else {
            return .error("needs --vm to look inside the VM")
        }
        let output: ProcessOutput
        do {
            output = try await executor.run(argv, timeout: context.timeout)
        } catch {
            return .error("\(error)")
        }
        let stdout = output.standardOutput.trimmingCharacters(in: "\n")
        // The command that ran, as a shell would read it back (the hub masks secret values).
        let evidence = [
            "command": argv.map(ShellQuote.quote).joined(separator: " "),
            "exit": String(output.exitCode),
            "stdout": String(stdout.suffix(400)),
            "stderr": String(output.standardError.trimmingCharacters(in: "\n").suffix(400)),
        ]
        guard Int(output.exitCode) == expectedExit else {
            let detail =
                output.standardError.trimmedLine.isEmpty ? stdout.trimmedLine : output.standardError.trimmedLine
            return .fail(
                "exit \(output.exitCode), expected \(expectedExit)\(detail.isEmpty ? "" : ": \(detail)")",
                evidence: evidence)
        }
        if let expected = arguments.optional("expect-output"), !output.standardOutput.contains(expected) {
            return .fail("output lacks '\(expected)'", evidence: evidence)
        }
        return .pass(stdout.trimmedLine.isEmpty ? "exit \(output.exitCode)" : stdout.trimmedLine, evidence: evidence)
    }
}

/// Splits a command line into words: whitespace separates, single or double quotes group,
/// a backslash escapes the next character. No expansion of any kind.
extension Arguments {
    /// A command line argument split into words *before* inputs are inserted, each input then
    /// placed inside its word: an input can never add words, options or shell syntax.
    public func words(_ name: String) throws -> [String] {
        _ = try string(name)
        let template = templates[name] ?? values[name] ?? ""
        return try Words.split(template).map { word in
            Template.expand(word, values: inputs) ?? word
        }
    }
}

enum Words {
    struct Unbalanced: Error, CustomStringConvertible {
        var description: String { "unbalanced quote in command line" }
    }

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw Unbalanced() }
        if inWord { words.append(current) }
        return words
    }
}
