import RunbookCore
import RunbookMarkdown
import Testing

@Suite("Executable blocks")
struct BlockTests {
    @Test("a check line: action, arguments with exact locations, block attributes apart")
    func checkLine() throws {
        let (runbook, diagnostics) = try Fixture.load("blocks.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let block = try #require(runbook.step("can-log-in")?.blocks.first)
        #expect(block.kind == .check(action: "tcp-connect"))
        #expect(block.actionName == "tcp-connect")
        #expect(block.id == "port-open")
        #expect(block.location == at(14, 1))
        #expect(block.targetLocation == at(14, 10))
        #expect(block.arguments.map(\.key) == ["host", "port"])
        #expect(block.arguments.map(\.value) == ["{{host}}", "{{port}}"])
        #expect(block.arguments.map(\.location) == [at(14, 22), at(14, 36)])
        #expect(
            block.attributes.mapValues(\.value) == [
                "timeout": "5s", "retries": "2", "on-fail": "next", "finding": "Nothing listens on the port",
                "id": "port-open",
            ])
        #expect(block.attributes["timeout"]?.location == at(14, 50))
        #expect(block.attributes["retries"]?.location == at(14, 61))
        #expect(block.attributes["on-fail"]?.location == at(14, 71))
        #expect(block.attributes["finding"]?.location == at(14, 84))
        #expect(block.attribute("finding") == "Nothing listens on the port")
    }

    @Test("YAML body arguments follow the line's; step attributes are merged under the block's")
    func yamlBodyAndMergedAttributes() throws {
        let runbook = try Fixture.load("blocks.md").runbook
        let step = try #require(runbook.step("config-file"))
        #expect(step.attributes.mapValues(\.value) == ["on-fail": "#reset", "requires": "#can-log-in"])
        #expect(step.blocks.map(\.id) == ["config-file", "config-file-2", "config-file-3"])
        let fileMode = step.blocks[0]
        #expect(fileMode.kind == .check(action: "file-mode"))
        #expect(fileMode.arguments.map(\.key) == ["max", "path", "missing"])
        #expect(fileMode.arguments.map(\.value) == ["600", "/etc/ssh/sshd_config", "pass"])
        #expect(fileMode.arguments.map(\.location) == [at(19, 20), at(20, 1), at(21, 1)])
        #expect(fileMode.argument("path")?.value == "/etc/ssh/sshd_config")
        #expect(fileMode.attributes["timeout"]?.value == "2s", "a block attribute in the body is not an argument")
        #expect(fileMode.attributes["timeout"]?.location == at(22, 1))
        #expect(fileMode.attribute("on-fail") == "#reset", "inherited from the heading")
        #expect(fileMode.attribute("requires") == "#can-log-in")
        #expect(fileMode.body == "path: /etc/ssh/sshd_config\nmissing: pass\ntimeout: 2s\n")
        let banner = step.blocks[1]
        #expect(banner.attribute("on-fail") == "next", "the fence line overrides the heading")
        #expect(banner.attributes["on-fail"]?.location == at(25, 35))
        #expect(banner.attribute("requires") == "#can-log-in")
    }

    @Test("a fence indented in a list item: body argument columns in the file")
    func indentedBody() throws {
        let runbook = try Fixture.load("blocks.md").runbook
        let block = try #require(runbook.step("config-file")?.blocks.last)
        #expect(block.kind == .check(action: "dns-resolve"))
        #expect(block.location == at(34, 4))
        #expect(block.targetLocation == at(34, 13))
        #expect(block.classes == ["symptom"])
        #expect(block.attributes["fix"]?.value == "#reset")
        #expect(block.attributes["fix"]?.location == at(34, 34))
        #expect(block.arguments.map(\.key) == ["host"])
        #expect(block.arguments.first?.value == "{{host}}")
        #expect(block.arguments.first?.location == at(35, 4))
    }

    @Test("run and call blocks; documentation fences are not blocks")
    func runAndCall() throws {
        let runbook = try Fixture.load("blocks.md").runbook
        let reset = try #require(runbook.step("reset"))
        #expect(reset.blocks.map(\.kind) == [.run(shell: "sh"), .call(runbook: "reset-access")])
        #expect(reset.blocks.map(\.id) == ["reset", "reset-2"])
        #expect(reset.blocks[0].body == "systemctl restart sshd\n")
        #expect(reset.blocks[0].arguments.isEmpty)
        #expect(reset.blocks[1].arguments.map(\.key) == ["model"])
        #expect(reset.blocks[1].argument("model")?.location == at(44, 22))
        #expect(reset.blocks[1].targetLocation == at(44, 9))
        #expect(reset.isFix)
        #expect(runbook.step("config-file")?.isFix == false)
        #expect(runbook.steps.flatMap(\.blocks).count == 6, "the bash fence is documentation")
        #expect(runbook.isExecutable)
        #expect(reset.blocks.map(\.kind.word) == ["run", "call"])
    }

    @Test("the fixture lints clean against the built-in actions")
    func fixtureLints() throws {
        let runbook = try Fixture.load("blocks.md").runbook
        #expect(Linter.lint(runbook, schemas: schemas).map(\.summary) == [])
        let callee = load("---\nid: reset-access\ntitle: Reset\nmodels: [arm, classic]\n---\n# Reset\n").runbook
        #expect(Linter.lint(runbook, schemas: schemas, knowledgeBase: ["reset-access": callee]).isEmpty)
    }

    @Test("quoted values keep spaces and the other quote character")
    func quotedValues() throws {
        let text = """
            # T
            ```check command run="grep -c 'PasswordAuthentication no' /etc/ssh/sshd_config" finding='Says "no"' retries=1
            ```
            """
        let (runbook, diagnostics) = load(text)
        #expect(diagnostics.isEmpty)
        let block = try #require(runbook.steps.first?.blocks.first)
        #expect(block.argument("run")?.value == "grep -c 'PasswordAuthentication no' /etc/ssh/sshd_config")
        #expect(block.attribute("finding") == #"Says "no""#)
        #expect(block.attributes["finding"]?.location == at(2, 81))
        #expect(block.attributes["retries"]?.location == at(2, 101))
    }

    @Test("a backslash-escaped quote on the fence line is kept, and later columns stay right")
    func escapedQuoteOnFenceLine() throws {
        let text = #"""
            # T
            ```check tcp-connect host=a finding="Says \"no\"" port=22
            ```
            """#
        let (runbook, diagnostics) = load(text)
        let block = try #require(runbook.steps.first?.blocks.first)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(block.attribute("finding") == #"Says "no""#)
        #expect(block.argument("port")?.location == at(2, 51))
    }

    @Test(
        "executable blocks outside a step are errors at the info string",
        arguments: [
            (
                "# T\n\nIntro.\n\n```check tcp-connect host=a port=1\n```\n\n## Step\n",
                "5:4 error block-outside-step", "'check' block in a section's introduction belongs to no step"
            ),
            (
                "```run sh\necho\n```\n\n# T\n", "1:4 error block-outside-step",
                "'run' block in the text before the first heading belongs to no step"
            ),
            (
                "Text.\n\n```call other\n```\n", "3:4 error block-outside-step",
                "'call' block in a file without headings belongs to no step"
            ),
            (
                "# T\n\n1. Item\n\n   ```check a\n   ```\n\n## S\n", "5:7 error block-outside-step",
                "'check' block in a section's introduction"
            ),
        ])
    func blockOutsideStep(text: String, expected: String, message: String) throws {
        let diagnostics = load(text).diagnostics
        #expect(diagnostics.map(\.summary) == [expected])
        #expect(diagnostics.first?.message.contains(message) == true, "\(diagnostics)")
        #expect(diagnostics.first?.note == "move it under a heading without sub-headings")
    }

    @Test("a documentation fence in a section's introduction is fine")
    func documentationFenceInIntroduction() {
        #expect(load("# T\n\n```bash\necho\n```\n\n## Step\n").diagnostics.isEmpty)
    }

    @Test("an unterminated check fence is an error at its start; the block is still read")
    func unterminatedCheck() throws {
        let text = "# T\n\n## Step\n\n```check tcp-connect host=a port=22\n\n## Next\n"
        let (runbook, diagnostics) = load(text, path: "open.md")
        #expect(diagnostics.map(\.summary) == ["5:1 error unterminated-fence"])
        #expect(
            diagnostics.first?.message == "code fence is never closed; everything after it became part of the block")
        #expect(diagnostics.first?.description.hasPrefix("open.md:5:1: error: code fence is never closed") == true)
        #expect(runbook.steps.map(\.id) == ["step"], "the next heading was swallowed")
    }

    @Test("an unterminated documentation fence is only a warning")
    func unterminatedDocumentation() {
        #expect(load("# T\n\n```bash\necho\n").diagnostics.map(\.summary) == ["3:1 warning unterminated-fence"])
        #expect(load("# T\n\n## S\n\n```bash\necho\n").diagnostics.map(\.summary) == ["5:1 warning unterminated-fence"])
    }

    @Test(
        "problems on the fence line are errors with their position",
        arguments: [
            ("```check\n```", "3:4 error missing-target", "'check' needs an action name"),
            ("```run\n```", "3:4 error missing-target", "'run' needs a shell (sh, bash)"),
            ("```call   \n```", "3:4 error missing-target", "'call' needs a runbook id"),
            (
                "```check tcp-connect extra host=a port=1\n```", "3:22 error unexpected-word",
                "unexpected 'extra': arguments are written key=value"
            ),
            ("```check tcp-connect finding=\"open\n```", "3:22 error bad-attribute", "unterminated quoted value"),
            ("```check tcp-connect =x\n```", "3:22 error bad-attribute", "attribute value without a name"),
            (
                "```check file-mode\n- a\n- b\n```", "4:1 error bad-body",
                "a check's body must be YAML 'key: value' lines"
            ),
            ("```check file-mode\npath: [a\nmax: 1\n```", "5:4 error bad-body", "invalid YAML"),
        ])
    func fenceLineErrors(fence: String, expected: String, message: String) throws {
        let (runbook, diagnostics) = load("# T\n\n\(fence)\n")
        #expect(diagnostics.map(\.summary) == [expected], "\(fence)")
        #expect(diagnostics.first?.message.contains(message) == true, "\(diagnostics)")
        if expected.contains("missing-target") {
            #expect(diagnostics.first?.note?.hasPrefix("for example '") == true)
            #expect(runbook.steps.first?.blocks.isEmpty == true)
        }
    }

    @Test("a run block's body is never read as YAML arguments")
    func runBodyNotYAML() throws {
        let (runbook, diagnostics) = load("# T\n\n```run bash\nkey: value\n- [unbalanced\n```\n")
        #expect(diagnostics.isEmpty)
        let block = try #require(runbook.steps.first?.blocks.first)
        #expect(block.arguments.isEmpty)
        #expect(block.body == "key: value\n- [unbalanced\n")
    }

    @Test("block ids: the step id, then -2, -3; an explicit id= does not shift the count")
    func blockIDs() {
        let text = "# Probe\n\n```check a\n```\n```check b id=named\n```\n```check c\n```\n"
        let runbook = load(text).runbook
        #expect(runbook.steps.first?.blocks.map(\.id) == ["probe", "named", "probe-3"])
    }

    @Test("a check line with a backtick is not a fence; it is an error where it starts, with the remedy")
    func backtickBreaksFence() throws {
        let text =
            "---\nid: t\ntitle: T\nverify: s\n---\n# T\n\n## S {#s}\n\n```check command run=\"test `id -u` = 0\"\n```\n"
        let (runbook, diagnostics) = load(text)
        #expect(runbook.step("s")?.blocks.isEmpty == true, "cmark read a paragraph, not a fence")
        let broken = try #require(diagnostics.first { $0.code == "broken-fence" })
        #expect(broken.severity == .error)
        #expect(broken.location == SourceLocation(line: 10, column: 1))
        #expect(broken.note?.contains("~~~") == true)
    }
}
