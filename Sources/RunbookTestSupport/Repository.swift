import Foundation

/// Where the repository and the files shared beside it are.
package enum Repository {
    /// The repository's root, found from this file's path (`Sources/RunbookTestSupport/Repository.swift`).
    package static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The folder of files shared beside the project (the corpus, the seed, the format text), read in
    /// place and never copied in: `../shared` beside the repository, or `RUNBOOK_SHARED` when set (a
    /// checkout elsewhere, such as a second worktree, points it at the one folder).
    package static let shared: String = {
        if let folder = ProcessInfo.processInfo.environment["RUNBOOK_SHARED"], !folder.isEmpty { return folder }
        return root + "/../shared"
    }()
}
