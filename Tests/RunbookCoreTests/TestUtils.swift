import Foundation
import RunbookActions
import RunbookCore
import RunbookMarkdown
// The repository root and the rest of the shared test support, for every file here.
@_exported import RunbookTestSupport
import Testing

/// `SourceLocation(line:column:)` in short, for tables of expected positions.
func at(_ line: Int, _ column: Int) -> RunbookMarkdown.SourceLocation {
    RunbookMarkdown.SourceLocation(line: line, column: column)
}

/// The built-in actions' schemas, which lint checks `check` lines against.
let schemas = ActionRegistry.builtIn.schemas

/// Loads Markdown text as `path`.
func load(_ text: String, path: String = "test.md") -> (runbook: Runbook, diagnostics: [Diagnostic]) {
    Runbook.load(text: text, path: path)
}

/// Loads a runbook and lints it; fails the test if loading reported anything.
func lint(_ text: String, path: String = "test.md", knowledgeBase: [String: Runbook]? = nil) -> [Diagnostic] {
    let (runbook, diagnostics) = load(text, path: path)
    #expect(diagnostics.isEmpty, "loading reported: \(diagnostics)")
    return Linter.lint(runbook, schemas: schemas, knowledgeBase: knowledgeBase)
}

extension Diagnostic {
    /// `line:col severity code`, the part of a diagnostic that tests compare exactly.
    var summary: String { "\(location) \(severity.rawValue) \(code)" }
}

/// Fixture runbooks in `Tests/RunbookCoreTests/Fixtures`, copied into the test bundle.
enum Fixture {
    static func url(_ name: String) throws -> URL {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        return try #require(
            Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures"),
            "fixture \(name) is missing from the bundle")
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    /// Loads a fixture with the path `name`, so diagnostics read `name:line:col`.
    static func load(_ name: String) throws -> (runbook: Runbook, diagnostics: [Diagnostic]) {
        Runbook.load(text: try text(name), path: name)
    }
}

/// Paths outside the package: `../shared` (read in place, never copied) and the repository's own files.
enum RepositoryFiles {
    /// The repository root.
    static let root = URL(fileURLWithPath: Repository.root)

    static func shared(_ relativePath: String) -> URL {
        URL(fileURLWithPath: Repository.shared).appendingPathComponent(relativePath).standardizedFileURL
    }
}
