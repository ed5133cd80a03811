import ArgumentParser
import Foundation
import RunbookApp
import RunbookKB
import RunbookRunner

extension RunbookCommand {
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the runbooks, their steps and the indexed articles.",
            discussion: """
                Paste the error you see, or type a few words. Every word counts (common words such as 'the'
                are left out), rarer words and words in titles count more, and the last word also matches
                as the start of a word. Punctuation, quotes and parentheses are ignored. A step that
                declares the message with explains="..." comes first. For a runbook or step the result
                shows the command that runs it. Builds the index (runbook index, with the --articles and
                --includes given) when there is none.
                Examples:
                  runbook search "Permission denied (publickey)."
                  runbook search nsg port --model arm --kind step --format json
                """)

        @Argument(help: "What to look for: words or a pasted error message.")
        var query: String = ""

        @Option(help: ArgumentHelp("Only results that apply to this deployment model.", valueName: "model"))
        var model: String?

        @Option(help: ArgumentHelp("Only runbook, section, step or article results.", valueName: "kind"))
        var kind: KindOption?

        @Option(help: ArgumentHelp("How many results at most.", valueName: "n"))
        var limit = 10

        @Option(help: "Output: text, or json (an array of results).")
        var format: OutputFormat = .text

        @OptionGroup var options: IndexOptions

        /// Benchmark mode (Benchmarks/search-corpus): times each query of a file in this process.
        @Option(name: .customLong("bench"), help: .hidden)
        var benchFile: String?

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        enum KindOption: String, ExpressibleByArgument, CaseIterable {
            case runbook, section, step, article
        }

        func validate() throws {
            guard limit > 0 else { throw AppError.badInput("--limit must be at least 1") }
            guard benchFile != nil || !SearchQuery(query).isEmpty else {
                throw AppError.badInput("the query '\(query)' has no words to search for")
            }
        }

        func run() async throws {
            let index = try options.open()
            if options.request.needsBuild(index) {
                FileOutput.standardError.write("runbook: no search index yet; building it at \(options.path)\n")
                _ = try await options.update(index)
            }
            if let benchFile {
                try SearchBenchmark.run(file: benchFile, index: index)
                return
            }
            let found = try RunbookApp().search(
                query, in: index, model: model, kind: kind.flatMap { SearchDocument.Kind(rawValue: $0.rawValue) },
                limit: limit, knowledgeBase: options.knowledgeBase.directory)
            let (results, hits) = (found.map(\.result), found.map(\.hit))
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(results)
                print(String(decoding: data, as: UTF8.self))
            case .text:
                let bold = ConsoleSink.wantsColour(environment: ProcessInfo.processInfo.environment)
                if results.isEmpty { print("no results for '\(query)'") }
                for (number, result) in results.enumerated() {
                    print(result.text(number: number + 1, hit: hits[number], bold: bold))
                }
            }
        }
    }
}
