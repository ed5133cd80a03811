import ArgumentParser
import RunbookApp
import RunbookRunner

extension RunbookCommand {
    struct Actions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the check actions with their arguments, types, defaults and an example.")

        @Argument(help: ArgumentHelp("Show only this action.", valueName: "name"))
        var name: String?

        func run() async throws {
            FileOutput.standardOutput.write(try RunbookApp().actionsText(name))
        }
    }
}
