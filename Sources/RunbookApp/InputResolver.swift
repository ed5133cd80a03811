public import RunbookCore

/// Turns `-i NAME=VALUE` words and the other sources' pairs into the values a run uses (the order of
/// the sources is ``InputSources``').
public enum InputResolver {
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case missingEquals(String)
        case unknownInput(String, runbook: String, known: [String])
        case missingRequired(name: String, description: String)

        public var description: String {
            switch self {
            case .missingEquals(let word):
                "-i '\(word)' needs the form NAME=VALUE"
            case .unknownInput(let name, let runbook, let known):
                "runbook '\(runbook)' has no input '\(name)'; its inputs: \(known.joined(separator: ", "))"
                    + (EditDistance.suggestions(for: name, among: known).first.map { "; did you mean '\($0)'?" } ?? "")
            case .missingRequired(let name, let description):
                "missing required input '\(name)' (\(description)); give -i \(name)=VALUE"
            }
        }
    }

    /// Values from `RUNBOOK_INPUT_<VARIABLE>` environment variables (input `new-password` →
    /// `RUNBOOK_INPUT_NEW_PASSWORD`): the way to give a secret without putting it in any argv.
    public static func fromEnvironment(_ environment: [String: String], for runbook: Runbook) -> [(String, String)] {
        runbook.inputs.compactMap { input in
            environment["RUNBOOK_INPUT_" + input.environmentName].map { (input.name, $0) }
        }
    }

    /// Splits `NAME=VALUE` words.
    public static func parse(_ words: [String]) throws(Problem) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for word in words {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { throw .missingEquals(word) }
            pairs.append((String(word[..<equals]), String(word[word.index(after: equals)...])))
        }
        return pairs
    }

    /// Merges file values, then command-line values, then defaults; checks names and required inputs.
    ///
    /// - Parameter ask: called for a missing required input when a person can answer; returns the value.
    public static func resolve(
        _ given: [(String, String)], for runbook: Runbook, ask: ((Input) -> String?)? = nil
    ) throws(Problem) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in given {
            guard runbook.input(name) != nil else {
                throw .unknownInput(name, runbook: runbook.id, known: runbook.inputs.map(\.name))
            }
            values[name] = value
        }
        for input in runbook.inputs where values[input.name] == nil {
            if let value = input.defaultValue {
                values[input.name] = value
            } else if input.required {
                if let ask, let answer = ask(input), !answer.isEmpty {
                    values[input.name] = answer
                } else {
                    throw .missingRequired(name: input.name, description: input.description)
                }
            }
        }
        return values
    }
}

extension InputResolver.Problem: RunbookError {
    public var message: String { description }
}
