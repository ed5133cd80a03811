import ArgumentParser
import Foundation
import RunbookCore
import RunbookSite

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

        @Option(name: .customLong("includes"), help: ArgumentHelp(
            "Also look for included files by name in this folder (repeatable).", valueName: "dir"))
        var includeDirectories: [String] = []

        @Option(help: ArgumentHelp(
            "Benchmark: render every .md under this folder in one process on all cores, print files/s.",
            valueName: "dir"))
        var bench: String?

        @Option(help: ArgumentHelp("With --bench: how many files to render at once (default: one per core).",
                                   valueName: "n"))
        var jobs: Int?

        @OptionGroup var knowledgeBase: KnowledgeBaseOptions

        func validate() throws {
            if bench == nil, runbook == nil { throw ValidationError("give a runbook id or file (or --bench DIR)") }
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() async throws {
            let options = RenderOptions(includes: Includes(fallbackDirectories: includeDirectories))
            if let bench {
                let files = KnowledgeBase.markdownFiles(in: bench)
                guard !files.isEmpty else { throw UsageError("no .md files under \(bench)") }
                let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
                let result = await BatchRenderer(options: options).render(files, workers: workers)
                let seconds = result.seconds
                print(String(format: "runbook render: %d files, %.1f MB, %.3f s, %.0f files/s, %d failed",
                             result.files, Double(result.bytes) / 1e6, seconds, Double(result.files) / seconds,
                             result.failures.count))
                for failure in result.failures.prefix(10) { print("  failed: \(failure)") }
                return
            }
            let chosen = try loadSource()
            let html = PageRenderer(options: options).page(for: chosen.runbook, source: chosen.text)
            try OutputFile.write(html, to: output)
        }

        func loadSource() throws -> (runbook: Runbook, text: String) {
            let reference = runbook ?? ""
            if reference.hasSuffix(".md") || reference.contains("/") {
                guard let data = FileManager.default.contents(atPath: reference) else {
                    throw UsageError("cannot read '\(reference)'")
                }
                let text = String(decoding: data, as: UTF8.self)
                return (Runbook.load(text: text, path: reference).runbook, text)
            }
            let base = try knowledgeBase.load()
            let found = try knowledgeBase.runbook(reference, in: base)
            guard let data = FileManager.default.contents(atPath: found.path) else {
                throw UsageError("cannot read '\(found.path)'")
            }
            return (found, String(decoding: data, as: UTF8.self))
        }
    }
}
