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

    public init(
        graph: StepGraph, registry: ActionRegistry, knowledgeBase: [String: Runbook] = [:], options: RunOptions,
        prompter: any Prompter = TerminalPrompter(), runID: String = UUID().uuidString.lowercased()
    ) {
        self.graph = graph
        self.registry = registry
        self.knowledgeBase = knowledgeBase
        self.options = options
        self.prompter = prompter
        self.runID = runID
    }

    /// Runs the graph, sending every event to `hub`, and returns the run-end event.
    ///
    /// Cancelling the task interrupts the run between steps; it still ends with a run-end event
    /// whose outcome is `interrupted`.
    public func run(events hub: EventHub, interruptSignal: @Sendable () -> Int32? = { nil }) async -> RunEvent {
        var state = RunState()
        var start = event(.runStart)
        start.runbook = graph.runbook.id
        start.title = graph.runbook.title
        start.model = graph.model
        start.inputs = options.inputs.reduce(into: [:]) { result, pair in
            result[pair.key] = options.secretInputs.contains(pair.key) ? "***" : pair.value
        }
        start.vm = options.vmSpec
        await hub.emit(start)

        let outcome = await walk(&state, hub: hub)
        var end = event(.runEnd)
        var final = outcome
        if Task.isCancelled { final = .interrupted }
        end.outcome = final
        end.exit = final == .interrupted ? 128 + (interruptSignal() ?? SIGINT) : final.exitCode
        end.findings = state.findings
        end.causes = Self.causes(state)
        let texts = (end.causes ?? []).reduce(into: [String: String]()) { $0[$1] = state.findingTexts[$1] }
        end.causeFindings = texts.isEmpty ? nil : texts
        end.unchecked = state.unchecked
        end.log = options.logPath
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
        // RFC 3339 in UTC with milliseconds, as FORMAT.md section 5 shows: 2026-01-01T10:00:00.000Z.
        RunEvent(event: kind, run: runID, ts: Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// Walks the steps; returns the outcome.
    func walk(_ state: inout RunState, hub: EventHub) async -> RunEvent.Outcome {
        if let verify = graph.verify {
            let status = await runStep(verify, prefix: "", runbook: graph.runbook, state: &state, hub: hub)
            if status == .pass { return .healthy }
            if state.resolved { return .resolved }
        }
        let resolved = await walkSteps(graph, prefix: "", state: &state, hub: hub)
        if resolved { return .resolved }
        if Task.isCancelled { return .interrupted }
        let verifyID = graph.verify?.id
        if state.findings.contains(where: { $0 != verifyID }) { return .diagnosed }
        if let verifyID, state.findings.contains(verifyID) { return .inconclusive }
        return state.findings.isEmpty && graph.verify == nil ? .healthy : .inconclusive
    }

    /// Runs the steps of `graph` in order. Returns true when a fix resolved the problem.
    func walkSteps(_ graph: StepGraph, prefix: String, state: inout RunState, hub: EventHub) async -> Bool {
        var index = 0
        while index < graph.steps.count {
            if Task.isCancelled { return false }
            let step = graph.steps[index]
            if step.id == graph.verify?.id {
                index += 1
                continue
            }
            let id = prefix + step.id
            if graph.isFix(step) {
                let group = graph.fixGroup(at: index)
                await offerFixes(group, of: graph, prefix: prefix, state: &state, hub: hub)
                if state.resolved { return true }
                index = group.upperBound
                continue
            }
            if let reason = unmetRequirement(step, in: graph, prefix: prefix, state: state) {
                await emitSkipped(step, id: id, reason: reason, state: &state, hub: hub)
                index += 1
                continue
            }
            let status = await runStep(step, prefix: prefix, runbook: graph.runbook, state: &state, hub: hub)
            if state.resolved { return true }
            let jump = state.lastJump ?? .next
            state.lastJump = nil
            switch jump {
            case .next:
                index += 1
            case .stop:
                return false
            case .step(let target):
                guard let targetIndex = graph.index(of: target), targetIndex > index else {
                    index += 1
                    continue
                }
                for skipped in graph.steps[(index + 1)..<targetIndex] where skipped.id != graph.verify?.id {
                    await emitSkipped(
                        skipped, id: prefix + skipped.id,
                        reason: "jumped over: #\(step.id) \(status == .pass ? "passed" : "failed")", fix: graph.isFix(skipped),
                        state: &state, hub: hub)
                }
                index = targetIndex
            }
        }
        return false
    }

    /// Why `step` cannot run yet: a step it requires did not pass. A required step that does not
    /// belong to this model (`requires=#nsg-allows-ssh,#endpoint-acl`: whichever the model has) is
    /// not required.
    func unmetRequirement(_ step: Step, in graph: StepGraph, prefix: String, state: RunState) -> String? {
        var required = StepGraph.requirements(step.attribute("requires"))
        for block in step.blocks { required += StepGraph.requirements(block.attribute("requires")) }
        for id in required where graph.index(of: id) != nil {
            let status = state.statuses[prefix + id]
            if status != .pass && status != .done {
                return "requires #\(id), which \(Self.describe(status))"
            }
        }
        return nil
    }

    static func describe(_ status: RunEvent.Status?) -> String {
        switch status {
        case nil: "did not run"
        case .fail: "failed"
        case .error: "could not be checked"
        case .skipped: "was skipped"
        case .manual: "is a manual step nobody confirmed"
        case .refused: "was not allowed to run"
        case .interrupted: "was interrupted"
        case .pass, .done: "passed"
        }
    }

    func emitSkipped(
        _ step: Step, id: String, reason: String, fix: Bool = false, state: inout RunState, hub: EventHub
    ) async {
        state.statuses[id] = .skipped
        if !fix && !step.isFix { state.unchecked.append(id) }
        var skipped = event(.step)
        skipped.step = id
        skipped.section = step.sectionPath.last.map { id.dropLast(step.id.count) + $0 }
        skipped.status = .skipped
        skipped.reason = reason
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
    var lastJump: StepGraph.Jump?
    var callDepth = 0
    /// The fixes that failed checks named with `fix=` (prefixed ids), in the order found.
    var pointedFixes: [(id: String, symptom: Bool)] = []
    /// Fixes offered so far, by `step:ID` and `script:PLACE:TEXT`, with the id they were offered as.
    var offeredFixes: [String: String] = [:]
    /// `az account show`: `nil` not asked yet, `""` logged in, else why not (asked once per run).
    var azureLogin: String?
}
