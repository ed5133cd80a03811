public import Foundation
import GRDB

/// The knowledge base's full-text index: an SQLite database with an FTS5 table of
/// ``SearchDocument``s, kept up to date by file content hash (see ``update(files:)``).
public final class SearchIndex: Sendable {
    /// Bumped when the tables change or ``SearchDocument``s are made differently (files are re-read
    /// only when their content changes): an index of another version is rebuilt.
    static let schemaVersion = 2

    public let path: String
    let database: DatabaseQueue
    public let weights: SearchWeights

    /// What opening found, for the caller to tell the user.
    public enum Opening: Sendable, Equatable {
        case existing
        case created
        /// The file was no index of this version (corrupt, another program's, an older schema): it
        /// was replaced by an empty one. The reason says which.
        case rebuilt(reason: String)
    }

    public let opening: Opening

    /// Opens (or creates) the index at `path`; a corrupt or old-schema file is replaced.
    public init(path: String, weights: SearchWeights = .standard) throws(SearchError) {
        self.path = path
        self.weights = weights
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .unusableDatabase(path: path, reason: "cannot create its folder: \(error.localizedDescription)")
            }
        }
        let existed = FileManager.default.fileExists(atPath: path)
        var opening: Opening = existed ? .existing : .created
        var database: DatabaseQueue
        do {
            database = try Self.open(path)
            let version = try database.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 }
            if existed, version != Self.schemaVersion {
                opening = .rebuilt(
                    reason: version == 0
                        ? "it is not a runbook index"
                        : "it was made by another version (schema \(version), now \(Self.schemaVersion))")
                try? database.close()
                Self.remove(path)
                database = try Self.open(path)
            }
            if case .existing = opening {} else { try Self.createSchema(database) }
            if opening == .existing {
                try database.read { _ = try Int.fetchOne($0, sql: "SELECT count(*) FROM document") }
            }
        } catch {
            guard existed, opening == .existing else {
                throw .unusableDatabase(path: path, reason: "\(error)")
            }
            // Not a database, or a damaged one: start again from an empty file.
            Self.remove(path)
            do {
                database = try Self.open(path)
                try Self.createSchema(database)
            } catch {
                throw .unusableDatabase(path: path, reason: "\(error)")
            }
            opening = .rebuilt(reason: "it is damaged or not a database (\(Self.describe(error)))")
        }
        self.database = database
        self.opening = opening
    }

    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // A cache: it can always be built again, so a crash may lose the last update but the
            // rollback journal keeps every committed state whole.
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
            // How many documents hold each word (for search to leave out the words most hold).
            try? db.execute(
                sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocabulary USING fts5vocab(main, search, 'row')")
        }
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    static func remove(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }

    static func createSchema(_ database: DatabaseQueue) throws {
        let columns = SearchDocument.Field.allCases.map(\.rawValue).joined(separator: ", ")
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE file (path TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE document (
                        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, file TEXT NOT NULL, hash TEXT NOT NULL,
                        kind TEXT NOT NULL, runbook TEXT NOT NULL, step TEXT, models TEXT NOT NULL, path TEXT NOT NULL);
                    CREATE INDEX document_file ON document(file);
                    CREATE VIRTUAL TABLE search USING fts5(\(columns), tokenize = 'unicode61 remove_diacritics 2');
                    PRAGMA user_version = \(schemaVersion);
                    """)
        }
    }

    /// How many documents the index holds.
    public func count() throws(SearchError) -> Int {
        do {
            return try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM document") ?? 0 }
        } catch {
            throw .unusableDatabase(path: path, reason: Self.describe(error))
        }
    }

    /// The models the indexed runbooks declare.
    public func models() throws(SearchError) -> Set<String> {
        do {
            let lists = try database.read { try String.fetchAll($0, sql: "SELECT DISTINCT models FROM document") }
            return Set(lists.flatMap { $0.split(separator: " ").map(String.init) })
        } catch {
            throw .unusableDatabase(path: path, reason: Self.describe(error))
        }
    }

    /// The default place: `$XDG_CACHE_HOME/runbook/index.sqlite`, else `~/.cache/runbook/index.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return cache + "/runbook/index.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/runbook/index.sqlite"
    }
}

/// A problem with the index or a search that the user can act on.
public enum SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    case unusableDatabase(path: String, reason: String)
    case unreadableFolder(path: String, reason: String)
    case emptyQuery
    case unknownModel(String, known: [String])
    case interrupted

    public var description: String {
        switch self {
        case .unusableDatabase(let path, let reason): "cannot use the search index \(path): \(reason)"
        case .unreadableFolder(let path, let reason): "\(path): cannot read the folder: \(reason)"
        case .emptyQuery: "the query has no words to search for"
        case .unknownModel(let model, let known):
            "unknown model '\(model)'"
                + (known.isEmpty ? "" : " (the indexed runbooks declare: \(known.sorted().joined(separator: ", ")))")
        case .interrupted: "the index update was interrupted; the previous index is unchanged"
        }
    }
}
