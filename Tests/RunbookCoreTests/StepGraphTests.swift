import RunbookCore
import RunbookMarkdown
import Testing

@Suite("StepGraph")
struct StepGraphTests {
    @Test(
        "each model's graph holds its own steps and the shared ones, in document order",
        arguments: [
            ("arm", ["can-log-in", "nsg", "reset-arm", "reset-both"]),
            ("classic", ["can-log-in", "acl", "reset-both"]),
        ])
    func stepsPerModel(model: String, expected: [String]) throws {
        let runbook = try Fixture.load("models.md").runbook
        let graph = try StepGraph(runbook: runbook, model: model)
        #expect(graph.model == model)
        #expect(graph.steps.map(\.id) == expected)
        #expect(graph.verify?.id == "can-log-in")
        #expect(graph.index(of: "can-log-in") == 0)
        #expect(graph.reachable() == Set(expected.indices))
    }

    @Test("an unknown model is an error that lists the runbook's models")
    func unknownModel() throws {
        let runbook = try Fixture.load("models.md").runbook
        #expect(throws: CoreError.unknownModel("azure", runbook: "models", known: ["arm", "classic"])) {
            try StepGraph(runbook: runbook, model: "azure")
        }
        let error = CoreError.unknownModel("azure", runbook: "models", known: ["arm", "classic"])
        #expect(error.description == "unknown model 'azure' for runbook 'models'; its models are: arm, classic")
    }

    @Test("a runbook without models takes any model name and keeps every step")
    func noModels() throws {
        let runbook = load("# T\n## A\n## B {model=arm}\n").runbook
        let graph = try StepGraph(runbook: runbook, model: "")
        #expect(graph.steps.map(\.id) == ["a"], "a step limited to a model is in no unnamed model's graph")
        #expect(try StepGraph(runbook: runbook, model: "arm").steps.map(\.id) == ["a", "b"])
    }

    @Test("a verify step outside the model leaves the graph without one")
    func verifyOutsideModel() throws {
        let runbook = load(
            """
            ---
            id: v
            title: V
            models: [arm, classic]
            verify: check
            ---
            # V
            ## Check {model=arm}
            ```check tcp-connect host=a port=1
            ```
            ## Other
            """
        ).runbook
        #expect(try StepGraph(runbook: runbook, model: "arm").verify?.id == "check")
        #expect(try StepGraph(runbook: runbook, model: "classic").verify == nil)
    }

    @Test("reachable() follows on-pass and on-fail; 'stop' ends a path; manual steps go on")
    func reachable() throws {
        let text = """
            # R
            ## A
            ```check tcp-connect host=a port=1 on-pass=#c on-fail=stop
            ```
            ## B
            ## C
            ## D
            ```check tcp-connect host=a port=1 on-pass=stop on-fail=#f
            ```
            ## E
            ## F
            ## G
            """
        let graph = try StepGraph(runbook: load(text).runbook, model: "")
        #expect(graph.steps.map(\.id) == ["a", "b", "c", "d", "e", "f", "g"])
        #expect(graph.reachable() == [0, 2, 3, 5, 6])
    }

    @Test("jumps in any block of a step count; a jump to a step of another model goes on with the next step")
    func reachableAcrossBlocksAndModels() throws {
        let text = """
            ---
            id: r
            title: R
            models: [arm, classic]
            ---
            # R
            ## A
            ```check tcp-connect host=a port=1 on-pass=stop on-fail=stop
            ```
            ```check tcp-connect host=a port=1 on-pass=#c on-fail=#only-arm
            ```
            ## B
            ## Only arm {model=arm}
            ## C
            """
        let runbook = load(text).runbook
        #expect(try StepGraph(runbook: runbook, model: "arm").reachable() == [0, 2, 3])
        // In classic, A's on-fail=#only-arm names no step of the model: the run goes on with B (as the runner does).
        #expect(try StepGraph(runbook: runbook, model: "classic").reachable() == [0, 1, 2])
    }

    @Test(
        "jump and requirement text",
        arguments: [
            ("next", StepGraph.Jump.next), ("stop", .stop), ("#reset", .step("reset")),
        ])
    func jumps(text: String, jump: StepGraph.Jump) {
        #expect(StepGraph.Jump(text) == jump)
    }

    @Test("not jumps", arguments: ["", "#", "reset", "Next", " next"])
    func notJumps(text: String) {
        #expect(StepGraph.Jump(text) == nil)
    }

    @Test("requires= lists ids with or without '#', split by commas or spaces")
    func requirements() {
        #expect(StepGraph.requirements("#a,#b c") == ["a", "b", "c"])
        #expect(StepGraph.requirements(nil) == [])
    }
}

@Suite struct StepRequirementsTests {
    static let text = """
        ---
        id: req
        title: Req
        models: {arm: Resource Manager, classic: Classic}
        ---
        # Req

        ## NSG {#nsg model=arm}

        ```check command run="true"
        ```

        ## ACL {#acl model=classic}

        ```check command run="true"
        ```

        ## Port {#port}

        ```check command run="true"
        ```

        ## Login {#login requires=#nsg,#acl}

        ```check command run="true" requires=#port
        ```
        """

    @Test("requires= of the heading and of the blocks, only this model's steps, in order and once")
    func headingAndBlocks() throws {
        let runbook = Runbook.load(text: Self.text, path: "req.md").runbook
        let login = try #require(runbook.step("login"))
        #expect(try StepGraph(runbook: runbook, model: "arm").requirements(of: login) == ["nsg", "port"])
        #expect(try StepGraph(runbook: runbook, model: "classic").requirements(of: login) == ["acl", "port"])
        let edges = try StepGraph(runbook: runbook, model: "arm").edges.filter { $0.kind == .requires }
        #expect(edges.map(\.from) == ["nsg", "port"])
    }

    @Test("typed attributes: a fix target without its #, jumps, timeout and retries within their limits")
    func typedAttributes() throws {
        let runbook = Runbook.load(
            text: """
                ---
                id: attrs
                title: Attrs
                ---
                # Attrs

                ## A {#a on-fail=stop fix=#b implied-by=#x question="Done?"}

                ## C {#c}

                ```check command run="true" fix=b on-pass=#d timeout=5s retries=99 explained-by=#x,#y
                ```
                """, path: "attrs.md"
        ).runbook
        let manual = try #require(runbook.step("a"))
        #expect(manual.fixTarget == "b" && manual.onFail == .stop && manual.onPass == .next)
        #expect(manual.impliedBy == ["x"] && manual.question == "Done?")
        let block = try #require(runbook.step("c")?.blocks.first)
        #expect(block.fixTarget == "b" && block.onPass == .step("d") && block.timeout == .seconds(5))
        #expect(block.retries == RetryLimit.maximum && block.explainedBy == ["x", "y"])
    }
}
