import ArgumentParser
import RunbookApp

/// `--runbook` and `--model`: how `run`, `plan`, `graph`, `show` and `report` name the runbook and
/// the model besides the positional words (the convention is ``RunbookChoice``'s).
struct RunbookSelection: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The runbook: an id in the knowledge base or a path to a .md file.",
            valueName: "id|path"))
    var runbook: String?

    @Option(
        help: ArgumentHelp(
            "The deployment model, e.g. arm or classic.",
            valueName: "model"))
    var model: String?

    @OptionGroup var knowledgeBase: KnowledgeBaseOptions

    /// The choice these options and the positional `words` make.
    func choice(_ words: [String]) -> RunbookChoice {
        RunbookChoice(words: words, runbook: runbook, model: model, knowledgeBase: knowledgeBase.location)
    }
}

/// `[RUNBOOK] [MODEL]` and the options of ``RunbookSelection``, for `run`, `plan`, `graph` and `show`.
struct RunbookArguments: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "The runbook: an id or a path to a .md file. A model alone (runbook run arm) uses the default runbook.",
            valueName: "runbook"))
    var first: String?

    @Argument(help: ArgumentHelp("The deployment model, e.g. arm or classic.", valueName: "model"))
    var second: String?

    @OptionGroup var selection: RunbookSelection

    var knowledgeBase: KnowledgeBaseOptions { selection.knowledgeBase }

    /// The runbook and model these arguments choose.
    var choice: RunbookChoice { selection.choice([first, second].compactMap(\.self)) }
}
