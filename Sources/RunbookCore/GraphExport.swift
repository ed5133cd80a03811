/// The step graph of one model as text for Graphviz (`dot`) or Mermaid.
///
/// Sections become clusters; checks, fixes, manual steps and calls get their own shapes; edges
/// say where a run goes when a check passes or fails, which steps a step requires, and which fix
/// a failure points to.
public enum GraphExport {
    /// An edge as drawn: the flow edges between two nodes merged into one.
    struct Edge: Equatable {
        enum Kind { case pass, fail, next, undecided, requires, fix }
        var from: String
        var to: String
        var kind: Kind
    }

    typealias Terminal = StepGraph.Terminal

    /// The graph's edges with the flow between two nodes merged: one plain edge where a run goes
    /// there whatever the step's outcome, `pass` or `fail` where only that outcome goes there, and
    /// `error / skipped` where only an undecided step does.
    static func edges(of graph: StepGraph) -> [Edge] {
        var order: [String] = []
        var kinds: [String: Set<StepGraph.Edge.Kind>] = [:]
        var ends: [String: (String, String)] = [:]
        var pointers: [Edge] = []
        for edge in graph.edges {
            guard edge.isFlow else {
                pointers.append(Edge(from: edge.from, to: edge.to, kind: edge.kind == .requires ? .requires : .fix))
                continue
            }
            let key = edge.from + "\u{0}" + edge.to
            if kinds[key] == nil {
                order.append(key)
                ends[key] = (edge.from, edge.to)
            }
            kinds[key, default: []].insert(edge.kind)
        }
        let flow = order.map { key -> Edge in
            let found = kinds[key] ?? []
            let (from, to) = ends[key] ?? ("", "")
            let kind: Edge.Kind =
                found.contains(.pass) && found.contains(.fail)
                ? .next
                : found.contains(.pass)
                    ? .pass
                    : found.contains(.fail)
                        ? .fail
                        : found.contains(.next) ? .next : .undecided
            return Edge(from: from, to: to, kind: kind)
        }
        return flow + pointers
    }

    /// Sections in document order that hold steps of this model, with their steps.
    static func clusters(of graph: StepGraph) -> [(section: Section?, steps: [Step])] {
        var result: [(Section?, [Step])] = []
        for step in graph.steps {
            let sectionID =
                step.sectionPath.count > 1 || graph.runbook.sections.first?.id != step.sectionPath.first
                ? step.sectionPath.last : nil
            let section = sectionID.flatMap { id in graph.runbook.sections.first { $0.id == id } }
            if let last = result.last, last.0?.id == section?.id {
                result[result.count - 1].1.append(step)
            } else {
                result.append((section, [step]))
            }
        }
        return result
    }

    // MARK: - Graphviz

    /// Graphviz `dot` source.
    public static func dot(_ graph: StepGraph) -> String {
        var lines = [
            "digraph \(quoteDot(graph.runbook.id + "-" + graph.model)) {",
            "  graph [rankdir=TB, fontname=\"Helvetica\", label=\(quoteDot("\(graph.runbook.title) — \(graph.runbook.model(graph.model)?.name ?? graph.model)")), labelloc=t];",
            "  node [fontname=\"Helvetica\", fontsize=11];",
            "  edge [fontname=\"Helvetica\", fontsize=9];",
            "  \(quoteDot(Terminal.start)) [shape=circle, label=\"\", width=0.2, style=filled, fillcolor=black];",
            "  \(quoteDot(Terminal.healthy)) [shape=doublecircle, label=\"healthy\", color=\"#2e7d32\"];",
            "  \(quoteDot(Terminal.resolved)) [shape=doublecircle, label=\"resolved\", color=\"#2e7d32\"];",
            "  \(quoteDot(Terminal.end)) [shape=doublecircle, label=\"diagnosed /\\ninconclusive\", color=\"#b71c1c\"];",
        ]
        for (number, cluster) in clusters(of: graph).enumerated() {
            var indent = "  "
            if let section = cluster.section {
                lines.append("  subgraph cluster_\(number) {")
                lines.append("    label=\(quoteDot(section.title)); style=rounded; color=\"#9e9e9e\";")
                indent = "    "
            }
            for step in cluster.steps {
                lines.append(indent + quoteDot(step.id) + " [" + dotStyle(graph.kind(of: step), step: step) + "];")
            }
            if cluster.section != nil { lines.append("  }") }
        }
        for edge in edges(of: graph) {
            lines.append("  \(quoteDot(edge.from)) -> \(quoteDot(edge.to)) [\(dotEdgeStyle(edge.kind))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func dotStyle(_ kind: StepGraph.Kind, step: Step) -> String {
        let label = quoteDot("\(step.title)\n#\(step.id)" + actionLine(step))
        switch kind {
        case .verify: return "label=\(label), shape=box, style=\"rounded,filled,bold\", fillcolor=\"#e3f2fd\""
        case .check: return "label=\(label), shape=box, style=\"rounded,filled\", fillcolor=\"#f5f5f5\""
        case .fix: return "label=\(label), shape=hexagon, style=filled, fillcolor=\"#fff3e0\""
        case .manual: return "label=\(label), shape=note, style=filled, fillcolor=\"#fffde7\""
        case .call: return "label=\(label), shape=component, style=filled, fillcolor=\"#ede7f6\""
        }
    }

    static func actionLine(_ step: Step) -> String {
        guard let block = step.blocks.first else { return "\n(manual)" }
        switch block.kind {
        case .check(let action): return "\ncheck \(action)"
        case .run(let shell): return "\nfix (\(shell), asks first)"
        case .call(let target): return "\ncall \(target)"
        }
    }

    static func dotEdgeStyle(_ kind: Edge.Kind) -> String {
        switch kind {
        case .pass: "label=\"pass\", color=\"#2e7d32\", fontcolor=\"#2e7d32\""
        case .fail: "label=\"fail\", color=\"#b71c1c\", fontcolor=\"#b71c1c\""
        case .next: "color=\"#616161\""
        case .undecided: "label=\"error / skipped\", style=dashed, color=\"#9e9e9e\", fontcolor=\"#757575\""
        case .requires: "label=\"requires\", style=dashed, color=\"#1565c0\", fontcolor=\"#1565c0\", constraint=false"
        case .fix: "label=\"fix\", style=dotted, color=\"#ef6c00\", fontcolor=\"#ef6c00\", constraint=false"
        }
    }

    static func quoteDot(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }

    // MARK: - Mermaid

    /// Mermaid `flowchart` source.
    public static func mermaid(_ graph: StepGraph) -> String {
        var lines = [
            "flowchart TD", "  Start((start))", "  Healthy(((healthy)))", "  Resolved(((resolved)))",
            "  End((\"diagnosed / inconclusive\"))",
        ]
        for (number, cluster) in clusters(of: graph).enumerated() {
            var indent = "  "
            if let section = cluster.section {
                lines.append("  subgraph cluster\(number)[\(quoteMermaid(section.title))]")
                indent = "    "
            }
            for step in cluster.steps {
                let label = quoteMermaid("\(step.title)<br/>#\(step.id)" + actionLine(step).replacingNewlines())
                let node = mermaidID(step.id)
                switch graph.kind(of: step) {
                case .verify, .check: lines.append("\(indent)\(node)(\(label))")
                case .fix: lines.append("\(indent)\(node){{\(label)}}")
                case .manual: lines.append("\(indent)\(node)[/\(label)/]")
                case .call: lines.append("\(indent)\(node)[[\(label)]]")
                }
            }
            if cluster.section != nil { lines.append("  end") }
        }
        for edge in edges(of: graph) {
            let from = mermaidID(edge.from)
            let to = mermaidID(edge.to)
            switch edge.kind {
            case .pass: lines.append("  \(from) -->|pass| \(to)")
            case .fail: lines.append("  \(from) -->|fail| \(to)")
            case .next: lines.append("  \(from) --> \(to)")
            case .undecided: lines.append("  \(from) -.->|error / skipped| \(to)")
            case .requires: lines.append("  \(from) -.->|requires| \(to)")
            case .fix: lines.append("  \(from) -.->|fix| \(to)")
            }
        }
        for step in graph.steps {
            let style: String? =
                switch graph.kind(of: step) {
                case .verify: "fill:#e3f2fd,stroke:#1565c0"
                case .fix: "fill:#fff3e0,stroke:#ef6c00"
                case .manual: "fill:#fffde7,stroke:#9e9e9e"
                case .call: "fill:#ede7f6,stroke:#5e35b1"
                case .check: nil
                }
            if let style { lines.append("  style \(mermaidID(step.id)) \(style)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Mermaid ids: `end` is a keyword, and ids must be plain words. The terminals are capitalised
    /// (`End` is no keyword), which no step id made from a heading is.
    static func mermaidID(_ id: String) -> String {
        switch id {
        case Terminal.start: return "Start"
        case Terminal.healthy: return "Healthy"
        case Terminal.resolved: return "Resolved"
        case Terminal.end: return "End"
        case "end": return "end_"
        default: break
        }
        return String(id.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    static func quoteMermaid(_ text: String) -> String {
        "\"" + text.replacingQuotes() + "\""
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "<br/>")
    }

    fileprivate func replacingQuotes() -> String {
        var result = ""
        for character in self {
            switch character {
            case "\"": result += "#quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
