public import Foundation
public import RunbookActions
public import RunbookCore

/// Runs one runbook for one model as FORMAT.md section 4 says: verify first, then the steps in
/// document order with their jumps and requirements, fixes only with consent, a re-verify after
/// every fix that worked, and an outcome at the end.
public struct Runner: Sendable {
    public let graph: StepGraph
    public let registry: ActionRegistry
    public let knowledgeBase: [String: Runbook]
    public let options: RunOptions
    public let prompter: any Prompter
    public let runID: String
    /// What durations are measured on and waits wait on.
    public let clock: any RunClock
    /// The executor of work on this computer (``ClientExecutorFactory``).
    public let clientExecutor: ClientExecutorFactory

    /// How long a check may overrun its own timeout before the run stops waiting for it.
    public static let timeoutGrace: Duration = .seconds(2)
    /// The pause before a failed check is tried again (`retries=`).
    public static let retryPause: Duration = .milliseconds(500)
    /// The deepest `call`s nest; a call deeper than this is an error at that step.
    public static let maximumCallDepth = 8

    public init(
        graph: StepGraph, registry: ActionRegistry, knowledgeBase: [String: Runbook] = [:], options: RunOptions,
        prompter: any Prompter = TerminalPrompter(), runID: String = UUID().uuidString.lowercased(),
        clock: any RunClock = SystemClock(),
        clientExecutor: @escaping ClientExecutorFactory = { LocalExecutor(environment: $0) }
    ) {
        self.graph = graph
        self.registry = registry
        self.knowledgeBase = knowledgeBase
        self.options = options
        self.prompter = prompter
        self.runID = runID
        self.clock = clock
        self.clientExecutor = clientExecutor
    }

    /// Runs the graph, sending every event to `hub`, and returns the run-end event.
    ///
    /// Cancelling the task interrupts the run between steps; it still ends with a run-end event
    /// whose outcome is `interrupted`.
    public func run(events hub: EventHub, interruptSignal: @Sendable () -> Int32? = { nil }) async -> RunEvent {
        var state = RunState()
        let inputs = options.inputs.reduce(into: [String: String]()) { result, pair in
            result[pair.key] = options.secretInputs.contains(pair.key) ? SecretMask.placeholder : pair.value
        }
        let start = event(
            .runStart(
                RunEvent.RunStart(
                    runbook: graph.runbook.id, title: graph.runbook.title, model: graph.model, inputs: inputs,
                    vm: options.vmSpec)))
        await hub.emit(start)

        let outcome = await walk(&state, hub: hub)
        var final = outcome
        if Task.isCancelled { final = .interrupted }
        let causes = Self.causes(state)
        let texts = causes.reduce(into: [String: String]()) { $0[$1] = state.findingTexts[$1] }
        let end = event(
            .runEnd(
                RunEvent.RunEnd(
                    outcome: final, exit: final == .interrupted ? 128 + (interruptSignal() ?? SIGINT) : final.exitCode,
                    findings: state.findings, causes: causes, causeFindings: texts, unchecked: state.unchecked,
                    log: options.logPath)))
        await hub.emit(end)
        return end
    }

    /// The findings that are not symptoms: a step marked `.symptom`, or one whose `explained-by`
    /// names a step that failed too (a deeper finding explains it).
    static func causes(_ state: RunState) -> [String] {
        let failed = Set(state.findings)
        return state.findings.filter { id in
            if state.symptoms.contains(id) { return false }
            let explainers = state.explainedBy[id] ?? []
            return !explainers.contains { failed.contains($0) }
        }
    }

    func event(_ kind: RunEvent.Kind) -> RunEvent {
        RunEvent(event: kind, run: runID, ts: Self.timestamp())
    }

    func event(_ payload: RunEvent.Payload) -> RunEvent {
        RunEvent(run: runID, ts: Self.timestamp(), payload)
    }

    /// Now, in RFC 3339 in UTC with milliseconds, as FORMAT.md section 5 shows: 2026-01-01T10:00:00.000Z.
    static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Walks the steps; returns the outcome.
    func walk(_ state: inout RunState, hub: EventHub) async -> RunEvent.Outcome {
        if let verify = graph.verify {
            state.moved(from: StepGraph.Terminal.start, to: verify.id, .next, prefix: "")
            let status = await runStep(verify, in: graph, prefix: "", state: &state, hub: hub).status
            if status == .pass {
                state.moved(from: verify.id, to: StepGraph.Terminal.healthy, .pass, prefix: "")
                return .healthy
            }
            if state.resolved {
                state.moved(from: verify.id, to: StepGraph.Terminal.resolved, .pass, prefix: "")
                return .resolved
            }
        }
        let entry =
            graph.verify.map { ($0.id, Self.moveKind(state.statuses[$0.id])) } ?? (StepGraph.Terminal.start, .next)
        let resolved = await walkSteps(graph, prefix: "", from: entry, state: &state, hub: hub)
        if resolved { return .resolved }
        if Task.isCancelled { return .interrupted }
        let verifyID = graph.verify?.id
        if state.findings.contains(where: { $0 != verifyID }) { return .diagnosed }
        if let verifyID, state.findings.contains(verifyID) { return .inconclusive }
        return state.findings.isEmpty && graph.verify == nil ? .healthy : .inconclusive
    }

    /// Runs the steps of `graph` as ``StepGraph`` says the walk goes, from `entry` (the start or
    /// the verify step). Returns true when a fix resolved the problem.
    func walkSteps(
        _ graph: StepGraph, prefix: String,
        from entry: (String, StepGraph.Edge.Kind) = (StepGraph.Terminal.start, .next), state: inout RunState,
        hub: EventHub
    ) async -> Bool {
        var (from, how) = entry
        var next = graph.firstStep
        while let index = next {
            if Task.isCancelled { return false }
            let step = graph.steps[index]
            state.moved(from: from, to: step.id, how, prefix: prefix)
            from = step.id
            let id = prefix + step.id
            if graph.kind(of: step) == .fix {
                // The walk passes the group as one stretch; its fixes are offered in their own order.
                let group = graph.fixGroup(at: index)
                for member in group.dropFirst() {
                    state.moved(from: from, to: graph.steps[member].id, .next, prefix: prefix)
                    from = graph.steps[member].id
                }
                await offerFixes(group, of: graph, prefix: prefix, state: &state, hub: hub)
                if state.resolved { return true }
                next = graph.destination(of: .next, from: group.upperBound - 1)
                how = .next
                continue
            }
            if let reason = unmetRequirement(step, in: graph, prefix: prefix, state: state) {
                await emitSkipped(step, in: graph, id: id, reason: reason, state: &state, hub: hub)
                next = graph.destination(of: .next, from: index)
                how = .undecided
                continue
            }
            let outcome = await runStep(step, in: graph, prefix: prefix, state: &state, hub: hub)
            if state.resolved {
                state.moved(from: step.id, to: StepGraph.Terminal.resolved, .pass, prefix: prefix)
                return true
            }
            next = graph.destination(of: outcome.jump, from: index)
            how = Self.moveKind(outcome.status)
            guard case .step = outcome.jump else { continue }
            let passed = outcome.status == .pass || outcome.status == .done
            for skipped in graph.steps[(index + 1)..<(next ?? graph.steps.count)] where skipped.id != graph.verify?.id {
                await emitSkipped(
                    skipped, in: graph, id: prefix + skipped.id, reason: .jumpedOver(by: step.id, passed: passed),
                    fix: graph.isFix(skipped), state: &state, hub: hub)
            }
        }
        if !Task.isCancelled { state.moved(from: from, to: StepGraph.Terminal.end, how, prefix: prefix) }
        return false
    }

    /// Why `step` cannot run yet: a step it requires did not pass. A required step that does not
    /// belong to this model (`requires=#nsg-allows-ssh,#endpoint-acl`: whichever the model has) is
    /// not required.
    func unmetRequirement(_ step: Step, in graph: StepGraph, prefix: String, state: RunState) -> SkipReason? {
        for id in graph.requirements(of: step) {
            let status = state.statuses[prefix + id]
            if status != .pass && status != .done { return .requiresFailed(step: id, status: status) }
        }
        return nil
    }

    /// The edge a step's status sends the walk along: a pass or a fail takes the step's jump, anything else goes on.
    static func moveKind(_ status: RunEvent.Status?) -> StepGraph.Edge.Kind {
        switch status {
        case .pass, .done: .pass
        case .fail: .fail
        default: .undecided
        }
    }

    func emitSkipped(
        _ step: Step, in graph: StepGraph, id: String, reason: SkipReason, fix: Bool = false, state: inout RunState,
        hub: EventHub
    ) async {
        state.statuses[id] = .skipped
        if !fix && !step.isFix { state.unchecked.append(id) }
        var skipped = event(.step)
        skipped.step = id
        skipped.section = step.sectionPath.last.map { id.dropLast(step.id.count) + $0 }
        skipped.status = .skipped
        skipped.skipReason = reason
        skipped.stepKind = graph.kind(of: step)
        skipped.durationMS = 0
        await hub.emit(skipped)
    }
}

/// What a run has learned so far.
struct RunState: Sendable {
    var statuses: [String: RunEvent.Status] = [:]
    /// Failed steps in the order found.
    var findings: [String] = []
    var symptoms: Set<String> = []
    /// `explained-by` of the failed steps (ids with the call prefix): a failure of one of those
    /// makes this finding a symptom.
    var explainedBy: [String: [String]] = [:]
    var unchecked: [String] = []
    /// The finding text of each failed step (its first failing block's).
    var findingTexts: [String: String] = [:]
    var resolved = false
    /// The moves of the top-level walk, from the step (or the start) it left to the step or
    /// ``StepGraph/Terminal`` it reached, with the outcome that sent it there: each is a flow edge of the graph.
    var moves: [StepGraph.Edge] = []
    var callDepth = 0
    /// The fixes that failed checks named with `fix=` (prefixed ids), in the order found.
    var pointedFixes: [(id: String, symptom: Bool)] = []
    /// Fixes offered so far, by `step:ID` and `script:PLACE:TEXT`, with the id they were offered as.
    var offeredFixes: [String: String] = [:]
    /// `az account show`: `nil` not asked yet, `""` logged in, else why not (asked once per run).
    var azureLogin: String?
    /// Input values failed checks supplied for fixes (``CheckResult/provides``), by input name;
    /// given inputs always win over them.
    var provided: [String: String] = [:]
}

extension RunState {
    /// Keeps the values a failed check supplies for the runbook's declared inputs that were not
    /// given; never for a secret input. A later check's value replaces an earlier one.
    mutating func provide(_ values: [String: String], among inputs: [Input], given options: RunOptions) {
        for (name, value) in values {
            guard let input = inputs.first(where: { $0.name == name }), !input.secret,
                !options.secretInputs.contains(name), options.inputs[name] == nil
            else { continue }
            provided[name] = value
        }
    }

    /// The values a fix sees: the given inputs, then what failed checks supplied.
    func fixValues(_ options: RunOptions) -> [String: String] {
        options.inputs.merging(provided) { given, _ in given }
    }

    /// Records a move of the top-level walk (a called runbook's walk has a prefix and its own graph).
    mutating func moved(from: String, to: String, _ kind: StepGraph.Edge.Kind, prefix: String) {
        if prefix.isEmpty { moves.append(StepGraph.Edge(from: from, to: to, kind: kind)) }
    }
}
