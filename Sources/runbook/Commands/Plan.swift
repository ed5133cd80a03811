import ArgumentParser
import RunbookApp

extension RunbookCommand {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the steps a run would take for a model, with their checks, fixes and inputs.",
            discussion: """
                Without a runbook, the one marked default: true; without a model, the runbook's default-model \
                (or its only model).

                Examples:
                  runbook plan classic
                  runbook plan ssh-connection classic -i host=mysvc.cloudapp.net
                """)

        @OptionGroup var target: RunbookArguments

        @Option(
            name: [.customShort("i"), .customLong("input")],
            help: ArgumentHelp(
                "An input value to show in the fixes' commands (secrets as ***); repeat for more.",
                valueName: "name=value"))
        var inputs: [String] = []

        @Option(
            name: .customLong("inputs"),
            help: ArgumentHelp("A YAML file of input values (name: value).", valueName: "file"))
        var inputsFile: String?

        func run() async throws {
            print(try RunbookApp().plan(target.choice, inputs: InputSources(arguments: inputs, file: inputsFile)))
        }
    }
}
