import Foundation
import RunbookKB

/// The search documents of each source of the last build, kept in `.runbook-search.json` next to
/// the manifest, so that a rebuild that makes `search-index.js` again parses only the sources
/// whose pages it renders again.
///
/// A source's documents are kept with what the manifest knew of its page when they were made
/// (the source's size and time, the inputs hash, the includes and their stamps): they are used
/// only while the page's record is still that one, i.e. while the page is not rendered again.
/// The file is read only when `search-index.js` is made, and written (atomically) each time it
/// is. One of another version, or whose documents were made with includes expanded when this
/// build's are not (or the other way round), is ignored.
struct SiteSearchCache: Sendable {
    static let fileName = ".runbook-search.json"
    static let version = 1

    /// A source's documents and the record of its page they were made with.
    struct Item: Codable, Equatable, Sendable {
        var source: FileStamp?
        var inputs: String
        var includes: [IncludeDependency]
        var documents: [SearchDocument]

        init(_ record: SiteManifest.Record, documents: [SearchDocument]) {
            source = record.source
            inputs = record.inputs
            includes = record.includes
            self.documents = documents
        }

        /// Whether the documents were made from what `record` describes.
        func matches(_ record: SiteManifest.Record) -> Bool {
            source == record.source && inputs == record.inputs && includes == record.includes
        }
    }

    struct Contents: Codable, Sendable {
        var version = SiteSearchCache.version
        var expandsIncludes: Bool
        /// By the URL of the source's page.
        var sources: [String: Item]
    }

    let path: String
    let expandsIncludes: Bool

    init(directory: String, expandsIncludes: Bool) {
        path = directory + "/" + Self.fileName
        self.expandsIncludes = expandsIncludes
    }

    /// The last build's documents by page URL (empty when there are none usable).
    func load() -> [String: Item] {
        guard let data = FileManager.default.contents(atPath: path),
            let contents = try? JSONDecoder().decode(Contents.self, from: data),
            contents.version == Self.version, contents.expandsIncludes == expandsIncludes
        else { return [:] }
        return contents.sources
    }

    /// Replaces the file with `sources` (a failure leaves the last one, whose items no longer
    /// matching their pages' records are not used).
    func save(_ sources: [String: Item]) {
        guard let data = try? JSONEncoder().encode(Contents(expandsIncludes: expandsIncludes, sources: sources))
        else { return }
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Removes the file (a build without search).
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
