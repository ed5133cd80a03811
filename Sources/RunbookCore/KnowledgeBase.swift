import Foundation

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
        for path in Self.markdownFiles(in: directory) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
            let loaded = Runbook.load(text: text, path: path)
            runbooks.append(loaded.runbook)
            diagnostics += loaded.diagnostics
        }
        self.runbooks = runbooks
        self.diagnostics = diagnostics
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

    /// Finds a runbook by id, or explains which ids are close.
    public func find(_ id: String) throws(CoreError) -> Runbook {
        if let runbook = runbook(id) { return runbook }
        let ids = runbooks.map(\.id)
        throw .unknownRunbook(id, suggestions: EditDistance.suggestions(for: id, among: ids), known: ids)
    }
}
