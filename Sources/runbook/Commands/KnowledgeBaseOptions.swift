import ArgumentParser
import Foundation
import RunbookApp
import RunbookCore

/// `--kb DIR`, shared by the commands that read runbooks.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(name: .customLong("kb"), help: ArgumentHelp(
        "Knowledge base folder (default: $RUNBOOK_PATH, else ./Runbooks).", valueName: "dir"))
    var directory: String?

    /// The folder as the app reads it.
    var location: KnowledgeBaseLocation {
        KnowledgeBaseLocation(directory: directory, environment: ProcessInfo.processInfo.environment)
    }

    var resolvedDirectory: String { location.resolvedDirectory }

    func load() throws -> KnowledgeBase { try location.load() }

    /// The runbook named by `--runbook` (an id or a path), or the knowledge base's default.
    func runbook(_ reference: String?, in knowledgeBase: KnowledgeBase) throws -> Runbook {
        try RunbookChoice.runbook(reference, in: knowledgeBase).0
    }
}
