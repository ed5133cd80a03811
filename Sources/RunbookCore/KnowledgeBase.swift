import Foundation
import RunbookMarkdown

/// The runbooks of a folder (`./Runbooks` by default), loaded and indexed by id.
public struct KnowledgeBase: Sendable {
    public let directory: String
    /// Runbooks in file-name order.
    public let runbooks: [Runbook]
    /// Problems found while loading, by file.
    public let diagnostics: [Diagnostic]

    /// Loads every `.md` file directly in `directory` or below it.
    public init(directory: String) throws(CoreError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .knowledgeBaseMissing(directory)
        }
        self.directory = directory
        var runbooks: [Runbook] = []
        var diagnostics: [Diagnostic] = []
        var unreadable: [String: String] = [:]
        for path in Self.markdownFiles(in: directory) {
            let text: String
            do {
                text = try Self.readRunbookFile(path)
            } catch {
                // One bad file (a folder named x.md, a symlink loop, unreadable or not UTF-8) is
                // reported and skipped; the rest of the knowledge base still works.
                if case .unreadable(_, let reason) = error { unreadable[path] = reason }
                diagnostics.append(
                    Diagnostic(
                        .error, "unreadable", error.description, file: path, at: SourceLocation(line: 1, column: 1)))
                continue
            }
            let loaded = Runbook.load(text: text, path: path)
            runbooks.append(loaded.runbook)
            diagnostics += loaded.diagnostics
        }
        self.runbooks = runbooks
        self.diagnostics = diagnostics
        self.unreadable = unreadable
    }

    /// Files that could not be read as runbooks, with the reason.
    public let unreadable: [String: String]

    /// A runbook file's text: a regular file (symbolic links followed), readable, UTF-8.
    public static func readRunbookFile(_ path: String) throws(CoreError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno == ELOOP ? "a loop of symbolic links" : String(cString: strerror(errno))
            throw .unreadable(path: path, reason: reason)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .unreadable(
                path: path, reason: info.st_mode & S_IFMT == S_IFDIR ? "a folder, not a file" : "not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: access(path, R_OK) == 0 ? "read failed" : "permission denied")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "not UTF-8 text (save it as UTF-8)")
        }
        return text
    }

    /// Markdown files under `directory`, sorted, skipping hidden folders.
    public static func markdownFiles(in directory: String) -> [String] {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if relative.hasSuffix(".md") { files.append(base + "/" + relative) }
        }
        return files.sorted()
    }

    public var byID: [String: Runbook] {
        Dictionary(runbooks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func runbook(_ id: String) -> Runbook? { runbooks.first { $0.id == id } }

    /// The runbook `run` uses when none is named: the one marked `default: true`.
    public func defaultRunbook() throws(CoreError) -> Runbook {
        guard let runbook = runbooks.first(where: \.isDefault) else { throw .noDefaultRunbook(directory: directory) }
        return runbook
    }

    /// Finds a runbook by id, or explains which ids are close; an id two files use is refused.
    public func find(_ id: String) throws(CoreError) -> Runbook {
        let matches = runbooks.filter { $0.id == id }
        if matches.count > 1 { throw .ambiguousRunbook(id, paths: matches.map(\.path)) }
        if let runbook = matches.first { return runbook }
        let ids = runbooks.map(\.id)
        throw .unknownRunbook(id, suggestions: EditDistance.suggestions(for: id, among: ids), known: ids)
    }
}
