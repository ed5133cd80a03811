import Foundation
import Testing

/// `plan`, `graph` and the rendered page name the same kind for every step (issue #13: a verify
/// step with a `call` block was `verify` in the graph and `[call]` in `plan`; a call that a `fix=`
/// names was `fix` to the runner, `call` in the graph, on the page and in `plan`).
@Suite("step kinds agree in plan, graph and page")
struct StepKindCLITests {
    static let main = """
        ---
        id: main
        title: Main
        models: [arm]
        verify: works
        ---
        # Main

        ## Works {#works}

        ```call other
        ```

        ## Probe {#probe}

        ```check tcp-connect host=127.0.0.1 port=1 fix=#hand-over
        ```

        ## Look {#look}

        Look at the portal.

        ## Hand over {#hand-over}

        ```call other
        ```

        ## Restart the service {#restart-service}

        ```run sh
        systemctl restart example
        ```

        ## Escalate {#escalate}

        ```call other model=arm
        ```

        ## Still broken {#still-broken .symptom}

        ```check dns-resolve host=localhost
        ```
        """

    static let other = """
        ---
        id: other
        title: Other
        verify: other-ok
        ---
        # Other

        ## OK {#other-ok}

        ```check tcp-connect host=127.0.0.1 port=1
        ```
        """

    static let expected = [
        "works": "verify", "probe": "check", "look": "manual", "hand-over": "fix", "restart-service": "fix",
        "escalate": "call", "still-broken": "check",
    ]

    @Test("a verify step with a call is verify, a call named by fix= is fix, in all three")
    func kindsAgree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("main.md", Self.main)
        _ = try directory.write("other.md", Self.other)
        let kb = directory.url.path

        let plan = try await runbook(["plan", "arm", "--kb", kb, "--runbook", "main"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        var planKinds: [String: String] = [:]
        for line in plan.stdout.split(separator: "\n") {
            // "  1. [verify] works — Works"
            guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]") else { continue }
            let id = line[line.index(after: close)...].split(separator: " ").first.map(String.init) ?? ""
            planKinds[id] = String(line[line.index(after: open)..<close])
        }

        let graph = try await runbook(["graph", "main", "--kb", kb, "--model", "arm", "--format", "dot"])
        #expect(graph.exitCode == 0, "\(graph.stderr)")
        var graphKinds: [String: String] = [:]
        for line in graph.stdout.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            // A node line ("id" [label=…); an edge line has "->" after the id.
            guard text.hasPrefix("\""), let end = text.dropFirst().firstIndex(of: "\""),
                text[text.index(after: end)...].hasPrefix(" [label=")
            else { continue }
            let id = String(text[text.index(after: text.startIndex)..<end])
            graphKinds[id] =
                text.contains("shape=hexagon")
                ? "fix"
                : text.contains("shape=note")
                    ? "manual"
                    : text.contains("shape=component") ? "call" : text.contains("bold") ? "verify" : "check"
        }

        let page = try await runbook(["render", file.path])
        #expect(page.exitCode == 0, "\(page.stderr)")
        var pageKinds: [String: String] = [:]
        for id in Self.expected.keys {
            guard let heading = page.stdout.range(of: "id=\"\(id)\">"),
                let close = page.stdout[heading.upperBound...].range(of: "</h2>")
            else { continue }
            let badges = page.stdout[heading.upperBound..<close.lowerBound]
            let kinds = ["verify", "check", "fix", "manual", "call"].filter {
                badges.contains("class=\"badge badge-\($0)\"")
            }
            pageKinds[id] = kinds.joined(separator: "+")
        }

        #expect(planKinds.filter { Self.expected[$0.key] != nil } == Self.expected, "plan: \(plan.stdout)")
        #expect(graphKinds == Self.expected, "graph: \(graph.stdout)")
        #expect(pageKinds == Self.expected, "page kinds: \(pageKinds)")
    }
}
