import RunbookActions
public import RunbookKB

extension RunbookApp {
    /// `runbook search`: the hits of `query` in `index`, as results that name the command to run.
    ///
    /// - Parameters:
    ///   - model: only hits that apply to this model (it must be one the indexed runbooks declare).
    ///   - knowledgeBase: the `--kb` folder given, repeated in the results' commands.
    public func search(
        _ query: String, in index: SearchIndex, model: String?, kind: SearchDocument.Kind?, limit: Int,
        knowledgeBase: String?
    ) throws(AppError) -> [(result: SearchResult, hit: SearchHit)] {
        if let model {
            // An index that cannot list its models knows none: the error names the model asked for.
            let known = (try? index.models()) ?? []
            guard known.contains(model) else {
                throw .badInput(SearchError.unknownModel(model, known: Array(known)).description)
            }
        }
        do {
            let hits = try index.search(query, filter: SearchIndex.Filter(model: model, kind: kind, limit: limit))
            return hits.map { (SearchResult(hit: $0, model: model, knowledgeBase: knowledgeBase), $0) }
        } catch {
            throw AppError(error)
        }
    }
}

/// A search hit as `runbook search` prints it.
public struct SearchResult: Encodable, Sendable {
    public var kind: SearchDocument.Kind
    public var runbook: String
    public var step: String?
    /// The model the command runs (the one asked for, else the first the hit applies to).
    public var model: String?
    public var models: [String]
    public var title: String
    public var path: String
    public var score: Double
    /// Plain text; `…` where it is cut.
    public var snippet: String
    /// The command that runs the runbook (runbook and step hits).
    public var command: String?

    public init(hit: SearchHit, model: String?, knowledgeBase: String?) {
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
            let base = knowledgeBase.map { " --kb " + ShellQuote.quote($0) } ?? ""
            command = "runbook run \(ShellQuote.quote(chosen)) --runbook \(ShellQuote.quote(hit.runbook))" + base
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, runbook, step, model, models, title, path, score, snippet, command
    }

    /// Every key, `null` where there is no value (a runbook has no step, an article no command).
    public func encode(to encoder: any Encoder) throws {
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

    public func text(number: Int, hit: SearchHit, bold: Bool) -> String {
        let name = step.map { "\(runbook)#\($0)" } ?? runbook
        let place = kind == .article ? path : name
        let applies = models.isEmpty ? "" : " · " + models.joined(separator: ",")
        var lines = ["\(number). \(title)  [\(kind.rawValue)\(applies)]  \(place)"]
        let shown = String(
            hit.snippet.map { character -> String in
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
}
