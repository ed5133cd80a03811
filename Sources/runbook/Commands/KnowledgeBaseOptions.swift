import ArgumentParser
import Foundation
import RunbookActions
import RunbookCore

/// `--kb DIR`, shared by the commands that read runbooks, and the loading of the runbook they name.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(name: .customLong("kb"), help: ArgumentHelp(
        "Knowledge base folder (default: $RUNBOOK_PATH, else ./Runbooks).", valueName: "dir"))
    var directory: String?

    var resolvedDirectory: String {
        if let directory { return directory }
        if let fromEnvironment = ProcessInfo.processInfo.environment["RUNBOOK_PATH"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "Runbooks"
    }

    func load() throws -> KnowledgeBase {
        do {
            return try KnowledgeBase(directory: resolvedDirectory)
        } catch {
            throw UsageError(error.description)
        }
    }

    /// The runbook named by `--runbook` (an id or a path), or the knowledge base's default.
    func runbook(_ reference: String?, in knowledgeBase: KnowledgeBase) throws -> Runbook {
        guard let reference else {
            do { return try knowledgeBase.defaultRunbook() } catch { throw UsageError(error.description) }
        }
        if RunbookSelection.isPath(reference) {
            guard let text = try? String(contentsOfFile: reference, encoding: .utf8) else {
                throw UsageError("cannot read runbook file '\(reference)'")
            }
            return Runbook.load(text: text, path: reference).runbook
        }
        do { return try knowledgeBase.find(reference) } catch { throw UsageError(error.description) }
    }

    /// Stops with exit 2 when the runbook has errors: a broken runbook never runs.
    func requireValid(_ runbook: Runbook, knowledgeBase: KnowledgeBase, registry: ActionRegistry) throws {
        let text = (try? String(contentsOfFile: runbook.path, encoding: .utf8)) ?? ""
        guard runbook.hasFrontMatter || text.allSatisfy(\.isWhitespace) else {
            throw UsageError(
                "\(runbook.path):1:1: not a runbook: it has no front matter (id, title, models, verify); "
                    + "'runbook import \(runbook.path)' turns an article into a draft runbook")
        }
        let loading = Runbook.load(text: text, path: runbook.path).diagnostics
        let problems = (loading + Linter.lint(runbook, schemas: registry.schemas, knowledgeBase: knowledgeBase.byID))
            .errors
        guard problems.isEmpty else {
            throw UsageError("runbook '\(runbook.id)' is invalid:\n" + problems.map(\.description).joined(separator: "\n"))
        }
    }

    func graph(_ runbook: Runbook, model: String) throws -> StepGraph {
        do {
            return try StepGraph(runbook: runbook, model: model)
        } catch {
            throw UsageError(error.description)
        }
    }
}
