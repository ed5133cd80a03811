import ArgumentParser
import RunbookCore

/// How `run`, `plan`, `graph`, `show` and `report` name the runbook and the model: one convention.
///
/// `runbook COMMAND [RUNBOOK] [MODEL]`, where either word may instead be given as `--runbook ID|PATH`
/// or `--model M`. A single word that is a model of the default runbook is that model, so
/// `runbook run arm` and `runbook plan classic --runbook ID` keep working. Without a model the
/// runbook's `default-model` is used, then its only model.
struct RunbookSelection: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The runbook: an id in the knowledge base or a path to a .md file.",
        valueName: "id|path"))
    var runbook: String?

    @Option(help: ArgumentHelp(
        "The deployment model, e.g. arm or classic.",
        valueName: "model"))
    var model: String?

    @OptionGroup var knowledgeBase: KnowledgeBaseOptions

    /// What to do when the runbook has several models, no `default-model`, and none was named.
    enum WithoutModel {
        /// A usage error: a run on the wrong model would check the wrong things.
        case required
        /// The runbook's first model (a drawing of one model is still useful).
        case first
        /// No model unless one is named, not even the default-model: every step (`show`).
        case none
    }

    struct Chosen {
        var knowledgeBase: KnowledgeBase
        var runbook: Runbook
        /// The model's id; nil only with ``WithoutModel/none``.
        var model: String?
    }

    /// Resolves the positional words, `--runbook` and `--model` into one runbook and model.
    func resolve(_ words: [String], withoutModel: WithoutModel, command: String) throws -> Chosen {
        let base = try knowledgeBase.load()
        var runbookReference = runbook
        var modelReference = model
        var rest = words
        if runbookReference == nil, modelReference == nil, rest.count == 1, let word = rest.first, !Self.isPath(word),
            let fallback = try? base.defaultRunbook()
        {
            // The short form `runbook run arm`: a model of the default runbook. It stays a model even
            // when a runbook gets that id, so that a script keeps its meaning.
            if fallback.model(word) != nil || (fallback.models.isEmpty && base.runbook(word) == nil) {
                modelReference = word
                rest = []
            } else if base.runbook(word) == nil {
                throw UsageError(Self.neitherMessage(word, base: base, fallback: fallback, directory: knowledgeBase.resolvedDirectory))
            }
        }
        if runbookReference == nil, !rest.isEmpty { runbookReference = rest.removeFirst() }
        if modelReference == nil, !rest.isEmpty { modelReference = rest.removeFirst() }
        if !rest.isEmpty {
            throw UsageError(
                "unexpected argument\(rest.count > 1 ? "s" : "") \(rest.map { "'\($0)'" }.joined(separator: " ")): "
                    + "give runbook \(command) [RUNBOOK] [MODEL], or --runbook ID|PATH and --model MODEL")
        }
        let chosen = try knowledgeBase.runbook(runbookReference, in: base)
        return try finish(base, runbook: chosen, model: modelReference, withoutModel, command)
    }

    private func finish(
        _ base: KnowledgeBase, runbook chosen: Runbook, model named: String?, _ withoutModel: WithoutModel, _ command: String
    ) throws -> Chosen {
        let models = chosen.models.map(\.id)
        if let named {
            guard models.isEmpty || chosen.model(named) != nil else {
                var message = CoreError.unknownModel(named, runbook: chosen.id, known: models).description
                let close = EditDistance.suggestions(for: named, among: models)
                if !close.isEmpty { message += "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?" }
                throw UsageError(message)
            }
            return Chosen(knowledgeBase: base, runbook: chosen, model: named)
        }
        if withoutModel == .none { return Chosen(knowledgeBase: base, runbook: chosen, model: nil) }
        if let preset = chosen.defaultModel, chosen.model(preset) != nil { return Chosen(knowledgeBase: base, runbook: chosen, model: preset) }
        if models.count == 1 { return Chosen(knowledgeBase: base, runbook: chosen, model: models[0]) }
        if models.isEmpty { return Chosen(knowledgeBase: base, runbook: chosen, model: "default") }
        switch withoutModel {
        case .first, .none: return Chosen(knowledgeBase: base, runbook: chosen, model: models[0])
        case .required:
            throw UsageError(
                "runbook '\(chosen.id)' has the models \(models.joined(separator: ", ")) and no default-model; "
                    + "name one: runbook \(command) \(chosen.id) \(models[0])")
        }
    }

    /// A path rather than an id: `x.md`, `./x`, `dir/x`.
    static func isPath(_ reference: String) -> Bool { reference.hasSuffix(".md") || reference.contains("/") }

    /// A single word that is neither a runbook of the knowledge base nor a model of the default runbook.
    static func neitherMessage(_ word: String, base: KnowledgeBase, fallback: Runbook, directory: String) -> String {
        let models = fallback.models.map(\.id)
        var message = "'\(word)' is neither a runbook in \(directory) nor a model of the default runbook "
            + "'\(fallback.id)' (\(models.joined(separator: ", ")))"
        let close = EditDistance.suggestions(for: word, among: base.runbooks.map(\.id) + models)
        if !close.isEmpty { message += "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?" }
        return message
    }
}

/// `[RUNBOOK] [MODEL]` and the options of ``RunbookSelection``, for `run`, `plan`, `graph` and `show`.
struct RunbookArguments: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "The runbook: an id or a path to a .md file. A model alone (runbook run arm) uses the default runbook.",
        valueName: "runbook"))
    var first: String?

    @Argument(help: ArgumentHelp("The deployment model, e.g. arm or classic.", valueName: "model"))
    var second: String?

    @OptionGroup var selection: RunbookSelection

    var knowledgeBase: KnowledgeBaseOptions { selection.knowledgeBase }

    func resolve(withoutModel: RunbookSelection.WithoutModel, command: String) throws -> RunbookSelection.Chosen {
        try selection.resolve([first, second].compactMap(\.self), withoutModel: withoutModel, command: command)
    }
}
