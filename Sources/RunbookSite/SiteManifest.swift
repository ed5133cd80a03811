import Foundation
import RunbookCore

/// What the last build of a site knew about each page, kept in `.runbook-site.json` in the output
/// folder: whether a page must be rendered again is decided from it before rendering.
///
/// A page is rendered again when its source file's size or modification time changed, when the
/// inputs hash changed (the renderer — the `runbook` binary itself — and the page's options), when
/// an include it uses resolves to another file or that file's size or time changed, or when the
/// page on disk is not the one written last time. A rendered page is written only when its bytes
/// differ from the last build's.
struct SiteManifest: Sendable {
    static let fileName = ".runbook-site.json"
    static let version = 2

    /// One page of the last build.
    struct Record: Codable, Equatable, Sendable {
        /// The source file (`nil` for the pages made from the whole site: index, search).
        var source: FileStamp?
        /// ``SiteManifest/inputsHash(_:)`` of what the page was rendered with.
        var inputs: String
        /// The includes the source uses, directly or through other includes.
        var includes: [IncludeDependency] = []
        /// ``SiteManifest/hash(_:)`` of the page's bytes.
        var hash: String
        /// The page's file as written.
        var written: FileStamp
        /// What the index and the search know about the page.
        var entry: SiteBuilder.Entry?
    }

    struct Contents: Codable, Equatable {
        var version = SiteManifest.version
        var pages: [String: Record] = [:]
    }

    let directory: String
    /// The last build's pages by URL (empty when there was none, or it was of another version).
    let previous: [String: Record]

    init(directory: String) {
        self.directory = directory
        let path = directory + "/" + Self.fileName
        if let data = FileManager.default.contents(atPath: path),
            let decoded = try? JSONDecoder().decode(Contents.self, from: data), decoded.version == Self.version
        {
            previous = decoded.pages
        } else {
            previous = [:]
        }
    }

    /// The last build's record of `url` when the page need not be rendered again: same source
    /// (size and time), same inputs, its includes unchanged, and its file as it was written.
    func unchanged(_ url: String, source: FileStamp?, inputs: String, includes: Includes?) -> Record? {
        guard let record = previous[url], record.source == source, record.inputs == inputs,
            FileStamp.of(directory + "/" + url) == record.written
        else { return nil }
        for dependency in record.includes {
            guard let includes, includes.resolve(dependency.reference, from: dependency.from) == dependency.file,
                dependency.file.flatMap(FileStamp.of) == dependency.stamp
            else { return nil }
        }
        return record
    }

    /// Whether the pages of `current` carry the same index entries as the last build's.
    func sameEntries(as current: [String: Record]) -> Bool {
        let previousCount = previous.values.count { $0.entry != nil }
        let currentCount = current.values.count { $0.entry != nil }
        return previousCount == currentCount
            && current.allSatisfy { url, record in record.entry == nil || previous[url]?.entry == record.entry }
    }

    enum Outcome: Sendable {
        case written
        case unchanged
        case failed
    }

    /// Writes a rendered page unless the last build wrote the same bytes and the file is still
    /// those; the page's new record (`record.hash` and `record.written` filled in).
    func write(_ content: [UInt8], to url: String, record: Record) -> (Record, Outcome) {
        var record = record
        record.hash = Self.hash(content)
        let target = directory + "/" + url
        if let last = previous[url], last.hash == record.hash, let stamp = FileStamp.of(target), stamp == last.written {
            record.written = stamp
            return (record, .unchanged)
        }
        let folder = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(content).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            return (record, .failed)
        }
        record.written = FileStamp.of(target) ?? FileStamp(size: -1, modified: 0)
        return (record, .written)
    }

    /// Removes the pages of the last build that this build no longer has; how many.
    func removeStale(keeping current: [String: Record]) -> Int {
        var removed = 0
        for url in previous.keys where current[url] == nil {
            let path = directory + "/" + url
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                (try? FileManager.default.removeItem(atPath: path)) != nil
            else { continue }
            removed += 1
        }
        return removed
    }

    /// Saves `current` when it differs from what was read (a rebuild that changed nothing writes nothing).
    func save(_ current: [String: Record]) throws {
        guard current != previous else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(Contents(pages: current))
            .write(to: URL(fileURLWithPath: directory + "/" + Self.fileName), options: .atomic)
    }

    /// ``ContentHash`` of the bytes: enough to notice a changed page.
    static func hash(_ content: [UInt8]) -> String { ContentHash.of(content) }

    /// The hash of what a page is rendered with besides its source and includes: the renderer
    /// (the running binary, by size and time, so a new `runbook` renders everything again; and
    /// the pages' CSS and script) and `options`.
    static func inputsHash(_ options: String) -> String {
        hash(Array((rendererVersion + "\u{0}" + options).utf8))
    }

    static let rendererVersion: String = {
        #if os(Linux)
            let executable = "/proc/self/exe"
        #else
            let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
        let binary = FileStamp.of(executable).map { "\($0.size)-\($0.modified)" } ?? "unknown"
        return "site-\(version) \(binary) " + hash(Array((PageStyle.css + PageStyle.script).utf8))
    }()
}

/// A file's size and modification time (nanoseconds): what a rebuild compares instead of reading it.
struct FileStamp: Codable, Equatable, Sendable {
    var size: Int64
    var modified: Int64

    /// The stamp of a regular file (symbolic links followed), `nil` when there is none.
    static func of(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if os(Linux)
            let time = info.st_mtim
        #else
            let time = info.st_mtimespec
        #endif
        return FileStamp(size: Int64(info.st_size), modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }
}

/// An `[AZURE.INCLUDE]` a page depends on: where it is written, what it resolved to, and that file's stamp.
struct IncludeDependency: Codable, Equatable, Sendable {
    /// The file that names it (the page's source or another include).
    var from: String
    var reference: String
    /// The resolved file, `nil` when it was missing.
    var file: String?
    var stamp: FileStamp?
}

extension Includes {
    /// The includes `text` (the file at `path`) uses, and the ones they use, as deep as pages
    /// render them (``BodyRenderer/appendInclude(_:to:)`` stops at depth 4).
    func dependencies(of text: String, path: String) -> [IncludeDependency] {
        var found: [IncludeDependency] = []
        var pending: [(text: String, path: String, depth: Int)] = [(text, path, 0)]
        while let (text, from, depth) = pending.popLast() {
            for reference in IncludeReference.extract(from: text).references {
                let file = resolve(reference.path, from: from)
                found.append(
                    IncludeDependency(
                        from: from, reference: reference.path, file: file,
                        stamp: file.flatMap(FileStamp.of)))
                if let file, depth + 1 < 4, let nested = self.text(of: file) {
                    pending.append((nested, file, depth + 1))
                }
            }
        }
        return found
    }
}
