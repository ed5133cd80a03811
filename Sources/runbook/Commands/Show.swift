import ArgumentParser
import Foundation
import RunbookApp
import RunbookRunner

extension RunbookCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a runbook as text: its metadata and inputs, then its sections and steps with their prose.",
            discussion: """
                Without a runbook, the one marked default: true. Sections are headings underlined with =, steps with -, each step followed by its text rendered for \
                a terminal (code blocks indented under their info string). Without a model every step is shown, \
                each marked with the models it is limited to; with one, only that model's steps.

                Examples:
                  runbook show ssh-connection
                  runbook show ssh-connection classic
                """)

        @OptionGroup var target: RunbookArguments

        func run() async throws {
            let width = FileOutput.standardOutput.columns(environment: ProcessInfo.processInfo.environment)
            print(try RunbookApp().show(target.choice, width: width))
        }
    }
}
