/// The steps of one runbook for one deployment model, what kind each is, and every way a run can go
/// from one to the next: the one definition the runner, `lint`, `plan`, `graph` and the site read.
public struct StepGraph: Sendable {
    public let runbook: Runbook
    public let model: String
    /// The steps of this model in document order, the verify step included.
    public let steps: [Step]
    /// The step that proves the problem is gone, if declared and part of this model.
    public let verify: Step?
    /// The ids of the steps whose blocks (or headings) name a step with `fix=`, by the named step's id.
    public let fixTargets: [String: [String]]
    /// What each step is, by id (see ``kind(of:)``).
    public let kinds: [String: Kind]
    /// Where a run can go (``Edge/isFlow``), then what the steps require and which fix a failure names.
    public private(set) var edges: [Edge] = []
    /// The index of each step id (the first, should two steps share one).
    let positions: [String: Int]

    /// Where a run goes after a block.
    public enum Jump: Sendable, Equatable {
        case next
        case stop
        case step(String)

        /// Reads `next`, `stop` or `#step-id`; `nil` for anything else.
        public init?(_ text: String) {
            switch text {
            case "next": self = .next
            case "stop": self = .stop
            default:
                guard text.hasPrefix("#"), text.count > 1 else { return nil }
                self = .step(String(text.dropFirst()))
            }
        }

        /// The jump an `on-pass`/`on-fail` value names; a missing or unreadable one (lint reports it) is `next`.
        init(attribute text: String?) { self = text.flatMap(Jump.init) ?? .next }
    }

    /// What a step is to a run, in this order of precedence: the **verify** step runs first and
    /// again after each fix, whatever its blocks; a **fix** (a `run` block, or named by a `fix=`)
    /// is offered with consent in its group; a **call** runs another runbook; a **manual** step
    /// has no block; a **check** has `check` blocks only.
    public enum Kind: String, Codable, Sendable {
        case verify, check, fix, manual, call
    }

    /// The nodes that are not steps. Their names are in parentheses, which no step id made from a
    /// heading has, so a step titled "End" or "Start" stays a node of its own.
    public enum Terminal {
        public static let start = "(start)"
        public static let healthy = "(healthy)"
        public static let resolved = "(resolved)"
        public static let end = "(end)"
    }

    /// An edge from a step (or the start) to a step or a terminal.
    public struct Edge: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// The step passed (a check, a manual step done, a fix whose re-verify passed).
            case pass
            /// The step failed.
            case fail
            /// The run goes on whatever happened: a fix group, the start.
            case next
            /// Nothing decided: a check erred or was skipped, a requirement was not met, a manual
            /// step was skipped or nobody was asked. The run goes on with the next step.
            case undecided
            /// `requires=`: from the required step to the one requiring it.
            case requires
            /// `fix=`: from the step whose failure names the fix to the fix.
            case fix
        }

        public var from: String
        public var to: String
        public var kind: Kind

        public init(from: String, to: String, kind: Kind) {
            self.from = from
            self.to = to
            self.kind = kind
        }

        /// Whether a run moves along this edge (not a `requires` or `fix` pointer).
        public var isFlow: Bool { kind != .requires && kind != .fix }
    }

    /// Builds the graph, or explains why the model is not one of the runbook's.
    public init(runbook: Runbook, model: String) throws(CoreError) {
        if !runbook.models.isEmpty, runbook.model(model) == nil {
            throw .unknownModel(model, runbook: runbook.id, known: runbook.models.map(\.id))
        }
        self.runbook = runbook
        self.model = model
        let steps = runbook.steps.filter { $0.applies(to: model) }
        self.steps = steps
        positions = Dictionary(steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let verify = runbook.verify.flatMap { id in steps.first { $0.id == id } }
        self.verify = verify
        let fixTargets = Self.fixTargets(of: steps)
        self.fixTargets = fixTargets
        kinds = steps.reduce(into: [:]) { kinds, step in
            kinds[step.id] = Self.kind(
                of: step, isVerify: step.id == verify?.id, isFix: step.isFix || fixTargets[step.id] != nil)
        }
        edges = flowEdges() + pointerEdges()
    }

    public func index(of id: String) -> Int? { positions[id] }

    /// What `step` is in this model (``Kind``).
    public func kind(of step: Step) -> Kind { kinds[step.id] ?? .check }

    /// The kind of every step of `runbook`, for a page that shows all models at once: a step's kind
    /// in the first model it belongs to (kinds differ between models only where a `fix=` of one
    /// model's check names a step).
    public static func kinds(of runbook: Runbook) -> [String: Kind] {
        var kinds: [String: Kind] = [:]
        for model in runbook.models.isEmpty ? [""] : runbook.models.map(\.id) {
            guard let graph = try? StepGraph(runbook: runbook, model: model) else { continue }
            kinds.merge(graph.kinds) { first, _ in first }
        }
        return kinds
    }

    static func kind(of step: Step, isVerify: Bool, isFix: Bool) -> Kind {
        if isVerify { return .verify }
        if isFix { return .fix }
        if step.blocks.contains(where: { if case .call = $0.kind { true } else { false } }) { return .call }
        return step.isManual ? .manual : .check
    }

    /// The ids named by `requires=` (written `#a,#b`).
    public static func requirements(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(whereSeparator: { $0 == "," || $0 == " " }).map { StepReference.id(String($0)) }
    }

    /// Indexes of the steps a run can reach from the start when every check decides (passes or
    /// fails): a step reached only when a check errs or is skipped is not among them. A manual
    /// step goes on undecided whenever nobody is at the terminal, so that edge counts.
    public func reachable() -> Set<Int> {
        var next: [String: [String]] = [:]
        for edge in edges where edge.isFlow && (edge.kind != .undecided || kinds[edge.from] == .manual) {
            next[edge.from, default: []].append(edge.to)
        }
        var seen: Set<String> = []
        var queue = [Terminal.start]
        while let current = queue.popLast() {
            guard seen.insert(current).inserted else { continue }
            queue += next[current] ?? []
        }
        return Set(steps.indices.filter { seen.contains(steps[$0].id) })
    }

    /// Whether a run can go from `from` to `to` (a step id or a ``Terminal``) in one move.
    public func allows(from: String, to: String) -> Bool {
        edges.contains { $0.isFlow && $0.from == from && $0.to == to }
    }
}
