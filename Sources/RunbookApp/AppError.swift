public import RunbookCore

/// An error of the app layer, in the one scheme of ``RunbookError``: a request that cannot be
/// carried out as given (exit 2), or a failure of the engine itself (exit 3).
///
/// The text is written where the error is thrown, once; a client shows ``RunbookError/located``.
public struct AppError: RunbookError, Equatable, CustomStringConvertible {
    public var message: String
    public var place: DocumentPlace?
    public var exitCode: Int32

    /// A library's error as the app hands it on: its message, place and exit code kept as they are.
    public init(_ error: some RunbookError) {
        message = error.message
        place = error.place
        exitCode = error.exitCode
    }

    init(message: String, place: DocumentPlace?, exitCode: Int32) {
        self.message = message
        self.place = place
        self.exitCode = exitCode
    }

    /// A mistake of the user's (a bad runbook, input, option or file): exit 2.
    public static func badInput(_ message: String, at place: DocumentPlace? = nil) -> AppError {
        AppError(message: message, place: place, exitCode: RunbookErrorExit.badInput)
    }

    /// A failure of the engine itself: exit 3.
    public static func engine(_ message: String) -> AppError {
        AppError(message: message, place: nil, exitCode: RunbookErrorExit.engine)
    }

    public var description: String { located }
}
