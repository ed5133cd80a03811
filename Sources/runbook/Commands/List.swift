import ArgumentParser
import RunbookCore
import RunbookRunner

extension RunbookCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the runbooks of the knowledge base.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() async throws {
            let base = try knowledgeBase.load()
            let counts = Dictionary(base.runbooks.map { ($0.id, 1) }, uniquingKeysWith: +)
            let invalid = Set(base.diagnostics.errors.map(\.file))
            // The default first, then the others in file order.
            let ordered = base.runbooks.filter(\.isDefault) + base.runbooks.filter { !$0.isDefault }
            for runbook in ordered {
                let models = runbook.models.map(\.id).joined(separator: ",")
                var marker = runbook.isDefault ? " (default)" : ""
                if counts[runbook.id, default: 0] > 1 { marker += " (duplicate id: \(runbook.path))" }
                if invalid.contains(runbook.path) { marker += " (invalid: runbook lint \(runbook.path))" }
                print("\(runbook.id)\(marker)  [\(models.isEmpty ? "-" : models)]  \(runbook.title)")
                if !runbook.summary.isEmpty { print("    \(runbook.summary)") }
            }
            for (path, reason) in base.unreadable.sorted(by: { $0.key < $1.key }) {
                FileOutput.standardError.write("runbook: warning: skipped \(path): \(reason)\n")
            }
        }
    }
}
