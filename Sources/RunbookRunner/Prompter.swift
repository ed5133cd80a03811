/// Asks a person at the terminal. The runner uses it only when the run is interactive.
public protocol Prompter: Sendable {
    /// Whether to run a fix; shows what it would do.
    func consent(to step: String, title: String, script: String) async -> Bool
    /// The outcome of a manual step the person carried out.
    func manualOutcome(of step: String, title: String, text: String) async -> ManualAnswer
}

public enum ManualAnswer: Sendable, Equatable {
    case done, failed, skipped
}

/// Reads answers from standard input, writing questions to standard error.
public struct TerminalPrompter: Prompter {
    public init() {}

    public func consent(to step: String, title: String, script: String) async -> Bool {
        let indented = script.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        ask("Fix '\(title)' (\(step)) would run:\n\(indented)\nRun it? [y/N] ")
        guard let answer = readLine()?.lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }

    public func manualOutcome(of step: String, title: String, text: String) async -> ManualAnswer {
        let shown = text.split(separator: "\n").prefix(12).map { "    " + $0 }.joined(separator: "\n")
        ask("\(title) (\(step)) is a manual step:\n\(shown)\nDid it work? [d]one / [f]ailed / [s]kip: ")
        switch readLine()?.lowercased().first {
        case "d", "y": return .done
        case "f", "n": return .failed
        default: return .skipped
        }
    }

    private func ask(_ text: String) {
        FileOutput.standardError.write(text)
    }
}
