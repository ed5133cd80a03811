public import ArgumentParser
import Foundation
import RunbookApp

extension RunbookCommand {
    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a runbook's step graph for one model as Graphviz dot, Mermaid or SVG.",
            discussion: """
                Sections are clusters; the verify step, checks, fixes, manual steps and calls have their own \
                shapes; edges show where a run goes on pass, on fail and (dashed, "error / skipped") when a \
                step decides nothing. The run follows exactly these edges. svg runs Graphviz's dot. \
                Without a runbook, the one marked default: true; without a model, its default-model, else its first model.

                Examples:
                  runbook graph ssh-connection arm --format svg -o ssh-arm.svg
                  runbook graph --runbook ssh-connection --model classic --format mermaid
                """)

        @OptionGroup var target: RunbookArguments

        @Option(help: "Output format: dot, mermaid, or svg (drawn by Graphviz's dot)")
        var format: GraphFormat = .dot

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?

        func run() async throws {
            try OutputFile.write(try await RunbookApp().graph(target.choice, format: format), to: output)
        }
    }
}

extension GraphFormat: ExpressibleByArgument {}
