import ArgumentParser
import Foundation
import RunbookCore
import RunbookSite
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
                guard !files.isEmpty else { throw AppError.badInput("no .md files under \(bench)") }
                let workers = jobs ?? ProcessInfo.processInfo.activeProcessorCount
                let result = await BatchRenderer(options: options).render(files, workers: workers)
                let seconds = result.seconds
                print(String(format: "runbook render: %d files, %.1f MB, %.3f s, %.0f files/s, %d failed",
                             result.files, Double(result.bytes) / 1e6, seconds, Double(result.files) / seconds,
                             result.failures.count))
                for failure in result.failures.prefix(10) { print("  failed: \(failure)") }
                return
            }
            let (path, text) = try loadSource()
            // One cmark parse serves loading the runbook and its page (a 50 MB file is parsed once),
            // and the text is handed over, not kept here.
            let page = PageRenderer(options: options).pageBytes(loading: consume text, path: path)
            try OutputFile.write(bytes: page.html, to: output)
        }

        func loadSource() throws -> (path: String, text: String) {
            let reference = runbook ?? ""
            if reference.hasSuffix(".md") || reference.contains("/") {
                return (reference, try Self.read(reference))
            }
            let base = try knowledgeBase.load()
            let found = try knowledgeBase.runbook(reference, in: base)
            return (found.path, try Self.read(found.path))
        }

        /// The file's text, read with one copy (``TextFile``) when it is a regular file.
        static func read(_ path: String) throws -> String {
            if let text = TextFile.read(path) { return text }
            guard let data = FileManager.default.contents(atPath: path) else { throw AppError.badInput("cannot read '\(path)'") }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
