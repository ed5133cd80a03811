import Foundation
import RunbookCore
public import RunbookKB
import RunbookSite

/// The search index and what goes in it, shared by `runbook index` and `runbook search`.
public struct IndexRequest: Sendable {
    /// The index's path; nil for ``SearchIndex/defaultPath()``.
    public var database: String?
    /// The runbooks' folder.
    public var knowledgeBase: KnowledgeBaseLocation
    /// Folders of legacy articles to index too.
    public var articles: [String]
    /// Folders where included files are also looked up by name; with none, includes are not expanded.
    public var includes: [String]

    public init(
        database: String? = nil, knowledgeBase: KnowledgeBaseLocation, articles: [String] = [],
        includes: [String] = []
    ) {
        self.database = database
        self.knowledgeBase = knowledgeBase
        self.articles = articles
        self.includes = includes
    }

    /// The index's path.
    public var path: String { database ?? SearchIndex.defaultPath() }

    /// The index, opened (a damaged or old one is replaced: see its `opening`).
    public func open() throws(AppError) -> SearchIndex {
        do { return try SearchIndex(path: path) } catch { throw AppError(error) }
    }

    /// The runbook files and article files to index; a folder that cannot be read is bad input.
    public func files() throws(AppError) -> [String] {
        var files: [String] = []
        for folder in [knowledgeBase.resolvedDirectory] + articles {
            try Self.requireReadableFolder(folder)
            files += KnowledgeBase.markdownFiles(in: folder)
        }
        return files
    }

    static func requireReadableFolder(_ folder: String) throws(AppError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw .badInput("\(folder): no such folder")
        }
        guard isDirectory.boolValue else { throw .badInput("\(folder): not a folder") }
        guard let handle = opendir(folder) else {
            throw .badInput("\(folder): cannot read the folder: \(String(cString: strerror(errno)))")
        }
        closedir(handle)
    }

    /// Whether `index` must be built before a search can find anything: it is new, was rebuilt
    /// (damaged or of an older version), or holds no document.
    public func needsBuild(_ index: SearchIndex) -> Bool {
        // An index that cannot count its documents is searched as it is: the search names the error.
        index.opening != .existing || (try? index.count()) == 0
    }

    /// Brings `index` up to date with the files.
    public func update(_ index: SearchIndex) async throws(AppError) -> SearchIndex.UpdateSummary {
        let files = try files()
        for folder in includes { try Self.requireReadableFolder(folder) }
        do {
            return try await index.update(files: files, expand: Self.expander(includes))
        } catch {
            throw AppError(error)
        }
    }

    /// The `includes` folders as the search index's include expander (`runbook site` expands them
    /// into its search documents by the same rule). `nil` without folders: includes are expanded
    /// only when folders are given.
    static func expander(_ folders: [String]) -> SearchIndex.IncludeExpander? {
        guard !folders.isEmpty else { return nil }
        let includes = Includes(fallbackDirectories: folders)
        return { path, text in includes.expanded(text, path: path) }
    }
}
