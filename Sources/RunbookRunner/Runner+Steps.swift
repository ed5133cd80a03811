import Foundation
import RunbookActions
import RunbookCore

extension Runner {
    /// What a step came to: its status, and where the walk goes from it.
    struct StepOutcome: Equatable {
        var status: RunEvent.Status
        /// The `on-pass`/`on-fail` of the block (or manual step) that decided, else `next`.
        var jump: StepGraph.Jump = .next
    }

    /// Runs the blocks of one step of `graph` (or asks about a manual step); returns its outcome.
    func runStep(
        _ step: Step, in graph: StepGraph, prefix: String, state: inout RunState, hub: EventHub
    ) async -> StepOutcome {
        let id = prefix + step.id
        let runbook = graph.runbook
        guard !step.blocks.isEmpty else {
            return await runManual(step, in: graph, id: id, state: &state, hub: hub)
        }
        var status: RunEvent.Status = .pass
        var jump: StepGraph.Jump = .next
        var ranACheck = false
        for block in step.blocks {
            if Task.isCancelled { break }
            var result: BlockResult
            switch block.kind {
            case .check(let action):
                await hub.announce(.checking(step: id, section: step.sectionPath.last.map { prefix + $0 }))
                result = await runCheck(block, action: action, step: step)
            case .run(let shell):
                result = await runFix(
                    block, shell: shell, step: step, prefix: prefix, runbook: runbook, state: &state, hub: hub)
            case .call(let target):
                result = await runCall(
                    block, target: target, step: step, in: graph, prefix: prefix, state: &state, hub: hub)
            }
            // A block the run's cancellation stopped did not fail or err: it was interrupted.
            if Task.isCancelled, result.status == .error || result.status == .fail, !result.nested {
                result = BlockResult(status: .interrupted, reason: .interrupted, milliseconds: result.milliseconds)
            }
            var record = blockEvent(
                block, result: result, step: id, blockID: block.id == step.id ? id : prefix + block.id,
                kind: graph.kind(of: step))
            record.section = step.sectionPath.last.map { prefix + $0 }
            let symptom = step.isSymptom || block.classes.contains("symptom") || step.id == graph.verify?.id
            if result.status == .fail {
                // A symptom without its own finding text reports what it observed, not its title
                // (the title states the healthy condition).
                record.finding =
                    block.finding ?? result.finding ?? (symptom ? result.summary : nil) ?? step.title
                if !result.nested, state.findingTexts[id] == nil { state.findingTexts[id] = record.finding }
                record.fix = block.fixTarget
                record.symptom = symptom
                if let fix = record.fix { state.pointedFixes.append((prefix + fix, symptom)) }
                state.provide(result.provides, among: runbook.inputs, given: options)
            }
            await hub.emit(record)
            // A check block that cannot run here (its inputs are not given, another model's data)
            // does not end the step: the step's other blocks still check, and the step counts as
            // skipped only when none of them ran.
            if result.status == .skipped, case .check = block.kind {
                if !ranACheck { status = .skipped }
                continue
            }
            if case .check = block.kind { ranACheck = true }
            status = result.status
            if result.status == .fail {
                if !state.findings.contains(id), !result.nested { state.findings.append(id) }
                let explainers = step.explainedBy + block.explainedBy
                if !explainers.isEmpty { state.explainedBy[id, default: []] += explainers.map { prefix + $0 } }
                if symptom || result.nested { state.symptoms.insert(id) }
                jump = block.onFail
                break
            }
            if result.status == .done, case .run = block.kind, await reverify(after: id, state: &state, hub: hub) {
                state.resolved = true
                break
            }
            if result.status != .pass && result.status != .done {
                jump = .next
                break
            }
            jump = block.onPass
        }
        // Fixes that did not run are not layers left unchecked.
        if status == .skipped, !ranACheck,
            step.blocks.contains(where: { if case .check = $0.kind { true } else { false } })
        {
            state.unchecked.append(id)
        }
        // The first status that is not a pass decides; a step that re-ran the verify keeps its own.
        state.statuses[id] = status
        return StepOutcome(status: status, jump: jump)
    }

    struct BlockResult {
        var status: RunEvent.Status
        var summary: String?
        var reason: SkipReason?
        var evidence: [String: String] = [:]
        var milliseconds = 0
        /// The action's own finding for a failure (``CheckResult/finding``).
        var finding: String?
        /// The failure comes from a called runbook's steps, which carry the findings themselves.
        var nested = false
        /// For a fix: its script as shown to a person (values in place of variables, secrets as `***`).
        var script: String?
        /// For a failed check: values for later fixes (``CheckResult/provides``).
        var provides: [String: String] = [:]
    }

    /// The `step` event of one block's result.
    func blockEvent(
        _ block: Block, result: BlockResult, step: String, blockID: String, kind: StepGraph.Kind
    ) -> RunEvent {
        var record = event(.step)
        record.step = step
        record.block = blockID
        record.kind = block.kind.word
        record.stepKind = kind
        record.action = block.actionName
        record.status = result.status
        record.durationMS = result.milliseconds
        record.summary = result.summary
        record.skipReason = result.reason
        record.evidence = result.evidence.isEmpty ? nil : result.evidence
        record.script = result.script
        return record
    }

    func timeout(of block: Block) -> Duration {
        block.timeout ?? options.defaultTimeout
    }

    func missingInputs(_ text: String) -> [String] {
        Template.missing(in: text, values: options.inputs)
    }

    func runCheck(_ block: Block, action name: String, step: Step) async -> BlockResult {
        guard let action = registry[name] else {
            return BlockResult(status: .error, summary: "unknown check action '\(name)'")
        }
        var values: [String: String] = [:]
        var missing: [String] = []
        for argument in block.arguments {
            missing += missingInputs(argument.value)
            values[argument.key] = Template.expand(argument.value, values: options.inputs)
        }
        if !missing.isEmpty {
            return BlockResult(status: .skipped, reason: .needsInput(missing))
        }
        let readsVM = action.schema.readsVM || values["on"] == "vm"
        if readsVM && options.vm == nil {
            return BlockResult(status: .skipped, reason: .needsVM(fix: false))
        }
        let limit = timeout(of: block)
        let context = CheckContext(
            timeout: limit, vm: options.vm, local: clientExecutor([:]), environment: options.environment)
        let templates = Dictionary(block.arguments.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        let arguments = Arguments(values, schema: action.schema, templates: templates, inputs: options.inputs)
        let retries = block.retries
        let started = clock.now
        var result = CheckResult.error("did not run")
        for attempt in 0...max(0, retries) {
            if attempt > 0 { try? await clock.sleep(for: Self.retryPause) }
            // A grace period beyond the action's own timeout, for actions that overrun it.
            result =
                await clock.race(limit + Self.timeoutGrace) { await action.run(arguments, context: context) }
                ?? .error("did not finish within \(DurationText.format(milliseconds: limit.milliseconds))")
            if result.status != .fail || Task.isCancelled { break }
        }
        let status: RunEvent.Status =
            switch result.status {
            case .pass: .pass
            case .fail: .fail
            case .error: .error
            case .skipped: .skipped
            }
        if status == .skipped {
            return BlockResult(
                status: .skipped, reason: .checkSkipped(result.summary), evidence: result.evidence,
                milliseconds: (clock.now - started).milliseconds)
        }
        return BlockResult(
            status: status, summary: result.summary, evidence: result.evidence,
            milliseconds: (clock.now - started).milliseconds, finding: result.finding,
            provides: status == .fail ? result.provides : [:])
    }

    /// Runs the verify step again after a fix; true when it passes now.
    func reverify(after fix: String, state: inout RunState, hub: EventHub) async -> Bool {
        guard let verify = graph.verify else { return false }
        for block in verify.blocks {
            guard case .check(let action) = block.kind else { continue }
            let result = await runCheck(block, action: action, step: verify)
            var record = blockEvent(
                block, result: result, step: verify.id, blockID: block.id, kind: graph.kind(of: verify))
            record.after = fix
            await hub.emit(record)
            if result.status != .pass { return false }
        }
        return true
    }

    func runCall(
        _ block: Block, target: String, step: Step, in graph: StepGraph, prefix: String, state: inout RunState,
        hub: EventHub
    ) async -> BlockResult {
        guard let callee = knowledgeBase[target] else {
            return BlockResult(status: .error, summary: "runbook '\(target)' is not in the knowledge base")
        }
        guard state.callDepth < Self.maximumCallDepth else {
            return BlockResult(status: .error, summary: "calls nested deeper than \(Self.maximumCallDepth) runbooks")
        }
        // A call that a `fix=` names is a remedy, not a check: like a `run` fix it needs consent.
        if graph.isFix(step) {
            if options.dryRun {
                return BlockResult(status: .skipped, reason: .dryRun("would call runbook \(target)"))
            }
            if let refused = await refusal(
                of: step, id: prefix + step.id, title: step.title, prompt: "call \(target)", logged: nil, hub: hub)
            {
                return refused
            }
        }
        let model =
            block.argument("model")?.value
            ?? (callee.model(graph.model) != nil || callee.models.isEmpty
                ? graph.model : (callee.defaultModel ?? callee.models.first?.id ?? graph.model))
        let calleeGraph: StepGraph
        do {
            calleeGraph = try StepGraph(runbook: callee, model: model)
        } catch {
            return BlockResult(status: .error, summary: error.description)
        }
        let started = clock.now
        let findingsBefore = state.findings.count
        // The callee sees the same inputs, plus its own defaults for inputs the caller does not have.
        var calleeOptions = options
        for input in callee.inputs where calleeOptions.inputs[input.name] == nil {
            if let value = input.defaultValue { calleeOptions.inputs[input.name] = value }
        }
        // The run's own graph stays the runner's: its verify step re-checks after a fix in any callee.
        let calleeRunner = Runner(
            graph: self.graph, registry: registry, knowledgeBase: knowledgeBase, options: calleeOptions,
            prompter: prompter, runID: runID, clock: clock, clientExecutor: clientExecutor)
        state.callDepth += 1
        let resolved = await calleeRunner.walkSteps(calleeGraph, prefix: "\(callee.id)/", state: &state, hub: hub)
        state.callDepth -= 1
        if resolved { state.resolved = true }
        let failed = state.findings.count > findingsBefore
        return BlockResult(
            status: failed ? .fail : .pass, summary: "ran \(callee.id) (\(model))",
            milliseconds: (clock.now - started).milliseconds, nested: true)
    }

    func runManual(
        _ step: Step, in graph: StepGraph, id: String, state: inout RunState, hub: EventHub
    ) async -> StepOutcome {
        let prefix = String(id.dropLast(step.id.count))
        var record = event(.step)
        record.step = id
        record.section = step.sectionPath.last.map { prefix + $0 }
        record.kind = "manual"
        record.stepKind = graph.kind(of: step)
        var status = RunEvent.Status.manual
        // A manual step that a passed step already answers is not asked (`implied-by=#ssh-banner`).
        let implying = step.impliedBy.first { state.statuses[prefix + $0] == .pass }
        if let implying {
            status = .pass
            record.summary = "implied by \(implying)"
        } else if options.interactive && !options.dryRun {
            await hub.announce(.prompting(step: id, section: record.section))
            let question = ManualQuestion(
                step: step.id, title: step.title, question: step.question, text: step.text)
            switch await prompter.manualOutcome(question) {
            case .done: status = .done
            case .failed:
                status = .fail
                record.finding = step.finding ?? step.title
                record.symptom = step.isSymptom
                if let fix = step.fixTarget {
                    record.fix = fix
                    state.pointedFixes.append((prefix + fix, step.isSymptom))
                }
                if !state.findings.contains(id) { state.findings.append(id) }
                if state.findingTexts[id] == nil { state.findingTexts[id] = record.finding }
                if step.isSymptom { state.symptoms.insert(id) }
            case .skipped: status = Task.isCancelled ? .interrupted : .skipped
            }
        } else {
            record.skipReason = .byHand(runbook: graph.runbook.id)
        }
        record.status = status
        record.durationMS = 0
        await hub.emit(record)
        state.statuses[id] = status
        // Done (or implied) and failed take the heading's on-pass/on-fail; anything else goes on.
        let decided = [.done, .pass, .fail].contains(status)
        return StepOutcome(status: status, jump: decided ? (status == .fail ? step.onFail : step.onPass) : .next)
    }
}
