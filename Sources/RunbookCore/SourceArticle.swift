public import RunbookMarkdown

/// A legacy article a runbook replaces, named in its front matter's `sources:` list (an
/// addition to FORMAT.md: the site links the article's page to the runbook and back).
public struct SourceArticle: Sendable, Equatable {
    /// The article's path relative to the articles folder (`virtual-machines/x.md`).
    public var path: String
    /// Where the name is written, for diagnostics.
    public var location: SourceLocation

    /// Why `path` cannot name an article under the articles folder, or `nil` when it can.
    static func problem(with path: String) -> String? {
        if !path.hasSuffix(".md") { return "is not a Markdown file (.md)" }
        if path.hasPrefix("/") { return "must be relative to the articles folder, not absolute" }
        if path.contains("\\") || path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
            return "must be a plain path inside the articles folder (no '.', '..' or '\\')"
        }
        return nil
    }

    /// The paths of the Markdown files under `directory`, relative to it: the names `sources:` uses.
    public static func paths(in directory: String) -> Set<String> {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return Set(KnowledgeBase.markdownFiles(in: base).map { String($0.dropFirst(base.count + 1)) })
    }
}

extension Linter {
    /// An error at each of `runbook`'s `sources:` that names no file in `articlesDirectory`, with
    /// the closest names there as suggestions.
    ///
    /// - Parameters:
    ///   - articles: the article paths under the articles folder (`KnowledgeBase.markdownFiles`
    ///     with the folder's prefix taken off), as a set.
    public static func lintSources(_ runbook: Runbook, articles: Set<String>, articlesDirectory: String) -> [Diagnostic]
    {
        runbook.sources.filter { !articles.contains($0.path) }.map { source in
            let name = source.path.split(separator: "/").last.map(String.init) ?? source.path
            // The same file name in another folder first, else the paths closest in spelling.
            var similar = articles.filter { $0.hasSuffix("/" + name) || $0 == name }.sorted()
            if similar.isEmpty { similar = EditDistance.suggestions(for: source.path, among: articles.sorted()) }
            let note =
                similar.isEmpty
                ? "the names are paths relative to \(articlesDirectory)"
                : "did you mean \(similar.prefix(3).map { "'\($0)'" }.joined(separator: " or "))?"
            return Diagnostic(
                .error, "unknown-source", "no article '\(source.path)' in \(articlesDirectory)",
                file: runbook.path, at: source.location, note: note)
        }
    }
}
