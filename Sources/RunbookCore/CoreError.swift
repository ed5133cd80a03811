/// Errors of loading and choosing runbooks, each with its text for the user.
public enum CoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownModel(String, runbook: String, known: [String])
    case unknownRunbook(String, suggestions: [String], known: [String])
    case noDefaultRunbook(directory: String)
    case knowledgeBaseMissing(String)
    case unreadable(path: String, reason: String)
    case invalidRunbook([Diagnostic])
    case ambiguousRunbook(String, paths: [String])

    public var description: String {
        switch self {
        case .unknownModel(let model, let runbook, let known):
            return "unknown model '\(model)' for runbook '\(runbook)'; its models are: \(known.joined(separator: ", "))"
        case .unknownRunbook(let id, let suggestions, let known):
            var text = "no runbook '\(id)' in the knowledge base"
            if !suggestions.isEmpty {
                text += "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
            } else if !known.isEmpty {
                text += "; runbooks: \(known.joined(separator: ", "))"
            }
            return text
        case .noDefaultRunbook(let directory):
            return "no runbook in \(directory) is marked 'default: true'; name one with --runbook"
        case .knowledgeBaseMissing(let directory):
            return "knowledge base '\(directory)' does not exist; give --kb DIR or set RUNBOOK_PATH"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .ambiguousRunbook(let id, let paths):
            return
                "runbook id '\(id)' is used by \(paths.count) files: \(paths.joined(separator: ", ")); give one --runbook PATH or change an id"
        case .invalidRunbook(let diagnostics):
            return diagnostics.errors.map(\.description).joined(separator: "\n")
        }
    }
}
