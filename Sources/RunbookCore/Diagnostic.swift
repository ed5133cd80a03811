public import RunbookMarkdown

/// A problem found in a runbook, printed in the compiler's form `file:line:col: error: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var file: String
    public var location: SourceLocation
    /// A stable short name of the rule (`unknown-action`, `bad-argument`, ...).
    public var code: String
    public var message: String
    /// How to fix it, printed on a `note:` line after the diagnostic.
    public var note: String?

    public init(
        _ severity: Severity, _ code: String, _ message: String, file: String, at location: SourceLocation,
        note: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.location = location
        self.note = note
    }

    public var description: String {
        var text = "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
        if let note { text += "\n\(file):\(location.line):\(location.column): note: \(note)" }
        return text
    }
}

extension [Diagnostic] {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
}
