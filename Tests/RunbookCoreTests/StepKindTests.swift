import RunbookCore
import Testing

/// What kind each step is, and the edges that follow from it: one definition in ``StepGraph``
/// (issue #13, "One definition of the step graph").
@Suite("StepGraph kinds and edges")
struct StepKindTests {
    static let text = """
        ---
        id: kinds
        title: Kinds
        models: [arm, classic]
        verify: works
        ---
        # Kinds

        ## Works {#works}

        ```call other
        ```

        ## Probe {#probe}

        ```check tcp-connect host=a port=1 fix=#hand-over on-pass=#works on-fail=#last
        ```

        ## Classic probe {#classic-probe model=classic}

        ```check tcp-connect host=a port=1 fix=#classic-fix
        ```

        ## Look {#look}

        Look at the portal.

        ## Hand over {#hand-over}

        ```call repair
        ```

        ## Classic fix {#classic-fix}

        ```call repair
        ```

        ## Restart {#restart}

        ```run sh on-pass=#last
        echo restart
        ```

        ## Ask {#ask}

        ```call other
        ```

        ## Last {#last}

        ```check tcp-connect host=a port=1
        ```
        """

    static func graph(_ model: String) throws -> StepGraph {
        try StepGraph(runbook: load(text).runbook, model: model)
    }

    @Test("verify before fix before call before manual before check")
    func precedence() throws {
        let graph = try Self.graph("classic")
        let kinds = graph.steps.map { "\($0.id):\(graph.kind(of: $0).rawValue)" }
        #expect(
            kinds == [
                "works:verify", "probe:check", "classic-probe:check", "look:manual", "hand-over:fix", "classic-fix:fix",
                "restart:fix", "ask:call", "last:check",
            ])
    }

    @Test("a step is a fix where a fix= of the model names it; the page takes the first model's kind")
    func kindsPerModel() throws {
        let runbook = load(Self.text).runbook
        #expect(try Self.graph("arm").kinds["classic-fix"] == .call, "no arm check names it")
        #expect(try Self.graph("classic").kinds["classic-fix"] == .fix)
        #expect(StepGraph.kinds(of: runbook)["classic-fix"] == .call)
        #expect(StepGraph.kinds(of: runbook)["works"] == .verify)
    }

    @Test("a jump to the verify step passes it; pass, fail and an undecided check each have their edge")
    func checkEdges() throws {
        let graph = try Self.graph("arm")
        let edges = graph.edges.filter { $0.from == "probe" && $0.isFlow }.map { "\($0.kind) \($0.to)" }
        #expect(edges == ["pass look", "fail last", "undecided look"])
    }

    @Test("a fix group goes on after itself and may resolve; its on-pass is not an edge")
    func fixEdges() throws {
        let graph = try Self.graph("arm")
        let edges = graph.edges.filter { $0.from == "restart" && $0.isFlow }.map { "\($0.kind) \($0.to)" }
        #expect(edges == ["next ask", "pass (resolved)"])
    }

    @Test("the verify step: pass is healthy, a call in it may resolve, anything else starts the walk")
    func verifyEdges() throws {
        let graph = try Self.graph("arm")
        let edges = graph.edges.filter { $0.from == "works" && $0.isFlow }.map { "\($0.kind) \($0.to)" }
        #expect(edges == ["pass (healthy)", "pass (resolved)", "fail probe", "undecided probe"])
        #expect(graph.edges.first == StepGraph.Edge(from: StepGraph.Terminal.start, to: "works", kind: .next))
    }

    @Test("lint warns about on-pass/on-fail that a run never takes: on fix steps and the verify step")
    func ignoredJumps() {
        let text = """
            ---
            id: ignored
            title: Ignored
            verify: works
            ---
            # Ignored

            ## Works {#works}

            ```check tcp-connect host=a port=1 on-fail=#last
            ```

            ## Restart {#restart}

            ```run sh on-pass=#last
            echo restart
            ```

            ## Look {#look on-pass=#last}

            A manual step's jump is taken.

            ## Last {#last}

            ```check tcp-connect host=a port=1
            ```
            """
        let ignored = lint(text).filter { $0.code == "ignored-jump" }
        #expect(ignored.map(\.location.line) == [10, 15], "\(ignored)")
        #expect(ignored.allSatisfy { $0.severity == .warning })
        #expect(ignored.first?.message == "on-fail on the verify step is ignored")
        #expect(ignored.last?.message == "on-pass on a fix step is ignored")
    }
}
