/// Which steps are fixes and in what order a run offers them.
///
/// A **fix step** holds a `run` block, or is named by some block's `fix=#step` (a step that only
/// `call`s a fixing runbook, say). Fix steps that follow each other in the document form a group;
/// when the walk reaches a group it offers its steps in this order:
///
/// 1. the steps that failed checks point to with `fix=`, in the order of those failures (the
///    causes first, then the symptoms, each in the order found);
/// 2. the steps that no `fix=` names (general remedies such as a restart), in document order;
///
/// and does not offer the steps whose every `fix=` comes from a check that did not fail: nothing
/// found calls for them. Each fix is offered at most once per run (see the runner).
extension StepGraph {
    /// Whether the run treats `step` as a fix: it holds a `run` block or a `fix=` names it.
    public func isFix(_ step: Step) -> Bool {
        step.isFix || fixTargets[step.id] != nil
    }

    /// The ids of the steps whose blocks (or headings) name each fix with `fix=`, in document order.
    static func fixTargets(of steps: [Step]) -> [String: [String]] {
        var targets: [String: [String]] = [:]
        for step in steps {
            let named = [step.fixTarget] + step.blocks.map(\.fixTarget)
            for case let target? in named {
                if targets[target]?.contains(step.id) != true { targets[target, default: []].append(step.id) }
            }
        }
        return targets
    }

    /// The fix steps from `index` on that follow each other (the verify step ends a group).
    public func fixGroup(at index: Int) -> Range<Int> {
        var end = index
        while end < steps.count, steps[end].id != verify?.id, isFix(steps[end]) { end += 1 }
        return index..<end
    }

    /// The steps of a fix group in the order to offer them, and those to leave out.
    ///
    /// - Parameters:
    ///   - group: indexes of the group's steps (``fixGroup(at:)``).
    ///   - pointedTo: the fix step ids that failed checks named, in the order to honour
    ///     (causes first, then symptoms); ids of other groups are ignored.
    public func fixOrder(of group: Range<Int>, pointedTo: [String]) -> (offered: [Step], notNeeded: [Step]) {
        let members = Array(steps[group])
        var offered: [Step] = []
        for id in pointedTo {
            if let step = members.first(where: { $0.id == id }), !offered.contains(where: { $0.id == id }) {
                offered.append(step)
            }
        }
        var notNeeded: [Step] = []
        for step in members where !offered.contains(where: { $0.id == step.id }) {
            if fixTargets[step.id] == nil { offered.append(step) } else { notNeeded.append(step) }
        }
        return (offered, notNeeded)
    }
}
