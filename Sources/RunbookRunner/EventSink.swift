public import RunbookCore

/// Receives the events of a run: the console, the JSONL log, a test's recorder.
public protocol EventSink: Sendable {
    func receive(_ event: RunEvent, context: EventContext) async
}

/// What the run is about to do, for a sink that shows it live (not a log event).
public enum ProgressNote: Sendable, Equatable {
    /// A check of step `step` (as logged: `called-runbook/step`) starts.
    case checking(step: String, section: String?)
    /// A prompt is about to be written for a step of `section`: finish the current line first.
    case prompting(step: String, section: String?)
}

/// A sink that also shows what is under way.
public protocol ProgressSink: EventSink {
    func progress(_ note: ProgressNote, context: EventContext) async
}

/// What sinks may need besides the event: the runbook, to show titles and sections.
public struct EventContext: Sendable {
    public var runbook: Runbook
    public var modelName: String
    public var logPath: String?
    /// Runbooks that `call` blocks may run, by id, to name their steps.
    public var knowledgeBase: [String: Runbook]

    public init(runbook: Runbook, modelName: String, logPath: String? = nil, knowledgeBase: [String: Runbook] = [:]) {
        self.runbook = runbook
        self.modelName = modelName
        self.logPath = logPath
        self.knowledgeBase = knowledgeBase
    }

    /// The runbook and local id of a step id as logged: `step` or `called-runbook/step`.
    public func resolve(_ id: String) -> (runbook: Runbook, id: String) {
        let path = StepPath(id)
        return (path.runbook.flatMap { knowledgeBase[$0] } ?? runbook, path.step)
    }
}

/// Hands each event to every sink in order, after hiding secret values.
public actor EventHub {
    private let sinks: [any EventSink]
    private let redactor: Redactor
    private let context: EventContext

    public init(sinks: [any EventSink], redactor: Redactor, context: EventContext) {
        self.sinks = sinks
        self.redactor = redactor
        self.context = context
    }

    /// Tells the sinks that show progress (the console) what the run does next; nothing is logged.
    public func announce(_ note: ProgressNote) async {
        for case let sink as any ProgressSink in sinks { await sink.progress(note, context: context) }
    }

    public func emit(_ event: RunEvent) async {
        let safe = redactor.redact(event)
        for sink in sinks { await sink.receive(safe, context: context) }
    }
}
