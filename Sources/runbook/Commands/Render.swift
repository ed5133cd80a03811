import ArgumentParser
import Foundation
import RunbookApp

extension RunbookCommand {
    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a runbook or a legacy article as one self-contained HTML page.",
            discussion: """
                The page has its CSS and script inline and loads nothing from the network. Raw HTML in the \
                Markdown goes through an allow-list; [AZURE.INCLUDE] files are resolved next to the file \
                (and in --includes folders by name). With -o, the path and size written are printed on stderr.

                Examples:
                  runbook render ssh-connection -o ssh.html
                  runbook render articles/virtual-machines/x.md -o x.html
                  runbook render --bench ../shared/corpus/azure-docs/articles   # files/s
                """)

        @Argument(help: ArgumentHelp("Runbook id or Markdown file.", valueName: "id|file"))
        var runbook: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?

        @Option(
            name: .customLong("includes"),
            help: ArgumentHelp(
                "Also look for included files by name in this folder (repeatable).", valueName: "dir"))
        var includeDirectories: [String] = []

        @Option(
            help: ArgumentHelp(
                "Benchmark: render every .md under this folder in one process on all cores, print files/s.",
                valueName: "dir"))
        var bench: String?

        @Option(
            help: ArgumentHelp(
                "With --bench: how many files to render at once (default: one per core).",
                valueName: "n"))
        var jobs: Int?

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            if bench == nil, runbook == nil { throw ValidationError("give a runbook id or file (or --bench DIR)") }
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() async throws {
            let app = RunbookApp()
            if let bench {
                let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
                print(try await app.renderBenchmark(bench, includes: includeDirectories, workers: workers))
                return
            }
            let page = try app.renderPage(
                runbook ?? "", includes: includeDirectories, knowledgeBase: knowledgeBase.location)
            try OutputFile.write(bytes: page, to: output)
        }
    }
}
