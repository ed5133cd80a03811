/// The repository's root, found from this file's path (`Sources/RunbookTestSupport/Repository.swift`).
package enum Repository {
    package static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
}
