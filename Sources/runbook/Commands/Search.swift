import ArgumentParser
import Foundation
import RunbookKB
import RunbookRunner
import RunbookApp

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
            if index.opening != .existing || (try? index.count()) == 0 {
                FileOutput.standardError.write("runbook: no search index yet; building it at \(options.path)\n")
                _ = try await options.update(index)
            }
            if let benchFile {
                try SearchBenchmark.run(file: benchFile, index: index)
                return
            }
            if let model {
                let known = (try? index.models()) ?? []
                guard known.contains(model) else {
                    throw SearchError.unknownModel(model, known: Array(known))
                }
            }
            let hits = try index.search(query, filter: SearchIndex.Filter(
                model: model, kind: kind.flatMap { SearchDocument.Kind(rawValue: $0.rawValue) }, limit: limit))
            let results = hits.map { SearchResult(hit: $0, model: model, knowledgeBase: options.knowledgeBase.directory) }
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

/// A search hit as `runbook search` prints it.
struct SearchResult: Encodable {
    var kind: SearchDocument.Kind
    var runbook: String
    var step: String?
    /// The model the command runs (the one asked for, else the first the hit applies to).
    var model: String?
    var models: [String]
    var title: String
    var path: String
    var score: Double
    /// Plain text; `…` where it is cut.
    var snippet: String
    /// The command that runs the runbook (runbook and step hits).
    var command: String?

    init(hit: SearchHit, model: String?, knowledgeBase: String?) {
        kind = hit.kind
        runbook = hit.runbook
        step = hit.step
        models = hit.models
        self.model = model ?? hit.models.first
        title = hit.title
        path = hit.path
        score = (hit.score * 1000).rounded() / 1000
        snippet = String(hit.snippet.filter { $0 != SearchHit.highlightStart && $0 != SearchHit.highlightEnd })
        if hit.kind != .article, let chosen = self.model {
            let base = knowledgeBase.map { " --kb " + Self.quoted($0) } ?? ""
            command = "runbook run \(Self.quoted(chosen)) --runbook \(Self.quoted(hit.runbook))" + base
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, runbook, step, model, models, title, path, score, snippet, command
    }

    /// Every key, `null` where there is no value (a runbook has no step, an article no command).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(runbook, forKey: .runbook)
        try container.encode(step, forKey: .step)
        try container.encode(model, forKey: .model)
        try container.encode(models, forKey: .models)
        try container.encode(title, forKey: .title)
        try container.encode(path, forKey: .path)
        try container.encode(score, forKey: .score)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(command, forKey: .command)
    }

    func text(number: Int, hit: SearchHit, bold: Bool) -> String {
        let name = step.map { "\(runbook)#\($0)" } ?? runbook
        let place = kind == .article ? path : name
        var lines = ["\(number). \(title)  [\(kind.rawValue)\(models.isEmpty ? "" : " · " + models.joined(separator: ","))]  \(place)"]
        let shown = String(hit.snippet.map { character -> String in
            switch character {
            case SearchHit.highlightStart: bold ? "\u{1B}[1m" : ""
            case SearchHit.highlightEnd: bold ? "\u{1B}[22m" : ""
            default: String(character)
            }
        }.joined())
        if !shown.isEmpty { lines.append("   " + shown.split(whereSeparator: \.isNewline).joined(separator: " ")) }
        if let command { lines.append("   try: " + command) }
        return lines.joined(separator: "\n")
    }

    /// A word for a shell: as it is when it is safe, else in single quotes.
    static func quoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
