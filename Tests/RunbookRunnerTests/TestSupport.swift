import Foundation
import Glibc
import RunbookActions
import RunbookCore
import RunbookRunner
// Loopback ports (and the rest of the shared test support), for every file here.
@_exported import RunbookTestSupport
import Testing

/// Keeps every event a run sends.
actor Recorder: EventSink {
    var events: [RunEvent] = []

    func receive(_ event: RunEvent, context: EventContext) async { events.append(event) }

    func steps() -> [RunEvent] { events.filter { $0.event == .step } }
    func status(of step: String) -> RunEvent.Status? { events.last { $0.step == step && $0.event == .step }?.status }
}

/// Answers prompts as told, and records what was asked.
final class ScriptedPrompter: Prompter, @unchecked Sendable {
    let consentAnswer: Bool
    let manualAnswer: ManualAnswer
    private(set) var asked: [String] = []
    /// The scripts shown at the consent prompts, in order.
    private(set) var scripts: [String] = []
    /// The manual steps asked about, in order.
    private(set) var questions: [ManualQuestion] = []

    init(consent: Bool, manual: ManualAnswer = .done) {
        consentAnswer = consent
        manualAnswer = manual
    }

    func consent(to step: String, title: String, script: String) async -> Bool {
        asked.append(step)
        scripts.append(script)
        return consentAnswer
    }

    func manualOutcome(_ question: ManualQuestion) async -> ManualAnswer {
        asked.append(question.step)
        questions.append(question)
        return manualAnswer
    }
}

struct RunResult {
    var end: RunEvent
    var events: [RunEvent]
    var recorder: Recorder
}

/// Loads `text` as a runbook, checks it lints clean, and runs it for `model`.
func runRunbook(
    _ text: String, model: String = "arm", options: RunOptions,
    prompter: any Prompter = ScriptedPrompter(consent: false),
    extraSinks: [any EventSink] = [], knowledgeBase: [String: Runbook] = [:], lintClean: Bool = true,
    registry: ActionRegistry = .builtIn, clock: any RunClock = SystemClock(),
    clientExecutor: @escaping ClientExecutorFactory = { LocalExecutor(environment: $0) },
    sourceLocation: SourceLocation = #_sourceLocation
) async throws -> RunResult {
    let loaded = Runbook.load(text: text, path: "test.md")
    let problems =
        loaded.diagnostics
        + Linter.lint(
            loaded.runbook, schemas: registry.schemas, knowledgeBase: knowledgeBase.isEmpty ? nil : knowledgeBase)
    #expect(
        problems.errors.isEmpty == lintClean, "fixture must lint clean: \(problems)", sourceLocation: sourceLocation)
    let graph = try StepGraph(runbook: loaded.runbook, model: model)
    let recorder = Recorder()
    let hub = EventHub(
        sinks: [recorder] + extraSinks,
        redactor: Redactor(secretValues: options.secretInputs.compactMap { options.inputs[$0] }),
        context: EventContext(runbook: loaded.runbook, modelName: model))
    let runner = Runner(
        graph: graph, registry: registry, knowledgeBase: knowledgeBase, options: options, prompter: prompter,
        clock: clock, clientExecutor: clientExecutor)
    let end = await runner.run(events: hub)
    return RunResult(end: end, events: await recorder.events, recorder: recorder)
}
