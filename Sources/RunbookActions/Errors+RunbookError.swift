public import RunbookCore

// The errors of RunbookActions in the one scheme of ``RunbookError``; their texts stay where the types are.

/// A `--vm` spec that names no executor: bad input.
extension VMSpec.Problem: RunbookError {
    public var message: String { description }
}

/// An argument of `runbook check ACTION k=v…` that the action cannot use: bad input.
extension Arguments.Problem: RunbookError {
    public var message: String { description }
}

/// A command that could not be run at all.
extension ExecutorError: RunbookError {
    public var message: String { description }
}
