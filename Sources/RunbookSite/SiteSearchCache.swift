import Foundation
import RunbookKB

/// The search documents of each source of the last build, kept in `.runbook-search.jsonl` next
/// to the manifest, so that a rebuild that makes `search-index.js` again parses only the sources
/// whose pages it renders again.
///
/// A source's documents are kept with what the manifest knew of its page when they were made
/// (the source's size and time, the inputs hash, the includes and their stamps): they are used
/// only while the page's record is still that one, i.e. while the page is not rendered again.
/// The file is read only when `search-index.js` is made, and written (atomically) each time it
/// is. One of another version, or whose documents were made with includes expanded when this
/// build's are not (or the other way round), is ignored.
///
/// JSON Lines: a ``Header``, then one ``Line`` per source. Lines are decoded on the workers'
/// threads, and a source kept as it was is written back as the bytes it was read as.
struct SiteSearchCache: Sendable {
    static let fileName = ".runbook-search.jsonl"
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

    struct Header: Codable, Equatable, Sendable {
        var version = SiteSearchCache.version
        var expandsIncludes: Bool
    }

    /// The item of the page at `url`.
    struct Line: Codable, Sendable {
        var url: String
        var item: Item
    }

    /// An item as read (with its line) or as made by this build (without).
    struct Kept: Sendable {
        var item: Item
        var line: ArraySlice<UInt8>?
    }

    let path: String
    let header: Header
    let workers: Int

    init(directory: String, expandsIncludes: Bool, workers: Int = 1) {
        path = directory + "/" + Self.fileName
        header = Header(expandsIncludes: expandsIncludes)
        self.workers = workers
    }

    /// The last build's documents by page URL (empty when there are none usable; a damaged line
    /// is left out).
    func load() async -> [String: Kept] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let lines = [UInt8](data).split(separator: UInt8(ascii: "\n"))
        guard let first = lines.first, (try? JSONDecoder().decode(Header.self, from: Data(first))) == header
        else { return [:] }
        let decoded = await Lanes.map(lines.count - 1, workers: workers) { index in
            try? JSONDecoder().decode(Line.self, from: Data(lines[index + 1]))
        }
        var kept: [String: Kept] = [:]
        for (line, bytes) in zip(decoded, lines.dropFirst()) {
            if let line { kept[line.url] = Kept(item: line.item, line: bytes) }
        }
        return kept
    }

    /// Replaces the file with `sources`, in their order (a failure leaves the last one, whose
    /// items no longer matching their pages' records are not used).
    func save(_ sources: [(url: String, kept: Kept)]) {
        let encoder = JSONEncoder()
        guard var bytes = try? [UInt8](encoder.encode(header)) else { return }
        for (url, kept) in sources {
            bytes.append(UInt8(ascii: "\n"))
            if let line = kept.line {
                bytes += line
            } else if let line = try? encoder.encode(Line(url: url, item: kept.item)) {
                bytes += line
            }
        }
        bytes.append(UInt8(ascii: "\n"))
        try? Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Removes the file (a build without search).
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
