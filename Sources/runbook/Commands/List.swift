import ArgumentParser
import RunbookApp
import RunbookRunner

extension RunbookCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the runbooks of the knowledge base.")

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func run() async throws {
            let listed = try RunbookApp().list(knowledgeBase.location)
            FileOutput.standardOutput.write(listed.text)
            for line in listed.unreadable { FileOutput.standardError.write("runbook: warning: \(line)\n") }
        }
    }
}
