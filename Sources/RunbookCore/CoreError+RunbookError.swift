/// Loading and choosing runbooks fails on bad input: exit 2, the text as ``CoreError/description`` has it.
extension CoreError: RunbookError {
    public var message: String { description }
}
