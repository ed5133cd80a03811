public import Foundation
public import RunbookCore
import RunbookMarkdown

/// Asks a person at the terminal. The runner uses it only when the run is interactive.
///
/// A prompt returns at once when the run's task is cancelled (Ctrl-C, SIGTERM, SIGHUP): the
/// answer is then "no" or skipped, and the runner ends the run `interrupted`.
public protocol Prompter: Sendable {
    /// Whether to run a fix; shows what it would do.
    func consent(to step: String, title: String, script: String) async -> Bool
    /// The outcome of a manual step the person carried out or looked at.
    func manualOutcome(_ question: ManualQuestion) async -> ManualAnswer
}

public enum ManualAnswer: Sendable, Equatable {
    case done, failed, skipped
}

/// A manual step as the person is asked about it.
public struct ManualQuestion: Sendable, Equatable {
    public var step: String
    public var title: String
    /// The heading's `question="…"`, a yes/no question whose yes means the step passed.
    public var question: String?
    /// The step's Markdown.
    public var text: String

    public init(step: String, title: String, question: String? = nil, text: String) {
        self.step = step
        self.title = title
        self.question = question
        self.text = text
    }

    /// The question asked: the heading's `question=`, else one made of the title.
    public var asked: String {
        if let question, !question.isEmpty { return question }
        return "Is this in order: \(title)?"
    }
}

/// Reads answers from standard input, writing questions to standard error.
public struct TerminalPrompter: Prompter {
    let output: FileOutput
    let input: FileOutput
    let width: Int

    public init(
        output: FileOutput = .standardError, input: FileOutput = .standardInput,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.output = output
        self.input = input
        width = output.columns(environment: environment)
    }

    public func consent(to step: String, title: String, script: String) async -> Bool {
        let indented = script.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        output.write("Fix '\(title)' (\(step)) would run:\n\(indented)\n")
        let answer = await ask(
            "Run it? [y/N] ", choices: ["y": true, "yes": true, "n": false, "no": false, "": false], hint: "y or n")
        return answer ?? false
    }

    public func manualOutcome(_ question: ManualQuestion) async -> ManualAnswer {
        let body = TerminalMarkdown.render(question.text, width: width - 4)
            .split(separator: "\n", omittingEmptySubsequences: false).prefix(16)
        output.write("? \(question.step)  \(question.title)\n")
        output.write(body.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n") + "\n")
        let choices: [String: ManualAnswer] = [
            "y": .done, "yes": .done, "n": .failed, "no": .failed, "s": .skipped, "skip": .skipped,
        ]
        return await ask("\(question.asked) [y/n/skip] ", choices: choices, hint: "y, n or skip") ?? .skipped
    }

    /// Asks for a required input no source gave, on standard error, reading standard input; a
    /// secret is typed without echo. Nil at end of input.
    public static func value(of input: Input) -> String? {
        FileOutput.standardError.write("\(input.name) (\(input.description)): ")
        guard input.secret else { return Swift.readLine() }
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { return Swift.readLine() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &quiet)
        defer {
            tcsetattr(0, TCSANOW, &saved)
            FileOutput.standardError.write("\n")
        }
        return Swift.readLine()
    }

    /// Asks until the answer is one of `choices` (lowercased, trimmed); nil at end of input or
    /// when the run is interrupted.
    private func ask<Answer>(_ prompt: String, choices: [String: Answer], hint: String) async -> Answer? {
        while true {
            output.write(prompt)
            guard let line = await input.readLine() else {
                output.write("\n")
                return nil
            }
            let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
            if let chosen = choices[answer] { return chosen }
            output.write("Please answer \(hint).\n")
        }
    }
}
