public import RunbookCore

// The errors of RunbookRunner in the one scheme of ``RunbookError``: all of them are bad input.

extension RunLogs.Problem: RunbookError {
    public var message: String { description }
}

extension JSONLSink.OpenError: RunbookError {
    public var message: String { description }
}
