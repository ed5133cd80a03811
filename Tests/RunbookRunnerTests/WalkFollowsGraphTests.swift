import Foundation
import RunbookActions
import RunbookCore
import Synchronization
import Testing

@testable import RunbookRunner

/// The runner only ever moves along edges that ``StepGraph`` draws (issue #13, "One definition of
/// the step graph").
///
/// Every runbook of `Runbooks/` and every Markdown fixture of the lint tests that loads, for each
/// model, runs through the real ``Runner`` many times with seeded outcomes: every check passes,
/// fails, errs or is skipped, every prompt consents or declines and answers a manual step done,
/// failed or skipped, inputs are given or left out, and fixes run (through a stub `sh` that exits 0
/// or 1) with `--yes`, at a prompt, without a terminal or as a dry run. Each move the walk makes
/// (from a step or the start to a step or a terminal) must be a flow edge of the model's graph.
@Suite("the runner walks the graph's edges", .serialized)
struct WalkFollowsGraphTests {
    /// Runs per runbook and model.
    static let seeds = 64
    /// Runs at once (the cases run one after the other): the machine is shared, and fixes start
    /// processes.
    static let width = 16

    /// Runbooks the corpus lacks: jumps on manual steps, on the verify step and on fix steps, a
    /// jump to a step of another model and to the verify step, a verify step with a `call`, a call
    /// named by `fix=`, requirements, and a fix group entered in its middle.
    static let edgeCases = [
        #"""
        ---
        id: edge-manual
        title: Manual jumps
        models: [arm, classic]
        inputs:
          host: { description: host }
        verify: works
        ---
        # Manual jumps
        ## First look {#look on-pass=#deep on-fail=#fix-b}
        Look at the portal.
        ## Quick check {#quick}
        ```check tcp-connect host={{host}} port=22 on-pass=#only-classic on-fail=#works
        ```
        ## Only classic {#only-classic model=classic}
        ```check tcp-connect host={{host}} port=22 fix=#fix-a
        ```
        ## It works {#works}
        ```check tcp-connect host={{host}} port=22 on-fail=stop
        ```
        ## Deep {#deep requires=#quick}
        ```check dns-resolve host={{host}} on-pass=stop fix=#fix-b
        ```
        ```check tcp-connect host={{host}} port=22 on-fail=#hand fix=#fix-a
        ```
        ## Fix A {#fix-a}
        ```run sh on-pass=#hand
        echo a
        ```
        ## Fix B {#fix-b}
        ```run sh on=vm
        echo b
        ```
        ## Hand over {#hand}
        ```call edge-callee
        ```
        ## Last {#last on-fail=stop}
        Ask the owner.
        """#,
        #"""
        ---
        id: edge-callee
        title: Called
        verify: ok
        ---
        # Called
        ## OK {#ok}
        ```call edge-leaf
        ```
        ## Probe {#probe fix=#leaf-fix}
        ```check dns-resolve host=example.invalid on-fail=#leaf-fix
        ```
        ## Middle {#middle}
        Check the logs.
        ## Leaf fix {#leaf-fix}
        ```call edge-leaf
        ```
        ## Restart {#restart}
        ```run sh
        echo restart
        ```
        """#,
        #"""
        ---
        id: edge-leaf
        title: Leaf
        ---
        # Leaf
        ## Probe {#leaf-probe}
        ```check dns-resolve host=example.invalid on-pass=#leaf-end
        ```
        ## Repair {#repair}
        ```run sh
        echo repair
        ```
        ## End {#leaf-end}
        Done.
        """#,
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        var path: String
        var runbook: Runbook
        var testDescription: String { (path as NSString).lastPathComponent }
    }

    /// Every runbook of `Runbooks/`, the Markdown fixtures of the lint tests (core and site) that
    /// load without an error, and the edge cases above.
    static let cases: [Case] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        var files = KnowledgeBase.markdownFiles(in: root + "/Runbooks")
        files += KnowledgeBase.markdownFiles(in: root + "/Tests/RunbookCoreTests/Fixtures")
        files += KnowledgeBase.markdownFiles(in: root + "/Tests/RunbookSiteTests/Fixtures")
        var cases: [Case] = []
        for file in files {
            guard let text = try? KnowledgeBase.readRunbookFile(file) else { continue }
            let (runbook, diagnostics) = Runbook.load(text: text, path: file)
            guard !runbook.steps.isEmpty, !diagnostics.contains(where: { $0.severity == .error }) else { continue }
            cases.append(Case(path: file, runbook: runbook))
        }
        for (number, text) in edgeCases.enumerated() {
            cases.append(
                Case(path: "edge-case-\(number + 1).md", runbook: Runbook.load(text: text, path: "edge.md").runbook))
        }
        return cases
    }()

    static let knowledgeBase: [String: Runbook] = Dictionary(
        cases.map { ($0.runbook.id, $0.runbook) }, uniquingKeysWith: { first, _ in first })

    @Test("the corpus is there: every runbook of Runbooks/ and the lint fixtures take part")
    func corpus() {
        let names = Set(Self.cases.map(\.testDescription))
        #expect(
            names.isSuperset(of: [
                "ssh-connection.md", "rdp-connection.md", "reset-access.md", "blocks.md", "models.md",
            ]),
            "\(names.sorted())")
        #expect(Self.cases.count >= 15, "\(names.sorted())")
    }

    @Test("every move of the walk is an edge of the graph", arguments: cases)
    func movesAreEdges(_ item: Case) async throws {
        let stubs = try StubTools()
        defer { stubs.remove() }
        let models = item.runbook.models.isEmpty ? [""] : item.runbook.models.map(\.id)
        var taken: Set<String> = []
        var flowEdges: Set<String> = []
        for model in models {
            let graph = try StepGraph(runbook: item.runbook, model: model)
            flowEdges.formUnion(graph.edges.filter(\.isFlow).map { "\(model):\($0)" })
            var walks: [Walk] = []
            for batch in stride(from: 0, to: Self.seeds, by: Self.width) {
                walks += await withTaskGroup(of: Walk.self) { group in
                    for seed in batch..<min(batch + Self.width, Self.seeds) {
                        group.addTask { await Self.walk(graph, seed: UInt64(seed), stubs: stubs) }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            for walk in walks {
                let trace = walk.moves.map { "\($0.from) -\($0.kind)-> \($0.to)" }.joined(separator: ", ")
                for move in walk.moves {
                    #expect(
                        graph.edges.contains(move),
                        "\(model) seed \(walk.seed): the run went \(move.from) -\(move.kind)-> \(move.to), which the graph does not draw; walk: \(trace)"
                    )
                    taken.insert("\(model):\(move)")
                }
                // The moves are the whole walk: each starts where the last ended (a fix that
                // resolved ends the walk from its own step), and the walk ends at a terminal.
                for (before, move) in zip(walk.moves, walk.moves.dropFirst())
                where move.to != StepGraph.Terminal.resolved {
                    #expect(
                        move.from == before.to, "\(model) seed \(walk.seed): the walk jumped without a move: \(trace)")
                }
                #expect(walk.moves.first?.from == StepGraph.Terminal.start, "\(trace)")
                #expect(walk.moves.last.map { $0.to.hasPrefix("(") } == true, "\(model) seed \(walk.seed): \(trace)")
                // Every step of this runbook that ran (not a called one's, not one jumped over)
                // is a step the walk moved to.
                let reached = Set(walk.moves.map(\.to))
                for step in walk.ranSteps where !reached.contains(step) {
                    Issue.record(
                        "\(model) seed \(walk.seed): step \(step) ran but the walk never moved to it: \(trace)")
                }
            }
        }
        // The seeds reach most of the graph, so the property is about real walks.
        let coverage = Double(taken.count) / Double(max(1, flowEdges.count))
        #expect(
            coverage >= 0.5,
            "only \(taken.count) of \(flowEdges.count) flow edges taken: \(flowEdges.subtracting(taken).sorted())")
    }

    struct Walk: Sendable {
        var seed: UInt64
        var moves: [StepGraph.Edge]
        var ranSteps: [String]
    }

    /// One run of `graph` with the outcomes `seed` draws.
    static func walk(_ graph: StepGraph, seed: UInt64, stubs: StubTools) async -> Walk {
        let dice = Dice(
            seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ graph.model.utf8.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) })
        var inputs: [String: String] = [:]
        var secrets: Set<String> = []
        for input in knowledgeBase.values.flatMap(\.inputs) where dice.roll(5) != 0 {
            inputs[input.name] = "value-\(input.name)"
            if input.secret { secrets.insert(input.name) }
        }
        let environment = ["PATH": stubs.path, "STUB_EXIT": dice.roll(2) == 0 ? "0" : "1"]
        let mode = dice.roll(4)
        let options = RunOptions(
            inputs: inputs, secretInputs: secrets, assumeYes: mode == 0, dryRun: mode == 3,
            interactive: mode == 1 || mode == 3, vm: dice.roll(3) == 0 ? nil : LocalExecutor(environment: environment),
            vmSpec: "local", defaultTimeout: .seconds(5), environment: environment)
        let registry = ActionRegistry(
            ActionRegistry.builtIn.actions.values.map { SeededAction(schema: $0.schema, dice: dice) })
        let runner = Runner(
            graph: graph, registry: registry, knowledgeBase: knowledgeBase, options: options,
            prompter: SeededPrompter(dice: dice), runID: "walk-\(seed)")
        let recorder = Recorder()
        let hub = EventHub(
            sinks: [recorder], redactor: Redactor(secretValues: secrets.compactMap { inputs[$0] }),
            context: EventContext(runbook: graph.runbook, modelName: graph.model))
        var state = RunState()
        _ = await runner.walk(&state, hub: hub)
        let ran = await recorder.steps().filter { event in
            guard let step = event.step, !step.contains("/"), step != graph.verify?.id else { return false }
            return event.reason?.hasPrefix("jumped over") != true
        }.compactMap(\.step)
        return Walk(seed: seed, moves: state.moves, ranSteps: ran)
    }
}

/// A seeded generator (SplitMix64) that the actions and the prompter of one run share.
final class Dice: Sendable {
    private let state: Mutex<UInt64>

    init(seed: UInt64) { state = Mutex(seed) }

    /// A number in `0..<sides`.
    func roll(_ sides: Int) -> Int {
        let value = state.withLock { state in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Int(value % UInt64(sides))
    }
}

/// A built-in action's schema with an outcome the dice choose.
struct SeededAction: CheckAction {
    let schema: ActionSchema
    let dice: Dice

    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        switch dice.roll(4) {
        case 0: .pass("seeded pass")
        case 1: .fail("seeded fail")
        case 2: .error("seeded error")
        default: .skipped("seeded skip")
        }
    }
}

/// Consents and answers manual steps as the dice say.
struct SeededPrompter: Prompter {
    let dice: Dice

    func consent(to step: String, title: String, script: String) async -> Bool { dice.roll(2) == 0 }

    func manualOutcome(_ question: ManualQuestion) async -> ManualAnswer {
        [ManualAnswer.done, .failed, .skipped][dice.roll(3)]
    }
}

/// A folder for PATH holding `sh` (reads the script, exits `$STUB_EXIT`), `az` and `azure` (exit 0),
/// so that fixes run without changing anything on this machine.
struct StubTools: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("walk-stubs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let scripts = [
            "sh": "#!/bin/sh\n/bin/cat >/dev/null\nexit \"${STUB_EXIT:-1}\"\n",
            "az": "#!/bin/sh\nexit 0\n",
            "azure": "#!/bin/sh\nexit 0\n",
        ]
        for (name, script) in scripts {
            let file = path + "/" + name
            try script.write(toFile: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
