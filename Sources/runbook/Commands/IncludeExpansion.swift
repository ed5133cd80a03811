import RunbookKB
import RunbookSite

/// The `--includes` folders as the search index's include expander (shared by `runbook index` and
/// `runbook search`; `runbook site` expands them into its search documents by the same rule).
enum IncludeExpansion {
    /// `nil` without folders: includes are expanded only when `--includes` is given.
    static func expander(_ folders: [String]) -> SearchIndex.IncludeExpander? {
        guard !folders.isEmpty else { return nil }
        let includes = Includes(fallbackDirectories: folders)
        return { path, text in includes.expanded(text, path: path) }
    }
}
