/// The attributes that steer a run, read once, for the runner, `plan`, lint and the graph.
///
/// Each is written on a step's heading or a block's fence line (a block's own value wins over
/// the heading's, see ``Block/attributes``); a reader never parses attribute strings itself.
public enum StepReference {
    /// The step id a reference names: `#reset-sshd` and `reset-sshd` name the same step.
    public static func id(_ text: String) -> String {
        text.hasPrefix("#") ? String(text.dropFirst()) : text
    }
}

extension Step {
    /// The fix a failure of this manual step points to (`fix=#reset-sshd`), without its `#`.
    public var fixTarget: String? { attribute("fix").map(StepReference.id) }
    /// Where the run goes after the step passed (`on-pass=`); `next` when not written.
    public var onPass: StepGraph.Jump { StepGraph.Jump(attribute: attribute("on-pass")) }
    /// Where the run goes after the step failed (`on-fail=`); `next` when not written.
    public var onFail: StepGraph.Jump { StepGraph.Jump(attribute: attribute("on-fail")) }
    /// The steps named by `requires=` on the heading, of any model.
    public var requires: [String] { StepGraph.requirements(attribute("requires")) }
    /// Steps whose failure explains this one's (`explained-by=`), of any model.
    public var explainedBy: [String] { StepGraph.requirements(attribute("explained-by")) }
    /// Earlier steps whose pass answers this manual step (`implied-by=`).
    public var impliedBy: [String] { StepGraph.requirements(attribute("implied-by")) }
    /// The yes/no question a run asks about this manual step (`question=`).
    public var question: String? { attribute("question") }
    /// What a failure of this manual step is reported as (`finding=`).
    public var finding: String? { attribute("finding") }
}

extension Block {
    /// The fix a failure of this block points to (`fix=#open-ssh-port`), without its `#`.
    public var fixTarget: String? { attribute("fix").map(StepReference.id) }
    /// Where the run goes after the block passed (`on-pass=`); `next` when not written.
    public var onPass: StepGraph.Jump { StepGraph.Jump(attribute: attribute("on-pass")) }
    /// Where the run goes after the block failed (`on-fail=`); `next` when not written.
    public var onFail: StepGraph.Jump { StepGraph.Jump(attribute: attribute("on-fail")) }
    /// The steps named by `requires=` on the block (or its heading), of any model.
    public var requires: [String] { StepGraph.requirements(attribute("requires")) }
    /// Steps whose failure explains this block's (`explained-by=`), of any model.
    public var explainedBy: [String] { StepGraph.requirements(attribute("explained-by")) }
    /// What a failure of this block is reported as (`finding=`).
    public var finding: String? { attribute("finding") }
    /// The block's own time limit (`timeout=30s`); `nil` when not written or unreadable (lint reports it).
    public var timeout: Duration? { attribute("timeout").flatMap(DurationText.parse) }
    /// How often a failed check is tried again (`retries=2`), within 0 and ``RetryLimit/maximum``.
    public var retries: Int { min(max(0, attribute("retries").flatMap(Int.init) ?? 0), RetryLimit.maximum) }
}
