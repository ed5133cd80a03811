public import Foundation
import GRDB
import RunbookCore

extension SearchIndex {
    /// What an update did, counted in documents.
    public struct UpdateSummary: Sendable, Equatable {
        public var added = 0
        public var changed = 0
        public var removed = 0
        public var unchanged = 0
        /// Files read, and those of them that were new or changed (and parsed again).
        public var files = 0
        public var parsedFiles = 0
        /// Files that could not be read (left out of the index).
        public var unreadable: [String] = []
    }

    /// Gives a file's text with its includes (`[AZURE.INCLUDE ...]`) replaced by what they include:
    /// `(path, text) -> text`. The search index does not resolve includes itself (the site does).
    public typealias IncludeExpander = @Sendable (_ path: String, _ text: String) -> String

    /// Makes the index hold exactly the documents of `files`: a file whose content hash is the one
    /// stored is not parsed again; documents of new or changed files are compared one by one, and
    /// those of files no longer given are removed. Everything is written in one transaction, so an
    /// update that fails or is interrupted leaves the previous index as it was.
    ///
    /// - Parameter expand: when given, each file's text is expanded before it is parsed, and the hash
    ///   is that of the expanded text: a file is read again when what it includes changes, or when
    ///   includes are expanded, found elsewhere or no longer expanded at all.
    /// - Parameter checkpoint: called before each changed file is written (with the count so far);
    ///   throwing from it abandons the update.
    public func update(
        files: [String], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        checkpoint: (@Sendable (Int) throws -> Void)? = nil, expand: IncludeExpander? = nil
    ) async throws(SearchError) -> UpdateSummary {
        let stored: [String: String]
        do {
            stored = try await database.read { db in
                try Dictionary(
                    Row.fetchAll(db, sql: "SELECT path, hash FROM file").map { ($0["path"], $0["hash"]) },
                    uniquingKeysWith: { first, _ in first })
            }
        } catch {
            throw .unusableDatabase(path: path, reason: Self.describe(error))
        }
        let scanned = await Self.scan(files, stored: stored, expand: expand, workers: workers)
        var start = UpdateSummary()
        start.files = files.count
        start.unreadable = scanned.filter { $0.hash == nil }.map(\.path)
        let changed = scanned.filter { $0.documents != nil }
        start.parsedFiles = changed.count
        let readable = Set(scanned.compactMap { $0.hash == nil ? nil : $0.path })
        let gone = stored.keys.filter { !readable.contains($0) }
        let initial = start
        do {
            return try await database.write { db in
                var summary = initial
                for file in gone {
                    summary.removed += try self.removeDocuments(of: file, db)
                    try db.execute(sql: "DELETE FROM file WHERE path = ?", arguments: [file])
                }
                for (number, file) in changed.enumerated() {
                    do { try checkpoint?(number) } catch { throw SearchError.interrupted }
                    try self.store(file, db, summary: &summary)
                }
                let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0
                summary.unchanged = total - summary.added - summary.changed
                return summary
            }
        } catch let error as SearchError {
            throw error
        } catch {
            throw .unusableDatabase(path: path, reason: Self.describe(error))
        }
    }

    /// One file read and, when its hash is new, parsed into documents.
    struct ScannedFile: Sendable {
        var path: String
        /// `nil`: unreadable.
        var hash: String?
        /// `nil`: unchanged (or unreadable).
        var documents: [SearchDocument]?
    }

    /// Reads and hashes `files`, parsing those whose hash is not the stored one, on `workers`
    /// threads of their own (not the tasks' shared pool, which a long parse would starve).
    static func scan(
        _ files: [String], stored: [String: String], expand: IncludeExpander?, workers: Int
    ) async -> [ScannedFile] {
        await Lanes.map(files.count, workers: workers) {
            scanFile(files[$0], stored: stored[files[$0]], expand: expand)
        }
    }

    static func scanFile(_ path: String, stored: String?, expand: IncludeExpander? = nil) -> ScannedFile {
        guard let data = FileManager.default.contents(atPath: path) else { return ScannedFile(path: path) }
        let bytes = [UInt8](data)
        var text: String?
        var hash = ContentHash.of(bytes)
        if let expand {
            let original = String(decoding: bytes, as: UTF8.self)
            let expanded = expand(path, original)
            // The documents are made from the expanded text: its hash says whether they can change
            // (a file without includes keeps the hash of its bytes).
            if expanded != original { hash = ContentHash.of(Array(expanded.utf8)) }
            text = expanded
        }
        var file = ScannedFile(path: path, hash: hash)
        if stored != hash {
            file.documents = SearchDocument.documents(text: text ?? String(decoding: bytes, as: UTF8.self), path: path)
        }
        return file
    }

    /// Removes a file's documents; returns how many.
    func removeDocuments(of file: String, _ db: Database) throws -> Int {
        try db.execute(
            sql: "DELETE FROM search WHERE rowid IN (SELECT id FROM document WHERE file = ?)", arguments: [file])
        try db.execute(sql: "DELETE FROM document WHERE file = ?", arguments: [file])
        return db.changesCount
    }

    /// Writes a new or changed file's documents, comparing them with those stored by key and hash.
    func store(_ file: ScannedFile, _ db: Database, summary: inout UpdateSummary) throws {
        guard let documents = file.documents, let hash = file.hash else { return }
        var previous: [String: (id: Int64, hash: String)] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT id, key, hash FROM document WHERE file = ?", arguments: [file.path])
        {
            previous[row["key"]] = (row["id"], row["hash"])
        }
        var seen = Set<String>()
        let fields = SearchDocument.Field.allCases
        let columns = fields.map(\.rawValue).joined(separator: ", ")
        let marks = fields.map { _ in "?" }.joined(separator: ", ")
        for document in documents where seen.insert(document.key).inserted {
            let documentHash = document.contentHash
            if let old = previous[document.key] {
                if old.hash == documentHash { continue }
                try db.execute(sql: "DELETE FROM search WHERE rowid = ?", arguments: [old.id])
                try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [old.id])
                summary.changed += 1
            } else {
                summary.added += 1
            }
            try db.execute(
                sql:
                    "INSERT INTO document (key, file, hash, kind, runbook, step, models, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    document.key, file.path, documentHash, document.kind.rawValue, document.runbook, document.step,
                    document.models.joined(separator: " "), document.path,
                ])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO search (rowid, \(columns)) VALUES (?, \(marks))",
                arguments: StatementArguments(
                    [id] + fields.map { document.text($0) as (any DatabaseValueConvertible)? }))
        }
        for (key, old) in previous where !seen.contains(key) {
            try db.execute(sql: "DELETE FROM search WHERE rowid = ?", arguments: [old.id])
            try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [old.id])
            summary.removed += 1
        }
        try db.execute(sql: "INSERT OR REPLACE INTO file (path, hash) VALUES (?, ?)", arguments: [file.path, hash])
    }
}
