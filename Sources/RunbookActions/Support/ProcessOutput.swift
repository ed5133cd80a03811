/// What a finished command left behind.
public struct ProcessOutput: Sendable, Equatable {
    /// The exit code, or `128 + signal` when a signal ended it.
    public var exitCode: Int32
    public var standardOutput: String
    public var standardError: String

    public init(exitCode: Int32, standardOutput: String, standardError: String) {
        self.exitCode = exitCode
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    public var succeeded: Bool { exitCode == 0 }
}

/// Why a command could not be run at all.
public enum ExecutorError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case timedOut(command: String, after: Duration)
    case failedToStart(command: String, reason: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let command): "command not found: \(command)"
        case .timedOut(let command, let after): "\(command) did not finish within \(after.milliseconds)ms"
        case .failedToStart(let command, let reason): "could not start \(command): \(reason)"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
