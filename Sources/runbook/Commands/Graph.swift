import ArgumentParser
import Foundation
import RunbookActions
import RunbookCore
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

        enum GraphFormat: String, ExpressibleByArgument, CaseIterable {
            case dot, mermaid, svg
        }

        func run() async throws {
            let selected = try target.resolve(withoutModel: .first, command: "graph")
            let graph = try selected.graph()
            let text: String
            switch format {
            case .dot: text = GraphExport.dot(graph)
            case .mermaid: text = GraphExport.mermaid(graph)
            case .svg: text = try await Self.svg(from: GraphExport.dot(graph))
            }
            try OutputFile.write(text, to: output)
        }

        /// Runs Graphviz's `dot -Tsvg` on the graph.
        static func svg(from dot: String) async throws -> String {
            do {
                let result = try await ProcessRunner.run(["dot", "-Tsvg"], input: dot, timeout: .seconds(30))
                guard result.succeeded else {
                    throw AppError.engine("dot failed: \(result.standardError)")
                }
                return result.standardOutput
            } catch ExecutorError.notFound {
                throw AppError.badInput("Graphviz's 'dot' is not installed; install it (apt-get install graphviz) or use --format dot")
            } catch let error as ExecutorError {
                if case .failedToStart = error {
                    throw AppError.badInput("Graphviz's 'dot' could not be started (\(error)); install graphviz or use --format dot")
                }
                throw AppError.engine("\(error)")
            }
        }
    }
}

/// Writes command output to a file all at once (never half-written) or to stdout.
