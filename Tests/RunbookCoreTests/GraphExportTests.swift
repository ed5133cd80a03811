import Foundation
import RunbookActions
import RunbookCore
import Testing

/// `GraphExport.dot` and `.mermaid`, read back line by line: nodes with their attributes, edges with their labels.
@Suite("GraphExport")
struct GraphExportTests {
    /// Sections, a verify step, a check with on-pass/on-fail jumps, `requires`, `fix=`, a fix, a manual step, a
    /// `call`, a step of one model only, titles with `"` and `\`, and a step whose id is Mermaid's keyword `end`.
    static let text = #"""
        ---
        id: graph
        title: Graph "export" \ test
        models:
          arm: Resource Manager
          classic: Classic
        inputs:
          host: { description: host, required: true }
        verify: works
        ---

        # Graph

        ## It works {#works .symptom}

        ```check tcp-connect host={{host}} port=22 timeout=5s
        ```

        ## Network "path" \ edge {#network}

        ### Name resolves {#dns}

        ```check dns-resolve host={{host}} on-pass=#port on-fail=#inspect
        ```

        ### Classic endpoint {#classic-only model=classic}

        ```check tcp-connect host={{host}} port=22
        ```

        ### Port answers {#port requires=#dns}

        ```check tcp-connect host={{host}} port=22 fix=#restart
        ```

        ### Look at the "edge" \ firewall {#inspect}

        Look at the rules in the portal.

        ## Fixes {#fixes}

        ### Restart sshd {#restart}

        ```run sh
        echo restart
        ```

        ### Hand over {#handover}

        ```call other-runbook
        ```

        ### The end {#end}

        Nothing else to try.
        """#

    static func graph(_ model: String) throws -> StepGraph {
        let (runbook, diagnostics) = load(text, path: "graph.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try StepGraph(runbook: runbook, model: model)
    }

    // MARK: - dot

    @Test("the fixture is the graph the tests assume")
    func fixture() throws {
        #expect(
            try Self.graph("arm").steps.map(\.id) == ["works", "dns", "port", "inspect", "restart", "handover", "end"])
        #expect(try Self.graph("classic").steps.map(\.id).contains("classic-only"))
    }

    @Test("dot: one cluster per section, titled with the section's title, holding its steps")
    func dotClusters() throws {
        let dot = GraphExport.dot(try Self.graph("arm"))
        let clusters = DotText(dot).clusters
        #expect(clusters.map(\.label) == [#"Network \"path\" \\ edge"#, "Fixes"], "\(dot)")
        #expect(clusters.map(\.nodes) == [["dns", "port", "inspect"], ["restart", "handover", "end"]])
        // The verify step sits under the title heading, in no cluster.
        #expect(DotText(dot).node("works") != nil)
        #expect(!clusters.flatMap(\.nodes).contains("works"))
    }

    @Test(
        "dot: each kind of step has its shape",
        arguments: [
            ("works", "box"), ("dns", "box"), ("port", "box"), ("restart", "hexagon"), ("inspect", "note"),
            ("handover", "component"), ("end", "note"),
        ])
    func dotShapes(step: String, shape: String) throws {
        let dot = DotText(GraphExport.dot(try Self.graph("arm")))
        let node = try #require(dot.node(step), "no node \(step)")
        #expect(node.contains("shape=\(shape),"), "\(step): \(node)")
    }

    @Test("dot: the verify step is bold and the other checks are not")
    func dotVerifyIsBold() throws {
        let dot = DotText(GraphExport.dot(try Self.graph("arm")))
        #expect(try #require(dot.node("works")).contains("bold"))
        #expect(try #require(dot.node("dns")).contains("bold") == false)
    }

    @Test("dot: pass and fail edges go to the jump targets; a check that goes on either way has one plain edge")
    func dotFlowEdges() throws {
        let edges = DotText(GraphExport.dot(try Self.graph("arm"))).edges
        #expect(edges.contains(DotEdge(from: "works", to: "dns", label: "fail")), "\(edges)")
        #expect(edges.contains(DotEdge(from: "dns", to: "port", label: "pass")))
        #expect(edges.contains(DotEdge(from: "dns", to: "inspect", label: "fail")))
        #expect(edges.filter { $0.from == "dns" && $0.label != nil && $0.label != "requires" }.count == 2)
        #expect(edges.filter { $0.from == "port" && $0.style == nil }.map(\.to) == ["inspect"])
        #expect(edges.contains(DotEdge(from: "port", to: "inspect", label: nil)))
        #expect(edges.contains(DotEdge(from: "inspect", to: "restart", label: nil)))
        #expect(edges.contains(DotEdge(from: "handover", to: "end", label: nil)))
    }

    @Test("dot: the run starts at the verify step; its pass is healthy, a fix's pass resolved, the last step the end")
    func dotTerminals() throws {
        let dot = DotText(GraphExport.dot(try Self.graph("arm")))
        let start = try #require(dot.nodeID(where:) { $0.contains("shape=circle") })
        let healthy = try #require(dot.nodeID(where:) { $0.contains("label=\"healthy\"") })
        let resolved = try #require(dot.nodeID(where:) { $0.contains("label=\"resolved\"") })
        let end = try #require(dot.nodeID(where:) { $0.contains("inconclusive") })
        #expect(Set([start, healthy, resolved, end, "end"]).count == 5, "terminals are apart from the step 'end'")
        let edges = dot.edges
        #expect(edges.filter { $0.from == start }.map(\.to) == ["works"])
        #expect(edges.contains(DotEdge(from: "works", to: healthy, label: "pass")))
        #expect(edges.contains(DotEdge(from: "restart", to: resolved, label: "pass")))
        // A fix, and a call (the called runbook may run a fix whose re-verify passes), can resolve; checks cannot.
        #expect(edges.filter { $0.to == resolved }.map(\.from) == ["restart", "handover"])
        #expect(edges.contains(DotEdge(from: "end", to: end, label: nil)))
        #expect(edges.contains(DotEdge(from: "restart", to: "handover", label: nil)))
    }

    @Test("dot: requires edges are dashed, fix edges dotted, each from the right step")
    func dotRequiresAndFix() throws {
        let edges = DotText(GraphExport.dot(try Self.graph("arm"))).edges
        let requires = edges.filter { $0.label == "requires" }
        #expect(requires.map { "\($0.from)->\($0.to) \($0.style ?? "-")" } == ["dns->port dashed"])
        let fixes = edges.filter { $0.label == "fix" }
        #expect(fixes.map { "\($0.from)->\($0.to) \($0.style ?? "-")" } == ["port->restart dotted"])
    }

    @Test("dot: a step of the other model is absent, and jumps skip it")
    func dotOtherModel() throws {
        let arm = DotText(GraphExport.dot(try Self.graph("arm")))
        #expect(arm.node("classic-only") == nil)
        #expect(!arm.edges.contains { $0.from == "classic-only" || $0.to == "classic-only" })
        let classic = DotText(GraphExport.dot(try Self.graph("classic")))
        #expect(classic.node("classic-only") != nil)
        #expect(
            classic.edges.contains(DotEdge(from: "dns", to: "port", label: "pass")), "on-pass skips the classic step")
        #expect(classic.edges.contains(DotEdge(from: "classic-only", to: "port", label: nil)))
    }

    @Test("dot: quotes and backslashes in titles are escaped")
    func dotQuoting() throws {
        let dot = GraphExport.dot(try Self.graph("arm"))
        #expect(dot.contains(#"label="Graph \"export\" \\ test — Resource Manager""#), "\(dot)")
        let node = try #require(DotText(dot).node("inspect"))
        #expect(node.contains(#"label="Look at the \"edge\" \\ firewall\n#inspect\n(manual)""#), "\(node)")
        // No raw quote ends a label early: every line has an even number of unescaped quotes.
        for line in dot.split(separator: "\n") {
            #expect(DotText.unescapedQuotes(in: String(line)) % 2 == 0, "\(line)")
        }
    }

    @Test("dot: a step whose id is 'end' is not the terminal node 'end'")
    func dotStepNamedEnd() throws {
        let dot = DotText(GraphExport.dot(try Self.graph("arm")))
        let edges = dot.edges
        #expect(
            !edges.contains { $0.from == $0.to }, "a self loop means the step and the terminal are merged: \(edges)")
        let step = try #require(dot.node("end"))
        #expect(step.contains("The end"))
    }

    @Test(
        "dot -Tsvg accepts the graph of Runbooks/ssh-connection.md and of the fixture",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot"), "Graphviz is not installed"),
        arguments: ["arm", "classic"])
    func graphvizAccepts(model: String) async throws {
        let path = RepositoryFiles.root.appendingPathComponent("Runbooks/ssh-connection.md").path
        let runbook = Runbook.load(text: try String(contentsOfFile: path, encoding: .utf8), path: path).runbook
        for dot in [
            GraphExport.dot(try StepGraph(runbook: runbook, model: model)), GraphExport.dot(try Self.graph(model)),
        ] {
            let (status, svg, errors) = try await Self.graphviz(dot)
            #expect(status == 0, "dot failed: \(errors)")
            #expect(errors.isEmpty, "dot warned: \(errors)")
            #expect(svg.contains("<svg"))
        }
        let ssh = GraphExport.dot(try StepGraph(runbook: runbook, model: model))
        #expect(ssh.contains(model == "arm" ? "\"nsg-allows-ssh\" [" : "\"endpoint-acl\" ["))
        #expect(!ssh.contains(model == "arm" ? "\"endpoint-acl\"" : "\"nsg-allows-ssh\""))
    }

    /// Runs `dot -Tsvg` with swift-subprocess, as the CLI does.
    static func graphviz(_ dot: String) async throws -> (Int32, String, String) {
        let output = try await ProcessRunner.run(["dot", "-Tsvg"], input: dot, timeout: .seconds(30))
        return (output.exitCode, output.standardOutput, output.standardError)
    }

    // MARK: - Mermaid

    @Test("mermaid: a top-down flowchart with a subgraph per section and pass/fail labelled edges")
    func mermaidShape() throws {
        let mermaid = GraphExport.mermaid(try Self.graph("arm"))
        let lines = mermaid.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "flowchart TD")
        #expect(lines.filter { $0.hasPrefix("subgraph ") }.count == 2, "\(mermaid)")
        #expect(lines.contains("dns -->|pass| port"), "\(mermaid)")
        #expect(lines.contains("dns -->|fail| inspect"))
        #expect(lines.contains("works -->|fail| dns"))
        #expect(lines.contains("dns -.->|requires| port"))
        #expect(lines.contains("port -.->|fix| restart"))
        #expect(!mermaid.contains("classic_only"))
        // Each subgraph is closed: as many `end` lines as subgraphs.
        #expect(lines.filter { $0 == "end" }.count == 2)
    }

    @Test("mermaid: node ids are plain words; the step 'end' is renamed and stays apart from the terminal")
    func mermaidIDs() throws {
        let mermaid = GraphExport.mermaid(try Self.graph("arm"))
        let edges = MermaidText.edges(in: mermaid)
        #expect(edges.count >= 10, "\(mermaid)")
        for edge in edges {
            for id in [edge.from, edge.to] {
                #expect(
                    id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !id.isEmpty,
                    "bad id '\(id)'")
                #expect(id != "end", "'end' is a Mermaid keyword")
            }
        }
        #expect(
            !edges.contains { $0.from == $0.to }, "a self loop means the step and the terminal are merged: \(edges)")
        // The step `end` is declared once, with its own label.
        let declarations = mermaid.split(separator: "\n").filter { $0.contains("The end") }
        #expect(declarations.count == 1)
        let stepID = try #require(
            declarations.first?.trimmingCharacters(in: .whitespaces).prefix { $0 != "[" && $0 != "(" })
        #expect(stepID != "end")
        #expect(edges.contains { $0.from == "handover" && $0.to == String(stepID) })
        #expect(edges.contains { $0.from == String(stepID) && $0.to != String(stepID) })
        // Ids with dashes become underscores.
        #expect(mermaid.contains("style works "))
    }

    @Test("mermaid: quotes in titles become #quot; and never end a label early")
    func mermaidQuoting() throws {
        let mermaid = GraphExport.mermaid(try Self.graph("arm"))
        #expect(mermaid.contains(#"subgraph cluster1["Network #quot;path#quot; \ edge"]"#), "\(mermaid)")
        #expect(mermaid.contains(#"Look at the #quot;edge#quot; \ firewall<br/>#inspect<br/>(manual)"#))
        for line in mermaid.split(separator: "\n") {
            #expect(line.filter { $0 == "\"" }.count % 2 == 0, "\(line)")
        }
    }

    @Test("mermaid: the classic graph has the classic step, named with underscores")
    func mermaidOtherModel() throws {
        let mermaid = GraphExport.mermaid(try Self.graph("classic"))
        #expect(mermaid.contains("classic_only(\"Classic endpoint"), "\(mermaid)")
        #expect(mermaid.contains("classic_only --> port"))
        #expect(!mermaid.contains("classic-only("))
    }
}

// MARK: - Reading the output back

struct DotEdge: Equatable, CustomStringConvertible {
    var from: String
    var to: String
    var label: String?
    var style: String? = nil

    static func == (lhs: DotEdge, rhs: DotEdge) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.label == rhs.label
    }

    var description: String { "\(from)->\(to)\(label.map { "[\($0)]" } ?? "")" }
}

/// The parts of `GraphExport.dot` output the tests look at.
struct DotText {
    var lines: [String]

    init(_ text: String) { lines = text.split(separator: "\n").map(String.init) }

    /// The attribute list of the node `id`.
    func node(_ id: String) -> String? {
        let prefix = "\"\(id)\" ["
        return lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }
    }

    /// The id of the first node whose line satisfies `predicate`.
    func nodeID(where predicate: (String) -> Bool) -> String? {
        for line in lines where predicate(line) {
            if let match = line.firstMatch(of: /^\s*"([^"]*)" \[/) { return String(match.1) }
        }
        return nil
    }

    var edges: [DotEdge] {
        lines.compactMap { line in
            guard let match = line.firstMatch(of: /^\s*"([^"]*)" -> "([^"]*)" \[(.*)\];$/) else { return nil }
            let attributes = String(match.3)
            let label = attributes.firstMatch(of: /label="([^"]*)"/).map { String($0.1) }
            let style = attributes.firstMatch(of: /style=(\w+)/).map { String($0.1) }
            return DotEdge(from: String(match.1), to: String(match.2), label: label, style: style)
        }
    }

    /// Clusters in order: their label (as written, escapes kept) and the ids of their nodes.
    var clusters: [(label: String, nodes: [String])] {
        var result: [(label: String, nodes: [String])] = []
        var inside = false
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("subgraph cluster_") {
                inside = true
                result.append(("", []))
            } else if inside, trimmed == "}" {
                inside = false
            } else if inside, trimmed.hasPrefix("label=\"") {
                let body = trimmed.dropFirst("label=\"".count)
                let end = body.range(of: "\"; style=")?.lowerBound ?? body.endIndex
                result[result.count - 1].label = String(body[..<end])
            } else if inside, let match = trimmed.firstMatch(of: /^"([^"]*)" \[/) {
                result[result.count - 1].nodes.append(String(match.1))
            }
        }
        return result
    }

    static func unescapedQuotes(in line: String) -> Int {
        var count = 0
        var escaped = false
        for character in line {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                count += 1
            }
        }
        return count
    }
}

enum MermaidText {
    struct Edge: CustomStringConvertible {
        var from: String
        var to: String
        var description: String { "\(from)->\(to)" }
    }

    static func edges(in text: String) -> [Edge] {
        text.split(separator: "\n").compactMap { line in
            guard let match = line.firstMatch(of: /^\s*(\S+) -(?:->|\.->)(?:\|[a-z]+\|)? (\S+)$/) else { return nil }
            return Edge(from: String(match.1), to: String(match.2))
        }
    }
}
