import ArgumentParser
import Foundation
import RunbookApp

/// `--kb DIR`, shared by the commands that read runbooks.
struct KnowledgeBaseOptions: ParsableArguments {
    @Option(
        name: .customLong("kb"),
        help: ArgumentHelp(
            "Knowledge base folder (default: $RUNBOOK_PATH, else ./Runbooks).", valueName: "dir"))
    var directory: String?

    /// The folder as the app reads it.
    var location: KnowledgeBaseLocation {
        KnowledgeBaseLocation(directory: directory, environment: ProcessInfo.processInfo.environment)
    }
}
