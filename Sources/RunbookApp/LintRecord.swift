public import RunbookCore

/// One diagnostic as JSON.
public struct LintRecord: Encodable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: String
    public var code: String
    public var message: String
    public var note: String?

    public init(_ diagnostic: Diagnostic) {
        file = diagnostic.file
        line = diagnostic.location.line
        column = diagnostic.location.column
        severity = diagnostic.severity.rawValue
        code = diagnostic.code
        message = diagnostic.message
        note = diagnostic.note
    }
}
