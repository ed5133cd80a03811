/// The steps of one runbook for one deployment model, in the order a run considers them.
public struct StepGraph: Sendable {
    public let runbook: Runbook
    public let model: String
    /// The steps of this model in document order, the verify step included.
    public let steps: [Step]
    /// The step that proves the problem is gone, if declared and part of this model.
    public let verify: Step?

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
        verify = runbook.verify.flatMap { id in steps.first { $0.id == id } }
    }

    public func index(of id: String) -> Int? { steps.firstIndex { $0.id == id } }

    /// The ids named by `requires=` (written `#a,#b`).
    public static func requirements(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(whereSeparator: { $0 == "," || $0 == " " }).map { word in
            word.hasPrefix("#") ? String(word.dropFirst()) : String(word)
        }
    }

    /// Indexes of the steps a run can reach from the first step, following every possible jump.
    public func reachable() -> Set<Int> {
        var seen: Set<Int> = []
        var queue = steps.isEmpty ? [] : [0]
        while let current = queue.popLast() {
            guard current < steps.count, seen.insert(current).inserted else { continue }
            let step = steps[current]
            var targets: [Jump] = []
            if step.blocks.isEmpty {
                targets = [.next]
            } else {
                for block in step.blocks {
                    targets.append(Jump(block.attribute("on-pass") ?? "next") ?? .next)
                    targets.append(Jump(block.attribute("on-fail") ?? "next") ?? .next)
                }
            }
            for target in targets {
                switch target {
                case .next: queue.append(current + 1)
                case .stop: break
                case .step(let id): if let index = index(of: id) { queue.append(index) }
                }
            }
        }
        return seen
    }
}
