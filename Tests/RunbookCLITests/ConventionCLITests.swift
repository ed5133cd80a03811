import Foundation
import Testing

/// A knowledge base of two runbooks whose steps say which model they belong to: `alpha`
/// (default: true, models a and b, default-model b) and `beta` (models x and y, no default-model).
private func twoRunbooks() throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory()
    _ = try folder.write(
        "kb/alpha.md",
        """
        ---
        id: alpha
        title: Alpha
        models:
          a: Model A
          b: Model B
        default-model: b
        default: true
        verify: works
        ---
        # Alpha

        ## Works {#works}

        ```check command run="true"
        ```

        ## Only in a {#only-a model=a}

        Text of *only a*.

        ## Only in b {#only-b model=b}

        Text of only b.

        """)
    _ = try folder.write(
        "kb/beta.md",
        """
        ---
        id: beta
        title: Beta
        models:
          x: Model X
          y: Model Y
        verify: fine
        ---
        # Beta

        ## Fine {#fine}

        ```check command run="true"
        ```

        ## Only in x {#only-x model=x}

        Text.

        ## Only in y {#only-y model=y}

        Text.

        """)
    return folder
}

/// The runbook and model a `plan` chose, from its first line (`ID · MODEL NAME — TITLE`).
private func planned(_ result: Invocation) -> String {
    String(result.stdout.split(separator: "\n").first ?? "").components(separatedBy: " — ").first ?? ""
}

@Suite("One CLI convention", .serialized)
struct ConventionCLITests {
    @Test(
        "plan: the old forms and the unified ones choose the same runbook and model",
        arguments: [
            (["plan", "a"], "alpha · Model A"),
            (["plan", "x", "--runbook", "beta"], "beta · Model X"),
            (["plan", "beta", "y"], "beta · Model Y"),
            (["plan", "--runbook", "beta", "--model", "y"], "beta · Model Y"),
            (["plan", "beta", "--model", "y"], "beta · Model Y"),
            (["plan", "--model", "a"], "alpha · Model A"),
            (["plan"], "alpha · Model B"),
            (["plan", "alpha"], "alpha · Model B"),
            (["plan", "KB/beta.md", "x"], "beta · Model X"),
        ])
    func planForms(arguments: [String], expected: String) async throws {
        let folder = try twoRunbooks()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb").path
        let words = arguments.map { $0.replacingOccurrences(of: "KB", with: kb) }
        let result = try await runbook(words + ["--kb", kb])
        #expect(result.exitCode == 0, "\(words): \(result.stderr)")
        #expect(planned(result) == expected, "\(words): \(result.stdout)")
    }

    @Test("a runbook whose id is a model of the default runbook leaves 'plan a' meaning that model")
    func modelWinsOverRunbookID() async throws {
        let folder = try twoRunbooks()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb").path
        _ = try folder.write(
            "kb/a.md",
            "---\nid: a\ntitle: A runbook\nverify: ok\n---\n# A\n\n## OK {#ok}\n\n```check command run=\"true\"\n```\n")
        let short = try await runbook(["plan", "a", "--kb", kb])
        #expect(planned(short) == "alpha · Model A", "\(short.stdout)\(short.stderr)")
        let named = try await runbook(["plan", "--runbook", "a", "--kb", kb])
        #expect(named.stdout.hasPrefix("a · default — A runbook"), "\(named.stdout)\(named.stderr)")
    }

    @Test("run: 'run a', 'run alpha a', '--runbook alpha --model a' and 'run' (default-model) run that model")
    func runForms() async throws {
        let folder = try twoRunbooks()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb").path
        for (arguments, model) in [
            (["run", "a"], "a"), (["run", "alpha", "a"], "a"), (["run", "--runbook", "alpha", "--model", "a"], "a"),
            (["run"], "b"), (["run", "beta", "y"], "y"), (["run", "y", "--runbook", "beta"], "y"),
        ] {
            let result = try await runbook(arguments + ["--kb", kb, "--format", "json", "--non-interactive"])
            #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
            let start = try #require(result.stdout.split(separator: "\n").first)
            let event = try JSONSerialization.jsonObject(with: Data(start.utf8)) as? [String: Any]
            #expect(event?["model"] as? String == model, "\(arguments): \(start)")
        }
    }

    @Test("graph: 'graph ID --model M', 'graph ID M', default-model, else the first model")
    func graphForms() async throws {
        let folder = try twoRunbooks()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb").path
        for (arguments, shown, hidden) in [
            (["graph", "alpha", "--model", "a"], "only-a", "only-b"), (["graph", "alpha", "a"], "only-a", "only-b"),
            (["graph", "alpha"], "only-b", "only-a"), (["graph"], "only-b", "only-a"),
            (["graph", "beta"], "only-x", "only-y"),
            (["graph", "--runbook", "beta", "--model", "y"], "only-y", "only-x"),
        ] {
            let result = try await runbook(arguments + ["--kb", kb])
            #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains(shown) && !result.stdout.contains(hidden), "\(arguments): \(result.stdout)")
        }
    }

    @Test("show: every model's steps without a model, only that model's with one")
    func showForms() async throws {
        let folder = try twoRunbooks()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb").path
        let all = try await runbook(["show", "alpha", "--kb", kb])
        #expect(all.exitCode == 0, "\(all.stderr)")
        #expect(all.stdout.contains("Only in a  #only-a  [a]") && all.stdout.contains("Only in b  #only-b  [b]"))
        #expect(all.stdout.contains("models: a (Model A), b (Model B, default)"))
        for arguments in [["show", "alpha", "a"], ["show", "--runbook", "alpha", "--model", "a"], ["show", "a"]] {
            let one = try await runbook(arguments + ["--kb", kb])
            #expect(one.exitCode == 0, "\(arguments): \(one.stderr)")
            #expect(one.stdout.contains("#only-a") && !one.stdout.contains("#only-b"), "\(arguments): \(one.stdout)")
        }
    }

    @Test("the old invocations on the project's knowledge base still work")
    func oldInvocations() async throws {
        let plan = try await runbook(["plan", "classic", "--runbook", "ssh-connection"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        #expect(plan.stdout.hasPrefix("ssh-connection · Classic"))
        let graph = try await runbook(["graph", "ssh-connection", "--model", "classic"])
        #expect(graph.exitCode == 0, "\(graph.stderr)")
        #expect(graph.stdout.hasPrefix("digraph \"ssh-connection-classic\""))
        // `run arm` resolves to the default runbook's arm model: what is missing then is its input.
        let run = try await runbook(["run", "arm", "--non-interactive"])
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("missing required input 'host'"), "\(run.stderr)")
    }

    @Test(
        "choosing mistakes exit 2 with the reason and the closest names",
        arguments: [
            (
                ["plan", "beta"],
                "runbook 'beta' has the models x, y and no default-model; name one: runbook plan beta x"
            ),
            (["run", "beta"], "name one: runbook run beta x"),
            (["plan", "zzz"], "'zzz' is neither a runbook in KB nor a model of the default runbook 'alpha' (a, b)"),
            (["plan", "bata"], "did you mean 'beta'?"),
            (["plan", "alpha", "c"], "unknown model 'c' for runbook 'alpha'; its models are: a, b"),
            (["plan", "beta", "yy"], "did you mean 'y'"),
            (["plan", "alpha", "a", "extra"], "unexpected argument 'extra'"),
            (
                ["plan", "a", "--runbook", "alpha", "--model", "b"],
                "unexpected argument 'a': give runbook plan [RUNBOOK] [MODEL]"
            ),
        ])
    func mistakes(arguments: [String], message: String) async throws {
        let folder = try twoRunbooks()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb").path
        let result = try await runbook(arguments + ["--kb", kb])
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("runbook: error: "), "\(result.stderr)")
        #expect(
            result.stderr.contains(message.replacingOccurrences(of: "KB", with: kb)), "\(arguments): \(result.stderr)")
    }

    @Test("show keeps the SSH runbook's sections as headings and its prose, without Markdown fences")
    func showStructure() async throws {
        let result = try await runbook(["show", "ssh-connection"], environment: ["COLUMNS": "100"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("\nClient computer\n===============\n"), "a section is a heading")
        #expect(text.contains("\nKey files are private  #client-key-modes\n----"), "a step is a heading under it")
        let section = try #require(text.range(of: "Client computer\n==="))
        let step = try #require(text.range(of: "Key files are private  #client-key-modes"))
        #expect(section.lowerBound < step.lowerBound, "document order")
        #expect(text.contains("The SSH client ignores a private key of yours"), "the step's prose")
        #expect(text.contains("[check file-mode path=~/.ssh max=700"), "a check block under its info string")
        #expect(!text.contains("```") && !text.contains("{#"), "no raw Markdown")
        for line in text.split(separator: "\n")
        where !line.hasPrefix("[") && !line.hasPrefix("  ") && !line.contains("://") {
            #expect(line.count <= 100, "prose wraps at COLUMNS: \(line)")
        }
        let classic = try await runbook(["show", "ssh-connection", "classic"])
        #expect(classic.stdout.contains("#endpoint-acl") && !classic.stdout.contains("#nsg-allows-ssh"))
    }

    @Test("list puts the default first and marks duplicate ids and invalid runbooks")
    func list() async throws {
        let folder = try twoRunbooks()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb")
        try FileManager.default.copyItem(
            at: kb.appendingPathComponent("beta.md"), to: kb.appendingPathComponent("beta-copy.md"))
        _ = try folder.write("kb/0-broken.md", "---\nid: broken\ntitle: Broken\nmodels: 5\n---\n# Broken\n")
        let result = try await runbook(["list", "--kb", kb.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }
        #expect(lines.first?.hasPrefix("alpha (default)") == true, "\(result.stdout)")
        #expect(
            lines.contains { $0.hasPrefix("broken (invalid: runbook lint \(kb.path)/0-broken.md)") }, "\(result.stdout)"
        )
        #expect(lines.filter { $0.hasPrefix("beta (duplicate id: ") }.count == 2, "\(result.stdout)")
    }
}
