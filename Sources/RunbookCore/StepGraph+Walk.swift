/// How a run walks the graph: where each jump lands, and the flow edges that follow from it.
///
/// The verify step runs first: a pass is `healthy`, anything else starts the walk at the first
/// other step. The walk passes the verify step wherever it sits. After a step:
///
/// - a check, call or manual step that passed or failed takes the `on-pass`/`on-fail` of the block
///   (or, for a manual step, the heading) that decided it; anything else (an error, a skip, a
///   requirement not met, a manual step nobody confirmed) goes to the next step;
/// - a jump to a later step of this model lands there; a jump back or to a step of another model
///   goes to the next step (lint reports both);
/// - a group of fix steps is walked as one stretch (its fixes offered in ``fixOrder(of:pointedTo:)``)
///   and the walk goes on after it; a fix, or a call that ran one, whose re-verify passed ends the
///   run `resolved`.
extension StepGraph {
    /// Where a run goes after `step` passed or failed: the `on-pass`/`on-fail` of a manual step's heading.
    public static func jump(after step: Step, passed: Bool) -> Jump { passed ? step.onPass : step.onFail }

    /// Where a run goes after `block` passed or failed (its `on-pass`/`on-fail`, or the heading's).
    public static func jump(after block: Block, passed: Bool) -> Jump { passed ? block.onPass : block.onFail }

    /// The steps of this model that `step` requires before it runs: `requires=` on its heading, then
    /// on its blocks, in the order written, each once. A named step of another model is not
    /// required (`requires=#nsg-allows-ssh,#endpoint-acl`: whichever the model has).
    public func requirements(of step: Step) -> [String] {
        var required: [String] = []
        for text in [step.attribute("requires")] + step.blocks.map({ $0.attribute("requires") }) {
            for id in Self.requirements(text) where index(of: id) != nil && !required.contains(id) {
                required.append(id)
            }
        }
        return required
    }

    /// The index of the first step the walk reaches.
    public var firstStep: Int? { walkIndex(atOrAfter: 0) }

    /// The index of the step a run goes to after the step at `index` took `jump`; `nil` ends the run.
    public func destination(of jump: Jump, from index: Int) -> Int? {
        switch jump {
        case .next: return walkIndex(atOrAfter: index + 1)
        case .stop: return nil
        case .step(let id):
            guard let target = self.index(of: id), target > index else { return walkIndex(atOrAfter: index + 1) }
            return walkIndex(atOrAfter: target)
        }
    }

    func walkIndex(atOrAfter index: Int) -> Int? {
        var index = index
        while index < steps.count, steps[index].id == verify?.id { index += 1 }
        return index < steps.count ? index : nil
    }

    /// The jumps a step can take when it passes or fails (fix steps take none).
    func decidedJumps(of step: Step) -> [(Edge.Kind, Jump)] {
        if step.isManual {
            return [(.pass, Self.jump(after: step, passed: true)), (.fail, Self.jump(after: step, passed: false))]
        }
        return step.blocks.flatMap { block in
            [(Edge.Kind.pass, Self.jump(after: block, passed: true)), (.fail, Self.jump(after: block, passed: false))]
        }
    }

    /// The edges a run moves along, each once, in the order of the steps.
    func flowEdges() -> [Edge] {
        var edges: [Edge] = []
        var seen: Set<Edge> = []
        func add(_ from: String, _ to: Int?, _ kind: Edge.Kind) {
            add(from, to.map { steps[$0].id } ?? Terminal.end, kind)
        }
        func add(_ from: String, _ to: String, _ kind: Edge.Kind) {
            let edge = Edge(from: from, to: to, kind: kind)
            if seen.insert(edge).inserted { edges.append(edge) }
        }
        // A step holding a `call` (or a `run`) may run a fix whose re-verify passes.
        func mayResolve(_ step: Step) -> Bool {
            verify != nil && step.blocks.contains { if case .check = $0.kind { false } else { true } }
        }
        if let verify {
            add(Terminal.start, verify.id, .next)
            add(verify.id, Terminal.healthy, .pass)
            if mayResolve(verify) { add(verify.id, Terminal.resolved, .pass) }
            add(verify.id, firstStep, .fail)
            add(verify.id, firstStep, .undecided)
        } else {
            add(Terminal.start, firstStep, .next)
        }
        for (index, step) in steps.enumerated() where step.id != verify?.id {
            if kind(of: step) == .fix {
                add(step.id, destination(of: .next, from: index), .next)
                if verify != nil { add(step.id, Terminal.resolved, .pass) }
                continue
            }
            for (kind, jump) in decidedJumps(of: step) { add(step.id, destination(of: jump, from: index), kind) }
            add(step.id, destination(of: .next, from: index), .undecided)
            if mayResolve(step) { add(step.id, Terminal.resolved, .pass) }
        }
        return edges
    }

    /// `requires` and `fix` edges between steps of this model.
    func pointerEdges() -> [Edge] {
        var edges: [Edge] = []
        for step in steps {
            for id in requirements(of: step).sorted() { edges.append(Edge(from: id, to: step.id, kind: .requires)) }
        }
        // In the order of the naming steps, each step's targets in id order.
        var named: [String: [String]] = [:]
        for (target, namers) in fixTargets where index(of: target) != nil {
            for namer in namers { named[namer, default: []].append(target) }
        }
        for step in steps {
            for target in (named[step.id] ?? []).sorted() {
                edges.append(Edge(from: step.id, to: target, kind: .fix))
            }
        }
        return edges
    }
}
