import RunbookCore
import RunbookMarkdown
import Testing

@Suite("ShellScript")
struct ShellScriptTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var script: String
        /// `name@line:col` of every expansion.
        var references: [String]
        var assigned: Set<String> = []
        var programs: [String] = []
        var testDescription: String { script }
    }

    static let cases: [Case] = [
        Case(script: "az vm show --name \"$VM\" -g ${RG}", references: ["VM@1:20", "RG@1:28"], programs: ["az"]),
        Case(script: "echo '$A' \\$B \"\\$C\" $D", references: ["D@1:21"], programs: ["echo"]),
        Case(
            script: "x=$(az account show --query \"$Q\")\necho \"${x:-$DEF}\"",
            references: ["Q@1:30", "x@2:7", "DEF@2:12"], assigned: ["x"], programs: ["az", "echo"]),
        Case(
            script: "for f in $LIST; do sudo -n az x \"$f\"; done", references: ["LIST@1:10", "f@1:34"],
            assigned: ["f"], programs: ["az"]),
        Case(
            script: "cat <<EOF >\"$OUT\"\n$IN ${IN2}\nEOF\ncat <<-'EOF'\n\t$NOT\n\tEOF\nazure x",
            references: ["OUT@1:13", "IN@2:1", "IN2@2:5"], programs: ["cat", "azure"]),
        Case(
            script: "read -r A B; export C=1 D\nE=2 env F=3 az `which $G`", references: ["G@2:23"],
            assigned: ["A", "B", "C", "D", "E"], programs: ["read", "export", "which", "az"]),
        Case(
            script: "# $COMMENT\necho ${#LEN} $1 $? $$ \\\n  $NEXT # $AFTER", references: ["LEN@2:6", "NEXT@3:3"],
            programs: ["echo"]),
    ]

    @Test("expansions, assignments and programs", arguments: cases)
    func reads(_ testCase: Case) {
        let script = ShellScript(testCase.script)
        #expect(script.references.map { "\($0.name)@\($0.position)" } == testCase.references)
        #expect(script.assigned == testCase.assigned)
        #expect(script.programs == testCase.programs)
    }

    @Test("arguments of external commands count, builtins and functions do not")
    func argumentReferences() {
        let script = ShellScript(
            "f() { az y \"$1\"; }\nf \"$S\"\nprintf %s \"$S\" | az z @-\naz w --p=\"$S\" >\"$S_LOG\"\n[ -n \"$S\" ]")
        #expect(script.argumentReferences(to: ["S"]).map(\.position) == [at(4, 11)])
    }

    @Test("display puts values in place of plain expansions only, outside single quotes")
    func display() {
        let body = "az vm update -n \"$VM\" -g ${RG} --p \"@$PW_FILE\" '$VM' ${VM:-x} $VMS\necho \"$PW\""
        let inputs = load(
            "---\nid: d\ntitle: D\ninputs:\n  vm: {description: v}\n  rg: {description: r}\n"
                + "  pw: {description: p, secret: true}\n---\n# D\n"
        ).runbook.inputs
        let shown = FixEnvironment.display(
            body, inputs: inputs, values: ["vm": "vm1", "rg": "my group", "pw": "hunter2"])
        #expect(shown == "az vm update -n \"vm1\" -g my group --p \"@$PW_FILE\" '$VM' ${VM:-x} $VMS\necho \"***\"")
        #expect(FixEnvironment.inputs(readBy: ShellScript(body), among: inputs).map(\.name) == ["vm", "rg", "pw"])
        #expect(FixEnvironment.inputs(readBy: ShellScript("x \"@$PW_FILE\""), among: inputs).map(\.name) == ["pw"])
    }

    @Test("fixes are offered by the order of the failures that name them, then unnamed ones in document order")
    func fixOrder() throws {
        let text = """
            ---
            id: order
            title: Order
            verify: v
            ---
            # Order
            ## V {#v}
            ```check command run="false"
            ```
            ## A {#a}
            ```check command run="false" fix=#fix-a
            ```
            ## B {#b fix=#fix-b}
            ```check command run="false"
            ```
            ## C {#c}
            ```check command run="true" fix=#fix-c
            ```
            ## Fix A {#fix-a}
            ```run sh
            true
            ```
            ## Fix C {#fix-c}
            ```call other
            ```
            ## General {#general}
            ```run sh
            true
            ```
            ## Fix B {#fix-b}
            ```run sh
            true
            ```
            ## After {#after}
            ```check command run="true"
            ```
            """
        let runbook = load(text).runbook
        let graph = try StepGraph(runbook: runbook, model: "any")
        let start = try #require(graph.index(of: "fix-a"))
        let group = graph.fixGroup(at: start)
        #expect(graph.steps[group].map(\.id) == ["fix-a", "fix-c", "general", "fix-b"])
        #expect(graph.isFix(graph.steps[start + 1]), "a step named by fix= is a fix even without a run block")
        let order = graph.fixOrder(of: group, pointedTo: ["fix-b", "fix-a", "elsewhere"])
        #expect(order.offered.map(\.id) == ["fix-b", "fix-a", "general"])
        #expect(order.notNeeded.map(\.id) == ["fix-c"])
        #expect(graph.fixTargets["fix-b"] == ["b"])
    }
}
