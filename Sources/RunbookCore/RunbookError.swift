public import RunbookMarkdown

/// The one shape of every error the engine's libraries throw to a caller: what went wrong, where
/// (for a document, `file:line:col`), and how a command line ends on it.
///
/// Libraries throw their own typed errors (one enum per module, cases carrying the position) and
/// adopt this protocol; only a client (the `runbook` CLI, a server) turns it into text, once:
/// `runbook: error: file:line:col: message`, exit ``exitCode``.
public protocol RunbookError: Error {
    /// What went wrong, in the words a user reads, without the place (``place`` is added in front).
    var message: String { get }
    /// Where in a document it happened, if it happened in one.
    var place: DocumentPlace? { get }
    /// The exit code of a command that ends on this error: 2 for bad input, 3 for a failure of the engine.
    var exitCode: Int32 { get }
}

extension RunbookError {
    public var place: DocumentPlace? { nil }
    public var exitCode: Int32 { RunbookErrorExit.badInput }

    /// The place (if any) and the message, as a user reads them: `ssh.md:3:1: not a runbook …`.
    public var located: String {
        guard let place else { return message }
        return "\(place): \(message)"
    }
}

/// The exit codes a ``RunbookError`` can ask for.
public enum RunbookErrorExit {
    /// A mistake of the user's: a bad runbook, input, option or file.
    public static let badInput: Int32 = 2
    /// A failure of the engine itself.
    public static let engine: Int32 = 3
}

/// A place in a document: its path and, when known, the line and column (UTF-8 bytes, from 1).
public struct DocumentPlace: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation?

    public init(file: String, at location: SourceLocation? = nil) {
        self.file = file
        self.location = location
    }

    /// `file:line:col`, or `file` alone without a location.
    public var description: String { location.map { "\(file):\($0)" } ?? file }
}
