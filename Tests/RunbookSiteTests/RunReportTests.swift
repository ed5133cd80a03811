import Foundation
import RunbookCore
import RunbookSite
import Testing

@Suite("Run report")
struct RunReportTests {
    static let runbookText = """
        ---
        id: demo
        title: Demo
        models:
          arm: Resource Manager
        inputs:
          host: { description: Host, required: true }
          port: { description: Port, default: "22" }
          user: { description: User }
          password: { description: Password, secret: true }
        verify: login
        ---
        # Demo

        ## Log in {#login}

        ```check tcp-connect host={{host}} port={{port}}
        ```

        ## Banner {#banner}

        ```check ssh-banner host={{host}} port={{port}} user={{user?}} timeout=5s
        ```

        ## Inside {#inside}

        ```check sshd-config secret={{password}}
        ```

        ## Restart sshd {#restart}

        ```run sh
        systemctl restart ssh
        ```

        """

    /// A resolved run: the login fails, the restart fix runs, the login passes after it.
    static let log = """
        {"v":1,"ts":"2026-05-01T10:00:00.000Z","event":"run-start","run":"r1","runbook":"demo","model":"arm","inputs":{"host":"10.1.2.3","port":"2222","password":"Pa55-word-XYZ"}}
        {"v":1,"ts":"2026-05-01T10:00:01.000Z","event":"step","run":"r1","step":"login","block":"login","kind":"check","action":"tcp-connect","status":"fail","duration_ms":1000,"finding":"Nothing answers on port 2222"}
        {"v":1,"ts":"2026-05-01T10:00:02.000Z","event":"step","run":"r1","step":"banner","block":"banner","kind":"check","action":"ssh-banner","status":"fail","duration_ms":10,"finding":"no banner"}
        {"v":1,"ts":"2026-05-01T10:00:02.100Z","event":"step","run":"r1","step":"inside","block":"inside","kind":"check","action":"sshd-config","status":"skipped","reason":"looks inside the VM: give --vm (local, exec:PREFIX, ssh:[user@]host[:port] or az:RG/VM)","reason_code":"needs-vm","step_kind":"check"}
        {"v":1,"ts":"2026-05-01T10:00:03.000Z","event":"step","run":"r1","step":"restart","block":"restart","kind":"run","status":"done","duration_ms":900}
        {"v":1,"ts":"2026-05-01T10:00:04.000Z","event":"step","run":"r1","step":"login","block":"login","kind":"check","action":"tcp-connect","status":"pass","duration_ms":5,"after":"restart"}
        {"v":1,"ts":"2026-05-01T10:00:04.200Z","event":"run-end","run":"r1","outcome":"resolved","exit":0,"findings":["login","banner"],"causes":[]}

        """

    static func page() -> String {
        let runbook = Runbook.load(text: runbookText, path: "demo.md").runbook
        return RunReport(log: log).page(for: runbook, source: runbookText, renderer: PageRenderer())
    }

    /// The run results written under one step's heading.
    static func results(_ html: String, step: String) -> String {
        guard let heading = html.range(of: "id=\"\(step)\"") else { return "" }
        let rest = html[heading.upperBound...]
        let end = rest.range(of: "class=\"rb-block ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// The block of one step as the page shows it (its arguments).
    static func block(_ html: String, step: String) -> String {
        guard let start = html.range(of: "id=\"block-\(step)\"") else { return "" }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.range(of: "</dl>")?.upperBound ?? rest.endIndex)])
    }

    @Test(
        "each check block shows the values the run used, not its placeholders; a secret input as ***, never its value")
    func valuesUsed() throws {
        let html = Self.page()
        let login = Self.block(html, step: "login")
        #expect(login.contains("<dl class=\"rb-args rb-args-used\">"), "\(login)")
        #expect(
            login.contains(
                "<dt>host</dt><dd><code><var class=\"input used\" title=\"input host\">10.1.2.3</var></code></dd>"),
            "\(login)")
        #expect(
            login.contains(
                "<dt>port</dt><dd><code><var class=\"input used\" title=\"input port\">2222</var></code></dd>"),
            "\(login)")
        let banner = Self.block(html, step: "banner")
        #expect(banner.contains(">10.1.2.3</var>"), "\(banner)")
        #expect(!banner.contains("<dt>user</dt>"), "an optional input without a value drops out: \(banner)")
        let inside = Self.block(html, step: "inside")
        #expect(
            inside.contains(
                "<dt>secret</dt><dd><code><var class=\"input used\" title=\"input password\">***</var></code></dd>"),
            "\(inside)")
        #expect(!html.contains("{{"), "no placeholder left")
        #expect(!html.contains("Pa55-word-XYZ"), "the secret's value (unmasked in this log) never reaches the page")
        // The values are on the block, not repeated in each result.
        #expect(!Self.results(html, step: "login").contains("checked with"))
    }

    @Test("a required input the run did not have stays a named placeholder; the runbook's own page keeps them all")
    func placeholdersWithoutValues() throws {
        let runbook = Runbook.load(text: Self.runbookText, path: "demo.md").runbook
        let log = Self.log.replacingOccurrences(of: #""host":"10.1.2.3","#, with: "")
        let html = RunReport(log: log).page(for: runbook, source: Self.runbookText, renderer: PageRenderer())
        #expect(Self.block(html, step: "login").contains("<var class=\"input\" title=\"input host\">host</var>"))
        #expect(Self.block(html, step: "login").contains(">2222</var>"))
        let plain = PageRenderer().page(for: runbook, source: Self.runbookText)
        #expect(
            Self.block(plain, step: "login").contains(
                "<dl class=\"rb-args\"><dt>host</dt><dd><code><var class=\"input\" title=\"input host\">host</var>"))
        #expect(!plain.contains("input used"))
    }

    @Test("a resolved run names the fix that resolved it, in the banner and on the fix")
    func resolvingFix() {
        let html = Self.page()
        #expect(RunReport(log: Self.log).resolvingFix == "restart")
        #expect(html.contains("Resolved by the fix <a href=\"#restart\">Restart sshd</a>"))
        #expect(Self.results(html, step: "restart").contains("resolved the run"))
        let diagnosed = Self.log.replacingOccurrences(of: "\"outcome\":\"resolved\"", with: "\"outcome\":\"diagnosed\"")
        #expect(RunReport(log: diagnosed).resolvingFix == nil)
    }

    @Test("no command-line advice in the HTML: the reason keeps its fact and loses '--vm …'")
    func noCommandLineHints() {
        let html = Self.page()
        #expect(Self.results(html, step: "inside").contains("<div class=\"reason\">looks inside the VM</div>"))
        #expect(!html.contains("--vm"))
        for (text, expected) in [
            ("a fix runs only with consent: give --yes, or answer at a terminal", "a fix runs only with consent"),
            ("needs input 'vm' (-i vm=...)", "needs input 'vm'"),
            ("requires port-reachable, which failed", "requires port-reachable, which failed"),
            ("give --vm to look inside the VM", "not checked in this run"),
            ("timed out (after 5s)", "timed out (after 5s)"),
        ] {
            #expect(RunReport.withoutCommandLineHints(text) == expected)
        }
    }

    @Test("a run's reasons show without command-line advice; an action's words lose theirs; an old log's as they are")
    func reasonsByCode() throws {
        func shown(_ reason: SkipReason) -> String? {
            var event = RunEvent(event: .step, run: "r", ts: "t")
            event.skipReason = reason
            return RunReport.reasonText(event)
        }
        #expect(shown(.needsInput(["vm", "group"])) == "needs input 'vm', 'group'")
        #expect(shown(.needsVM(fix: true)) == "runs inside the VM")
        #expect(shown(.noConsent) == "a fix runs only with consent")
        #expect(shown(.jumpedOver(by: "dns", passed: true)) == "jumped over: #dns passed")
        #expect(shown(.checkSkipped("no data: give --vm to look inside the VM")) == "no data")
        #expect(
            shown(.secretOverArgv(names: ["token"], vm: "az:rg/vm"))
                == "reads secret input 'token', and --vm az:rg/vm sends the script as a command-line argument "
                + "of az run-command")
        var old = RunEvent(event: .step, run: "r", ts: "t")
        old.reason = "looks inside the VM: give --vm (local, exec:PREFIX, ssh:[user@]host[:port] or az:RG/VM)"
        #expect(RunReport.reasonText(old) == old.reason, "a log without reason_code shows its reason as written")
    }

    @Test("timestamps show their date and zone")
    func timestamps() {
        let html = Self.page()
        #expect(html.contains("started <time datetime=\"2026-05-01T10:00:00.000Z\">2026-05-01 10:00:00 UTC</time>"))
        #expect(html.contains("ended <time datetime=\"2026-05-01T10:00:04.200Z\">2026-05-01 10:00:04 UTC</time>"))
        #expect(RunReport.timeHTML("2026-05-01T12:00:00+02:00").contains("2026-05-01 12:00:00 UTC+02:00"))
        #expect(RunReport.timeHTML("10:00:00") == "10:00:00", "an old log's time of day stays as it was")
    }

    @Test("a diagnosed run's causes lead with their finding, then the step, the evidence folded")
    func causes() {
        let diagnosed =
            Self.log.split(separator: "\n").prefix(3).joined(separator: "\n") + "\n"
            + #"{"v":1,"ts":"2026-05-01T10:00:05.000Z","event":"run-end","run":"r1","outcome":"diagnosed","exit":1,"causes":["login"]}"#
        let withEvidence = diagnosed.replacingOccurrences(
            of: #""finding":"Nothing answers"#, with: #""evidence":{"error":"refused"},"finding":"Nothing answers"#)
        let runbook = Runbook.load(text: Self.runbookText, path: "demo.md").runbook
        let html = RunReport(log: withEvidence).page(for: runbook, source: Self.runbookText, renderer: PageRenderer())
        #expect(
            html.contains(
                "<li><span class=\"finding\">Nothing answers on port 2222</span> · <a href=\"#login\">Log in</a>"
                    + "<details class=\"cause-evidence\"><summary>evidence</summary><dl class=\"evidence\"><dt>error</dt><dd><code>refused</code></dd></dl></details></li>"
            ),
            "\(html)")
        #expect(!html.contains("Resolved by"))
    }
}
