import Foundation
public import RunbookActions
public import RunbookCore

/// How `run`, `plan`, `graph`, `show` and `report` name the runbook and the model: one convention.
///
/// `runbook COMMAND [RUNBOOK] [MODEL]`, where either word may instead be given as `--runbook ID|PATH`
/// or `--model M`. A single word that is a model of the default runbook is that model, so
/// `runbook run arm` and `runbook plan classic --runbook ID` keep working. Without a model the
/// runbook's `default-model` is used, then its only model.
public struct RunbookChoice: Sendable, Equatable {
    /// The positional words (`[RUNBOOK] [MODEL]`) as given.
    public var words: [String]
    /// `--runbook ID|PATH`.
    public var runbook: String?
    /// `--model MODEL`.
    public var model: String?
    public var knowledgeBase: KnowledgeBaseLocation

    public init(
        words: [String] = [], runbook: String? = nil, model: String? = nil,
        knowledgeBase: KnowledgeBaseLocation = KnowledgeBaseLocation()
    ) {
        self.words = words
        self.runbook = runbook
        self.model = model
        self.knowledgeBase = knowledgeBase
    }

    /// What to do when the runbook has several models, no `default-model`, and none was named.
    public enum WithoutModel: Sendable {
        /// A usage error: a run on the wrong model would check the wrong things.
        case required
        /// The runbook's first model (a drawing of one model is still useful).
        case first
        /// No model unless one is named, not even the default-model: every step (`show`).
        case none
    }

    /// The runbook and model chosen, and the knowledge base they were read with.
    public struct Chosen: Sendable {
        public var knowledgeBase: KnowledgeBase
        public var runbook: Runbook
        /// The model's id; nil only with ``WithoutModel/none``.
        public var model: String?
        /// The problems of reading the runbook's file, kept from its one read.
        public var loading: [Diagnostic]

        /// Stops with exit 2 when the runbook has errors: a broken runbook never runs.
        public func requireValid(registry: ActionRegistry) throws(AppError) {
            guard runbook.hasFrontMatter || Self.isBlank(runbook.path) else {
                throw .badInput(
                    "not a runbook: it has no front matter (id, title, models, verify); "
                        + "'runbook import \(runbook.path)' turns an article into a draft runbook",
                    at: DocumentPlace(file: runbook.path, at: .init(line: 1, column: 1)))
            }
            let linted = Linter.lint(runbook, schemas: registry.schemas, knowledgeBase: knowledgeBase.byID)
            let problems = (loading + linted).errors
            guard problems.isEmpty else {
                throw .badInput(
                    "runbook '\(runbook.id)' is invalid:\n" + problems.map(\.description).joined(separator: "\n"))
            }
        }

        /// The step graph of the chosen model.
        public func graph() throws(CoreError) -> StepGraph {
            try StepGraph(runbook: runbook, model: model ?? "default")
        }

        /// Whether a file without front matter is empty (then lint, not this check, speaks). Read only
        /// on that path: a runbook with front matter is read once, by the knowledge base or its path.
        private static func isBlank(_ path: String) -> Bool {
            let text = (try? KnowledgeBase.readRunbookFile(path)) ?? ""
            return text.allSatisfy(\.isWhitespace)
        }
    }

    /// Reads the knowledge base once and resolves the words, `--runbook` and `--model` into one
    /// runbook and model.
    ///
    /// - Parameter command: the command's name, for the texts that tell what to type.
    public func resolve(withoutModel: WithoutModel, command: String) throws(AppError) -> Chosen {
        let base: KnowledgeBase
        do { base = try knowledgeBase.load() } catch { throw AppError(error) }
        var runbookReference = runbook
        var modelReference = model
        var rest = words
        if runbookReference == nil, modelReference == nil, rest.count == 1, let word = rest.first,
            !Self.isPath(word), let fallback = try? base.defaultRunbook()
        {
            // The short form `runbook run arm`: a model of the default runbook. It stays a model even
            // when a runbook gets that id, so that a script keeps its meaning.
            if fallback.model(word) != nil || (fallback.models.isEmpty && base.runbook(word) == nil) {
                modelReference = word
                rest = []
            } else if base.runbook(word) == nil {
                throw .badInput(
                    Self.neitherMessage(
                        word, base: base, fallback: fallback, directory: knowledgeBase.resolvedDirectory))
            }
        }
        if runbookReference == nil, !rest.isEmpty { runbookReference = rest.removeFirst() }
        if modelReference == nil, !rest.isEmpty { modelReference = rest.removeFirst() }
        if !rest.isEmpty {
            throw .badInput(
                "unexpected argument\(rest.count > 1 ? "s" : "") \(rest.map { "'\($0)'" }.joined(separator: " ")): "
                    + "give runbook \(command) [RUNBOOK] [MODEL], or --runbook ID|PATH and --model MODEL")
        }
        let (chosen, loading) = try Self.runbook(runbookReference, in: base)
        return try finish(base, runbook: chosen, loading: loading, model: modelReference, withoutModel, command)
    }

    /// The runbook named by `--runbook` (an id or a path), or the knowledge base's default, with
    /// the problems of reading it.
    public static func runbook(
        _ reference: String?, in knowledgeBase: KnowledgeBase
    ) throws(AppError) -> (Runbook, [Diagnostic]) {
        guard let reference else {
            do {
                let runbook = try knowledgeBase.defaultRunbook()
                return (runbook, knowledgeBase.diagnostics.filter { $0.file == runbook.path })
            } catch { throw AppError(error) }
        }
        if isPath(reference) {
            guard let text = try? String(contentsOfFile: reference, encoding: .utf8) else {
                throw .badInput("cannot read runbook file '\(reference)'")
            }
            let loaded = Runbook.load(text: text, path: reference)
            return (loaded.runbook, loaded.diagnostics)
        }
        do {
            let runbook = try knowledgeBase.find(reference)
            return (runbook, knowledgeBase.diagnostics.filter { $0.file == runbook.path })
        } catch { throw AppError(error) }
    }

    private func finish(
        _ base: KnowledgeBase, runbook chosen: Runbook, loading: [Diagnostic], model named: String?,
        _ withoutModel: WithoutModel, _ command: String
    ) throws(AppError) -> Chosen {
        let models = chosen.models.map(\.id)
        func picked(_ model: String?) -> Chosen {
            Chosen(knowledgeBase: base, runbook: chosen, model: model, loading: loading)
        }
        if let named {
            guard models.isEmpty || chosen.model(named) != nil else {
                var message = CoreError.unknownModel(named, runbook: chosen.id, known: models).description
                let close = EditDistance.suggestions(for: named, among: models)
                if !close.isEmpty { message += "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?" }
                throw .badInput(message)
            }
            return picked(named)
        }
        if withoutModel == .none { return picked(nil) }
        if let preset = chosen.defaultModel, chosen.model(preset) != nil { return picked(preset) }
        if models.count == 1 { return picked(models[0]) }
        if models.isEmpty { return picked("default") }
        switch withoutModel {
        case .first, .none: return picked(models[0])
        case .required:
            throw .badInput(
                "runbook '\(chosen.id)' has the models \(models.joined(separator: ", ")) and no default-model; "
                    + "name one: runbook \(command) \(chosen.id) \(models[0])")
        }
    }

    /// A path rather than an id: `x.md`, `./x`, `dir/x`.
    public static func isPath(_ reference: String) -> Bool { reference.hasSuffix(".md") || reference.contains("/") }

    /// A single word that is neither a runbook of the knowledge base nor a model of the default runbook.
    static func neitherMessage(_ word: String, base: KnowledgeBase, fallback: Runbook, directory: String) -> String {
        let models = fallback.models.map(\.id)
        var message =
            "'\(word)' is neither a runbook in \(directory) nor a model of the default runbook "
            + "'\(fallback.id)' (\(models.joined(separator: ", ")))"
        let close = EditDistance.suggestions(for: word, among: base.runbooks.map(\.id) + models)
        if !close.isEmpty { message += "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?" }
        return message
    }
}
