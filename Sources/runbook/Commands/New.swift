import ArgumentParser
import Foundation
import RunbookApp
import RunbookCore

extension RunbookCommand {
    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new runbook skeleton that lints clean and explains itself.",
            discussion: """
                Writes Runbooks/ID.md (or -o PATH); never overwrites an existing file.

                Example:
                  runbook new disk-full --title "Disk full on a Linux VM" --models arm,classic
                """)

        @Argument(help: ArgumentHelp("Runbook id: lowercase letters, digits and '-'.", valueName: "id"))
        var id: String

        @Option(help: "Title of the runbook.")
        var title: String?

        @Option(help: ArgumentHelp("Deployment models, comma separated", valueName: "list"))
        var models: String = "arm,classic"

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write it (default: KB/ID.md).", valueName: "path"))
        var output: String?

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                throw ValidationError("id '\(id)' must use only a-z, 0-9 and '-'")
            }
            let list = modelList
            guard !list.isEmpty, list.allSatisfy({ Slug.make($0) == $0 }) else {
                throw ValidationError("--models '\(models)' must be a comma-separated list such as arm,classic")
            }
        }

        var modelList: [String] {
            models.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func run() async throws {
            let path = try RunbookApp().newRunbook(
                id: id, title: title, models: modelList, path: output, knowledgeBase: knowledgeBase.location)
            print("wrote \(path)")
            print("next: edit it, then run 'runbook lint \(path)' and 'runbook plan \(modelList[0]) --runbook \(path)'")
        }
    }
}
