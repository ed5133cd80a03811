import RunbookCore
import RunbookMarkdown
import Testing

/// A runbook that lints clean, lines 1-14; a case appends its own lines from line 15.
private let header = """
    ---
    id: lint-case
    title: Lint case
    models: {arm: Resource Manager, classic: Classic}
    inputs:
      host: { description: Host, required: true }
      password: { description: Secret, secret: true }
    verify: can-log-in
    ---
    # Lint case
    ## Log in {#can-log-in}
    ```check tcp-connect host={{host}} port=22
    ```


    """

/// One lint rule at work: the lines after the header, and what lint must say about them.
struct LintCase: Sendable, CustomTestStringConvertible {
    var name: String
    var body: String
    /// `line:col severity code` of every diagnostic, in order.
    var expected: [String]
    /// Text the first diagnostic's message must contain.
    var message: String
    /// Text the first diagnostic's note must contain, if any.
    var note: String?

    var testDescription: String { name }

    static let all: [LintCase] = [
        LintCase(
            name: "unknown action, with a suggestion",
            body: "## Port\n```check tcp-conect host={{host}} port=22\n```\n",
            expected: ["16:10 error unknown-action"], message: "unknown check action 'tcp-conect'",
            note: "did you mean 'tcp-connect'?"),
        LintCase(
            name: "unknown action, far from every name",
            body: "## Port\n```check xyzzy-frobnicate\n```\n",
            expected: ["16:10 error unknown-action"], message: "unknown check action 'xyzzy-frobnicate'",
            note: "see 'runbook actions' for the list"),
        LintCase(
            name: "unknown argument, with a suggestion",
            body: "## Port\n```check tcp-connect host={{host}} port=22 prot=1\n```\n",
            expected: ["16:44 error unknown-argument"], message: "'tcp-connect' has no argument 'prot'",
            note: "did you mean 'port'?"),
        LintCase(
            name: "unknown argument in a YAML body",
            body: "## Port\n```check tcp-connect host={{host}} port=22\nhots: x\n```\n",
            expected: ["17:1 error unknown-argument"], message: "'tcp-connect' has no argument 'hots'",
            note: "did you mean 'host'?"),
        LintCase(
            name: "missing required argument",
            body: "## Port\n```check tcp-connect host={{host}}\n```\n",
            expected: ["16:10 error missing-argument"], message: "'tcp-connect' needs argument 'port' (TCP port)"),
        LintCase(
            name: "timeout that is not a duration",
            body: "## Port\n```check tcp-connect host={{host}} port=22 timeout=5x\n```\n",
            expected: ["16:44 error bad-value"],
            message: "timeout: '5x' is not a duration of at most a day (write 500ms, 5s, 2m or 1h)"),
        LintCase(
            name: "port 0",
            body: "## Port\n```check tcp-connect host={{host}} port=0\n```\n",
            expected: ["16:36 error bad-value"], message: "port: '0' is not a port (1-65535)"),
        LintCase(
            name: "negative retries",
            body: "## Port\n```check tcp-connect host={{host}} port=22 retries=-1\n```\n",
            expected: ["16:44 error bad-value"], message: "retries: '-1' is not a whole number"),
        LintCase(
            name: "bad mode and bad choice",
            body: "## Modes\n```check file-mode path=~/.ssh max=800 missing=maybe\n```\n",
            expected: ["16:32 error bad-value", "16:40 error bad-value"],
            message: "max: '800' is not an octal file mode such as 600"),
        LintCase(
            name: "a placeholder's value is not type-checked",
            body: "## Port\n```check tcp-connect host={{host}} port={{host}}\n```\n",
            expected: [], message: ""),
        LintCase(
            name: "undeclared model on a step",
            body: "## Port {model=azure}\n",
            expected: ["15:1 error undeclared-model"], message: "model 'azure' is not declared",
            note: "declared models: arm, classic"),
        LintCase(
            name: "undeclared model on a section, reported once for its children",
            body: "## Network {model=azure}\n### Inbound\n### Outbound\n",
            expected: ["15:1 error undeclared-model"], message: "model 'azure' is not declared"),
        LintCase(
            name: "undeclared input in a placeholder",
            body: "## Port\n```check tcp-connect host={{hots}} port=22\n```\n",
            expected: ["16:22 error undeclared-input"], message: "input 'hots' is not declared",
            note: "did you mean 'host'?"),
        LintCase(
            name: "optional placeholder of an undeclared input",
            body: "## Port\n```check tcp-connect host={{nothing-like-it?}} port=22\n```\n",
            expected: ["16:22 error undeclared-input"], message: "input 'nothing-like-it' is not declared",
            note: "declare it under 'inputs:' in the front matter"),
        LintCase(
            name: "secret input in an argument",
            body: "## Login\n```check command run=\"sshpass -p {{password}} ssh {{host}}\"\n```\n",
            expected: ["16:18 error secret-in-argument"],
            message: "secret input 'password' is used in argument 'run', which is logged",
            note: "pass secrets to 'run' blocks"),
        LintCase(
            name: "jump to a missing step",
            body: "## Port\n```check tcp-connect host={{host}} port=22 on-fail=#nowhere\n```\n",
            expected: ["16:44 error unknown-step"], message: "on-fail jumps to '#nowhere', which does not exist"),
        LintCase(
            name: "backward jump",
            body: "## Port\n```check tcp-connect host={{host}} port=22 on-pass=#can-log-in\n```\n",
            expected: ["16:44 error backward-jump"],
            message: "on-pass jumps back to '#can-log-in'; jumps may only go forward"),
        LintCase(
            name: "jump to the step itself",
            body: "## Port\n```check tcp-connect host={{host}} port=22 on-fail=#port\n```\n",
            expected: ["16:44 error backward-jump"], message: "on-fail jumps back to '#port'"),
        LintCase(
            name: "jump that is not a jump",
            body: "## Port\n```check tcp-connect host={{host}} port=22 on-fail=somewhere\n```\n",
            expected: ["16:44 error bad-jump"], message: "on-fail: 'somewhere' is not '#step-id', 'next' or 'stop'"),
        LintCase(
            name: "jump on a manual step's heading",
            body: "## Manual {on-pass=#gone}\n",
            expected: ["15:12 error unknown-step"], message: "on-pass jumps to '#gone', which does not exist"),
        LintCase(
            name: "requires a later step",
            body: "## Port\n```check tcp-connect host={{host}} port=22 requires=#later\n```\n## Later\n",
            expected: ["16:44 error backward-jump"],
            message: "requires '#later', which comes later; a step can only require earlier steps"),
        LintCase(
            name: "requires a missing step",
            body: "## Port\n```check tcp-connect host={{host}} port=22 requires=#can-log-in,#gone\n```\n",
            expected: ["16:44 error unknown-step"], message: "requires '#gone', which does not exist"),
        LintCase(
            name: "explained-by names a missing step",
            body:
                "## Port {explained-by=#sshd-down}\n```check tcp-connect host={{host}} port=22\n```\n## sshd {#sshd-running}\n",
            expected: ["15:10 error unknown-step"], message: "explained-by names '#sshd-down', which does not exist"),
        LintCase(
            name: "input inside a -c script",
            body: "## Port\n```check command run=\"bash -c 'echo {{host}}'\"\n```\n",
            expected: ["16:18 warning input-in-script"],
            message: "input 'host' is inside a shell script (-c): its value would run as shell code"),
        LintCase(
            name: "input passed after a -c script is fine",
            body: "## Port\n```check command run=\"bash -c 'echo $1' x {{host}}\"\n```\n",
            expected: [], message: ""),
        LintCase(
            name: "fix names a missing step",
            body: "## Port\n```check tcp-connect host={{host}} port=22 fix=#reste\n```\n## Reset\n",
            expected: ["16:44 error unknown-step"], message: "fix names '#reste', which does not exist",
            note: "did you mean 'reset'?"),
        LintCase(
            name: "unreachable step",
            body: """
                ## Port
                ```check tcp-connect host={{host}} port=22 on-pass=#fix on-fail=#fix
                ```
                ## Skipped
                ## Fix

                """,
            expected: ["18:1 error unreachable"], message: "step 'skipped' cannot be reached in model 'arm'",
            note: "an earlier on-pass/on-fail jumps over it on every path"),
        LintCase(
            name: "duplicate block id",
            body: "## Port\n```check tcp-connect host={{host}} port=22 id=can-log-in\n```\n",
            expected: ["16:1 error duplicate-id"], message: "duplicate block id 'can-log-in'",
            note: "first used at lint.md:12:1"),
        LintCase(
            name: "unknown step attribute",
            body: "## Port {colour=red}\n",
            expected: ["15:10 warning unknown-attribute"], message: "unknown step attribute 'colour'"),
        LintCase(
            name: "explains with messages is clean",
            body: "## Port {explains=\"Connection refused|Permission denied (publickey)\"}\n",
            expected: [], message: ""),
        LintCase(
            name: "explains with an empty message",
            body: "## Port {explains=\"Connection refused||No route to host\"}\n",
            expected: ["15:10 error bad-value"], message: "explains: an empty message"),
        LintCase(
            name: "explains with nothing to search for",
            body: "## Port {explains=\"...\"}\n",
            expected: ["15:10 error bad-value"], message: "explains: '...' has no words to search for"),
        LintCase(
            name: "explains on a section",
            body: "## Network {explains=\"No route to host\"}\n### Inbound\n",
            expected: ["15:13 error explains-on-section"],
            message: "explains= belongs on a step (a heading without sub-headings); 'network' is a section"),
        LintCase(
            name: "unknown shell",
            body: "## Fix\n```run fish\necho\n```\n",
            expected: ["16:8 warning unknown-shell"], message: "'run fish': shell not one of sh, bash, zsh"),
        LintCase(
            name: "argument on a run block",
            body: "## Fix\n```run sh env=1\necho\n```\n",
            expected: ["16:11 warning unknown-attribute"], message: "'run' blocks take no argument 'env'"),
        LintCase(
            name: "an on= value that is neither client nor vm",
            body: "## Fix\n```run sh on=vmm\necho\n```\n",
            expected: ["16:11 error bad-value"], message: "on: 'vmm' is not 'client' or 'vm'"),
        LintCase(
            name: "on=vm reading a declared input is clean",
            body: "## Fix\n```run sh on=vm\necho \"$HOST\"\n```\n",
            expected: [], message: ""),
        LintCase(
            name: "a fix reading a variable that nothing sets",
            body: "## Fix\n```run sh\naz vm show --name \"$VM_NAME\" -o \"${OUT}\"\n```\n",
            expected: ["17:20 warning unknown-variable", "17:34 warning unknown-variable"],
            message: "the fix reads '$VM_NAME', which is neither an input's variable nor set by the runner",
            note: "the runner sets: EUID, HOME"),
        LintCase(
            name: "variables the script sets, known ones and quoted text are not unknown",
            body:
                "## Fix\n```run sh\nfor f in a b; do echo \"$f $HOME\"; done\nx=1; read -r y; echo \"${x}$y\" '$NOT_EXPANDED' \\$NOR_THIS\n```\n",
            expected: [], message: ""),
        LintCase(
            name: "a here-document expands variables unless its delimiter is quoted",
            body:
                "## Fix\n```run sh\ncat <<EOF | az x --stdin\n$PASSWORD $UNDECLARED\nEOF\ncat <<'EOF'\n$LITERAL\nEOF\n```\n",
            expected: ["18:11 warning unknown-variable"], message: "'$UNDECLARED'"),
        LintCase(
            name: "a secret as a command argument",
            body: "## Fix\n```run sh\naz login --password \"$PASSWORD\"\n```\n",
            expected: ["17:22 warning secret-in-argv"],
            message: "secret '$PASSWORD' is a command argument", note: "\"@$PASSWORD_FILE\" for az"),
        LintCase(
            name: "a secret in a command substitution that becomes an argument",
            body: "## Fix\n```run sh\naz login --password \"$(printf %s \"$PASSWORD\")\"\n```\n",
            expected: ["17:35 warning secret-in-argv"], message: "secret '$PASSWORD'"),
        LintCase(
            name: "a secret through a builtin, a function, a pipe or its file is fine",
            body:
                "## Fix\n```run sh\nj() { printf '%s' \"$1\"; }\nprintf '%s' \"$PASSWORD\" | az login --password @-\nx=$(j \"$PASSWORD\")\naz x --password \"@$PASSWORD_FILE\"\n```\n",
            expected: [], message: ""),
        LintCase(
            name: "a fix= naming a step before the check",
            body:
                "## Fix {#f}\n```run sh\ntrue\n```\n## Check\n```check tcp-connect host={{host}} port=22 fix=#f\n```\n",
            expected: ["20:44 warning fix-before-check"], message: "fix names '#f', which comes before this step"),
        LintCase(
            name: "call arguments other than model=",
            body: "## Call\n```call reset-access foo=1\n```\n",
            expected: ["16:22 error unknown-argument"], message: "'call' takes only 'model=', not 'foo'"),
    ]
}

@Suite("Linter")
struct LinterTests {
    @Test("the header alone lints clean")
    func headerIsClean() {
        #expect(lint(header, path: "lint.md").isEmpty)
    }

    @Test("each rule reports its code at the exact place", arguments: LintCase.all)
    func rule(_ testCase: LintCase) throws {
        let text = header + testCase.body
        let diagnostics = lint(text, path: "lint.md")
        #expect(diagnostics.map(\.summary) == testCase.expected, "\(diagnostics)")
        guard let first = diagnostics.first else { return }
        #expect(first.message.contains(testCase.message), "message: \(first.message)")
        if let note = testCase.note {
            #expect(first.note?.contains(note) == true, "note: \(first.note ?? "none")")
        }
        #expect(first.description.hasPrefix("lint.md:\(first.location.line):\(first.location.column): "))
    }

    @Test("an input whose variable would be PATH, LD_*, … or a secret's _FILE is an error at the input")
    func refusedInputVariables() {
        let text = """
            ---
            id: refused
            title: Refused
            inputs:
              path: { description: a path }
              ld-preload: { description: a library }
              new-password: { description: secret, secret: true }
              new-password-file: { description: clashes }
              resource-group: { description: fine }
            verify: v
            ---
            # Refused
            ## V {#v}
            ```check command run="true"
            ```

            """
        let diagnostics = lint(text)
        #expect(
            diagnostics.map(\.summary) == [
                "5:3 error refused-variable", "6:3 error refused-variable",
                "8:3 error refused-variable",
            ], "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("'PATH'") == true)
        #expect(diagnostics.last?.message.contains("file variable of secret input 'new-password'") == true)
    }

    @Test("the printed form is file:line:col: severity: message, then the note")
    func printedForm() throws {
        let diagnostics = lint(header + "## Port\n```check tcp-conect host={{host}} port=22\n```\n", path: "kb/ssh.md")
        #expect(
            diagnostics.map(\.description) == [
                "kb/ssh.md:16:10: error: unknown check action 'tcp-conect'\nkb/ssh.md:16:10: note: did you mean 'tcp-connect'?"
            ])
    }

    @Test("diagnostics come sorted by position")
    func sorted() {
        let body = """
            ## Port
            ```check tcp-connect host={{hots}} port=0 timeout=1x
            ```
            ## Other {model=azure}

            """
        #expect(
            lint(header + body).map(\.summary) == [
                "16:22 error undeclared-input", "16:36 error bad-value", "16:43 error bad-value",
                "18:1 error undeclared-model",
            ])
    }

    // MARK: - verify and models in the metadata

    @Test("an executable runbook without verify is an error at 1:1")
    func missingVerify() throws {
        let text = "---\nid: v\ntitle: V\n---\n# V\n## Check\n```check tcp-connect host=a port=1\n```\n"
        let diagnostics = lint(text)
        #expect(diagnostics.map(\.summary) == ["1:1 error missing-verify"])
        #expect(diagnostics.first?.note == "add 'verify: STEP-ID' naming the step that proves the problem is gone")
        #expect(lint("---\nid: v\ntitle: V\n---\n# V\n## Manual\n").isEmpty, "a manual runbook needs no verify")
    }

    @Test("verify naming no step is an error at the verify key, with a suggestion")
    func unknownVerify() throws {
        let text = "---\nid: v\ntitle: V\nverify: chek\n---\n# V\n## Check\n```check tcp-connect host=a port=1\n```\n"
        let diagnostics = lint(text)
        #expect(diagnostics.map(\.summary) == ["4:1 error unknown-verify"])
        #expect(diagnostics.first?.message == "verify step 'chek' does not exist")
        #expect(diagnostics.first?.note == "did you mean 'check'?")
    }

    @Test("a verify step without a check is an error at that step")
    func manualVerify() {
        let text =
            "---\nid: v\ntitle: V\nverify: look\n---\n# V\n## Look\n## Check\n```check tcp-connect host=a port=1\n```\n"
        let diagnostics = lint(text)
        #expect(diagnostics.map(\.summary) == ["7:1 error manual-verify"])
        #expect(diagnostics.first?.message == "verify step 'look' has no check")
    }

    @Test("a verify step limited to one model is an error for the others")
    func verifyModel() {
        let text = """
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
            """
        let diagnostics = lint(text)
        #expect(diagnostics.map(\.summary) == ["8:1 error verify-model"])
        #expect(diagnostics.first?.message == "verify step 'check' is not part of model 'classic'")
    }

    @Test("an undeclared default-model is an error at its key")
    func undeclaredDefaultModel() {
        let text = "---\nid: v\ntitle: V\nmodels: [arm]\ndefault-model: azure\n---\n# V\n"
        let diagnostics = lint(text)
        #expect(diagnostics.map(\.summary) == ["5:1 error undeclared-model"])
        #expect(diagnostics.first?.message == "default-model 'azure' is not declared")
        #expect(diagnostics.first?.note == "declared models: arm")
    }

    @Test("a model used without any declared suggests declaring models")
    func noModelsDeclared() {
        let diagnostics = lint("---\nid: v\ntitle: V\n---\n# V\n## Step {model=arm}\n")
        #expect(diagnostics.map(\.summary) == ["6:1 error undeclared-model"])
        #expect(diagnostics.first?.note == "declare models in the front matter, e.g. 'models: {arm: Resource Manager}'")
    }

    // MARK: - call blocks and the knowledge base

    static func callee(_ id: String, calling target: String? = nil, models: String = "[arm, classic]") -> Runbook {
        var text = "---\nid: \(id)\ntitle: \(id)\nmodels: \(models)\n---\n# Step\n"
        if let target { text += "```call \(target)\n```\n" }
        return load(text, path: "\(id).md").runbook
    }

    @Test("call of a runbook that is not in the knowledge base, with a suggestion")
    func unknownRunbook() throws {
        let text = header + "## Call\n```call reset-acess\n```\n"
        let knowledgeBase = ["reset-access": Self.callee("reset-access")]
        let diagnostics = lint(text, path: "lint.md", knowledgeBase: knowledgeBase)
        #expect(diagnostics.map(\.summary) == ["16:9 error unknown-runbook"])
        #expect(diagnostics.first?.message == "'call' names runbook 'reset-acess', which is not in the knowledge base")
        #expect(diagnostics.first?.note == "did you mean 'reset-access'?")
        #expect(lint(text, path: "lint.md").isEmpty, "without a knowledge base, calls are not checked")
    }

    @Test("call with a model the callee does not declare")
    func callModel() {
        let text = header + "## Call\n```call reset-access model=azure\n```\n"
        let diagnostics = lint(text, knowledgeBase: ["reset-access": Self.callee("reset-access")])
        #expect(diagnostics.map(\.summary) == ["16:22 error undeclared-model"])
        #expect(diagnostics.first?.message == "runbook 'reset-access' has no model 'azure'")
    }

    @Test("a call cycle through another runbook is an error naming the whole cycle")
    func callCycle() {
        let text = header + "## Call\n```call b\n```\n"
        let caller = load(text).runbook
        let knowledgeBase = ["lint-case": caller, "b": Self.callee("b", calling: "lint-case")]
        let diagnostics = Linter.lint(caller, schemas: schemas, knowledgeBase: knowledgeBase)
        #expect(diagnostics.map(\.summary) == ["16:9 error call-cycle"])
        #expect(diagnostics.first?.message == "calls form a cycle: lint-case → b → lint-case")
    }

    @Test("a runbook calling itself is a cycle; a chain without a cycle is fine")
    func selfCallAndChain() {
        let selfCalling = load(header + "## Call\n```call lint-case\n```\n").runbook
        #expect(
            Linter.lint(selfCalling, schemas: schemas, knowledgeBase: ["lint-case": selfCalling])
                .map(\.message) == ["calls form a cycle: lint-case → lint-case"])
        let chain = load(header + "## Call\n```call b\n```\n").runbook
        let knowledgeBase = ["lint-case": chain, "b": Self.callee("b", calling: "c"), "c": Self.callee("c")]
        #expect(Linter.lint(chain, schemas: schemas, knowledgeBase: knowledgeBase).isEmpty)
    }

    // MARK: - legacy articles

    @Test("a legacy article without executable blocks has nothing to lint")
    func legacyNotLinted() throws {
        let (runbook, _) = try Fixture.load("legacy.md")
        #expect(Linter.lint(runbook, schemas: schemas).isEmpty)
        let odd = load("# T\n## A {model=azure on-fail=#x}\n```bash\nls\n```\n").runbook
        #expect(Linter.lint(odd, schemas: schemas).isEmpty)
    }

    @Test("a legacy article with an executable block is linted like a runbook")
    func legacyWithBlock() {
        let runbook = load("# T\n## A\n```check tcp-conect host=a port=1\n```\n").runbook
        #expect(
            Linter.lint(runbook, schemas: schemas).map(\.summary) == [
                "1:1 error missing-verify", "3:10 error unknown-action",
            ])
    }
}
