/// A step as a run log names it: `step` in the runbook run, `callee/step` in a runbook it called.
///
/// The runner names a step of a nested call by its own runbook only (`inner/step`, not
/// `outer/inner/step`); a path with more parts still reads, its last callee holding the step.
public struct StepPath: Sendable, Hashable, CustomStringConvertible {
    /// The called runbooks, outermost first; empty for a step of the runbook that was run.
    public var callees: [String]
    /// The step's id in its own runbook.
    public var step: String

    public init(callees: [String] = [], step: String) {
        self.callees = callees
        self.step = step
    }

    /// Reads a logged id: `step` or `callee/step`.
    public init(_ logged: String) {
        let parts = logged.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        callees = Array(parts.dropLast())
        step = parts.last ?? logged
    }

    /// The runbook that holds the step: the innermost callee, `nil` for the runbook that was run.
    public var runbook: String? { callees.last }

    /// Whether the step belongs to a called runbook.
    public var isCalled: Bool { !callees.isEmpty }

    /// The prefix of ids logged inside the runbook that holds this step (`callee/`, or empty).
    public var prefix: String { callees.map { $0 + "/" }.joined() }

    /// The step `id` of the same runbook as this one.
    public func sibling(_ id: String) -> StepPath { StepPath(callees: callees, step: id) }

    /// The id as logged.
    public var description: String { prefix + step }
}
