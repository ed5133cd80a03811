import Foundation
import RunbookActions
public import RunbookCore

/// `runbook lint`: what to check.
public struct LintRequest: Sendable {
    /// Runbook files or folders; empty for the knowledge base.
    public var paths: [String]
    /// The knowledge base: the default target, and the runbooks `call` blocks may name.
    public var knowledgeBase: KnowledgeBaseLocation
    /// The folder of legacy articles that each name in a runbook's `sources:` must be a file of.
    public var articles: String?

    public init(paths: [String] = [], knowledgeBase: KnowledgeBaseLocation, articles: String? = nil) {
        self.paths = paths
        self.knowledgeBase = knowledgeBase
        self.articles = articles
    }
}

/// What `runbook lint` found.
public struct LintReport: Sendable {
    /// The files read.
    public var files: [String]
    /// Every diagnostic, by file, then by place.
    public var diagnostics: [Diagnostic]
}

extension RunbookApp {
    /// Lints the request's runbooks: loading problems, lint rules, `sources:` against the articles
    /// folder, and ids two files share. Calls are checked against the knowledge base plus the files.
    public func lint(_ request: LintRequest) throws(AppError) -> LintReport {
        var articlePaths: Set<String>?
        if let articles = request.articles {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: articles, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw .badInput("articles folder '\(articles)' does not exist")
            }
            articlePaths = SourceArticle.paths(in: articles)
        }
        let targets = request.paths.isEmpty ? [request.knowledgeBase.resolvedDirectory] : request.paths
        var files: [String] = []
        for target in targets {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else {
                throw .badInput("no such file or folder: \(target)")
            }
            files += isDirectory.boolValue ? KnowledgeBase.markdownFiles(in: target) : [target]
        }
        // Calls are checked against the knowledge base plus the files being linted.
        var known = (try? KnowledgeBase(directory: request.knowledgeBase.resolvedDirectory))?.byID ?? [:]
        var loaded: [(Runbook, [Diagnostic])] = []
        var all: [Diagnostic] = []
        for file in files {
            let text: String
            do {
                text = try KnowledgeBase.readRunbookFile(file)
            } catch {
                all.append(
                    Diagnostic(.error, "unreadable", error.description, file: file, at: .init(line: 1, column: 1)))
                continue
            }
            let result = Runbook.load(text: text, path: file)
            loaded.append((result.runbook, result.diagnostics))
            if known[result.runbook.id] == nil { known[result.runbook.id] = result.runbook }
        }
        var seenIDs: [String: String] = [:]
        for (runbook, diagnostics) in loaded {
            var found = diagnostics + Linter.lint(runbook, schemas: registry.schemas, knowledgeBase: known)
            if let articles = request.articles, let articlePaths {
                found += Linter.lintSources(runbook, articles: articlePaths, articlesDirectory: articles)
            }
            if runbook.hasFrontMatter, let other = seenIDs[runbook.id] {
                found.append(
                    Diagnostic(
                        .error, "duplicate-runbook", "runbook id '\(runbook.id)' is also used by \(other)",
                        file: runbook.path, at: runbook.metadataLocations["id"] ?? .init(line: 1, column: 1)))
            }
            if runbook.hasFrontMatter { seenIDs[runbook.id] = runbook.path }
            all += found.sorted { $0.location < $1.location }
        }
        return LintReport(files: files, diagnostics: all)
    }
}
