import ArgumentParser
import RunbookCore

extension RunbookCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the runbooks of the knowledge base.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() async throws {
            let base = try knowledgeBase.load()
            for runbook in base.runbooks {
                let models = runbook.models.map(\.id).joined(separator: ",")
                let marker = runbook.isDefault ? " (default)" : ""
                print("\(runbook.id)\(marker)  [\(models.isEmpty ? "-" : models)]  \(runbook.title)")
                if !runbook.summary.isEmpty { print("    \(runbook.summary)") }
            }
        }
    }
}
