public import RunbookCore

/// A problem with the index or a search that the user can act on: bad input, in the scheme of ``RunbookError``.
extension SearchError: RunbookError {
    public var message: String { description }
}
