import Foundation
import RunbookCore
import RunbookRunner
import Testing

/// The bytes of the JSON Lines log: a representative set of events (every status, every payload
/// kind, secrets already masked, evidence with odd characters) and the exact line each encodes to.
///
/// The expected lines were written by the encoder before `RunEvent` became typed; they pin the
/// log's bytes so that a reader of old logs (the report, `--again`) keeps working.
@Suite struct RunEventEncodingTests {
    static let run = "6f0c1a2b-0000-4000-8000-000000000000"
    static let ts = "2026-05-01T10:00:00.000Z"

    static func event(_ kind: RunEvent.Kind) -> RunEvent { RunEvent(event: kind, run: run, ts: ts) }

    /// Every event, with the line the log holds for it.
    static let cases: [(RunEvent, String)] = {
        var cases: [(RunEvent, String)] = []
        var start = event(.runStart)
        start.runbook = "ssh-connection"
        start.title = "Can't connect \"SSH\" / Linux"
        start.model = "arm"
        start.inputs = ["host": "vm1.example.com", "password": "***", "path": "/home/u/.ssh"]
        start.vm = "ssh:azureuser@10.0.0.4:2222"
        cases.append(
            (
                start,
                #"{"event":"run-start","inputs":{"host":"vm1.example.com","password":"***","path":"/home/u/.ssh"},"#
                    + #""model":"arm","run":"6f0c1a2b-0000-4000-8000-000000000000","runbook":"ssh-connection","title":"C"#
                    + #"an't connect \"SSH\" / Linux","ts":"2026-05-01T10:00:00.000Z","v":1,"vm":"ssh:azureuser@10.0.0.4"#
                    + #":2222"}"#
            ))
        var pass = event(.step)
        pass.step = "dns"
        pass.block = "dns"
        pass.section = "path"
        pass.kind = "check"
        pass.action = "dns-resolve"
        pass.status = .pass
        pass.durationMS = 3
        pass.summary = "20.1.2.3"
        pass.evidence = ["addresses": "20.1.2.3\n::1", "tab": "a\tb", "quote": "say \"hi\" \\ é ✓ \u{1}"]
        cases.append(
            (
                pass,
                #"{"action":"dns-resolve","block":"dns","duration_ms":3,"event":"step","evidence":{"addresses":"20"#
                    + #".1.2.3\n::1","quote":"say \"hi\" \\ é ✓ \u0001","tab":"a\tb"},"kind":"check","run":"6f0c1a2b-000"#
                    + #"0-4000-8000-000000000000","section":"path","status":"pass","step":"dns","summary":"20.1.2.3","ts"#
                    + #"":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var fail = event(.step)
        fail.step = "nsg-allows-ssh"
        fail.block = "nsg-allows-ssh"
        fail.kind = "check"
        fail.action = "azure-nsg-allows"
        fail.status = .fail
        fail.durationMS = 2000
        fail.summary = "denied by vm1-nsg/DenyAll22 (priority 100)"
        fail.finding = "An NSG rule blocks port 22"
        fail.fix = "open-ssh-port"
        fail.symptom = false
        cases.append(
            (
                fail,
                #"{"action":"azure-nsg-allows","block":"nsg-allows-ssh","duration_ms":2000,"event":"step","finding"#
                    + #"":"An NSG rule blocks port 22","fix":"open-ssh-port","kind":"check","run":"6f0c1a2b-0000-4000-80"#
                    + #"00-000000000000","status":"fail","step":"nsg-allows-ssh","summary":"denied by vm1-nsg/DenyAll22 "#
                    + #"(priority 100)","symptom":false,"ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var error = event(.step)
        error.step = "port"
        error.status = .error
        error.durationMS = 5000
        error.summary = "did not finish within 5.0s"
        cases.append(
            (
                error,
                #"{"duration_ms":5000,"event":"step","run":"6f0c1a2b-0000-4000-8000-000000000000","status":"error""#
                    + #","step":"port","summary":"did not finish within 5.0s","ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var skipped = event(.step)
        skipped.step = "vm-running"
        skipped.section = "cloud"
        skipped.status = .skipped
        skipped.durationMS = 0
        skipped.reason = "needs input 'resource-group', 'vm' (-i resource-group=... -i vm=...)"
        cases.append(
            (
                skipped,
                #"{"duration_ms":0,"event":"step","reason":"needs input 'resource-group', 'vm' (-i resource-group="#
                    + #"... -i vm=...)","run":"6f0c1a2b-0000-4000-8000-000000000000","section":"cloud","status":"skipped"#
                    + #"","step":"vm-running","ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var manual = event(.step)
        manual.step = "ask-admin"
        manual.kind = "manual"
        manual.status = .manual
        manual.durationMS = 0
        manual.reason = "do it by hand (see 'runbook show ssh-connection')"
        cases.append(
            (
                manual,
                #"{"duration_ms":0,"event":"step","kind":"manual","reason":"do it by hand (see 'runbook show ssh-c"#
                    + #"onnection')","run":"6f0c1a2b-0000-4000-8000-000000000000","status":"manual","step":"ask-admin",""#
                    + #"ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var done = event(.step)
        done.step = "open-ssh-port"
        done.block = "open-ssh-port"
        done.kind = "run"
        done.status = .done
        done.durationMS = 812
        done.summary = "applied"
        done.script = "az network nsg rule create --name 'a b' --password ***\necho \"ok\""
        done.evidence = ["exit": "0", "stdout": "", "stderr": "warning: </script>"]
        cases.append(
            (
                done,
                #"{"block":"open-ssh-port","duration_ms":812,"event":"step","evidence":{"exit":"0","stderr":"warni"#
                    + #"ng: </script>","stdout":""},"kind":"run","run":"6f0c1a2b-0000-4000-8000-000000000000","script":""#
                    + #"az network nsg rule create --name 'a b' --password ***\necho \"ok\"","status":"done","step":"ope"#
                    + #"n-ssh-port","summary":"applied","ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var refused = event(.step)
        refused.step = "helper/reset-sshd"
        refused.block = "helper/reset-sshd"
        refused.kind = "run"
        refused.status = .refused
        refused.durationMS = 0
        refused.reason = "declined at the prompt"
        refused.script = "systemctl restart sshd"
        cases.append(
            (
                refused,
                #"{"block":"helper/reset-sshd","duration_ms":0,"event":"step","kind":"run","reason":"declined at t"#
                    + #"he prompt","run":"6f0c1a2b-0000-4000-8000-000000000000","script":"systemctl restart sshd","statu"#
                    + #"s":"refused","step":"helper/reset-sshd","ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var interrupted = event(.step)
        interrupted.step = "port"
        interrupted.status = .interrupted
        interrupted.durationMS = 120
        interrupted.reason = "stopped by a signal"
        cases.append(
            (
                interrupted,
                #"{"duration_ms":120,"event":"step","reason":"stopped by a signal","run":"6f0c1a2b-0000-4000-8000-"#
                    + #"000000000000","status":"interrupted","step":"port","ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var reverify = event(.step)
        reverify.step = "can-log-in"
        reverify.block = "can-log-in"
        reverify.kind = "check"
        reverify.action = "ssh-login"
        reverify.status = .pass
        reverify.durationMS = 90
        reverify.after = "open-ssh-port"
        cases.append(
            (
                reverify,
                #"{"action":"ssh-login","after":"open-ssh-port","block":"can-log-in","duration_ms":90,"event":"ste"#
                    + #"p","kind":"check","run":"6f0c1a2b-0000-4000-8000-000000000000","status":"pass","step":"can-log-i"#
                    + #"n","ts":"2026-05-01T10:00:00.000Z","v":1}"#
            ))
        var end = event(.runEnd)
        end.outcome = .diagnosed
        end.exit = 1
        end.findings = ["can-log-in", "nsg-allows-ssh"]
        end.causes = ["nsg-allows-ssh"]
        end.causeFindings = ["nsg-allows-ssh": "An NSG rule blocks port 22 from 203.0.113.7/32"]
        end.unchecked = ["sshd-running"]
        end.log = "/home/u/.local/state/runbook/runs/2026-05-01T10-00-00.000Z-ssh-connection-arm-6f0c1a2b.jsonl"
        cases.append(
            (
                end,
                #"{"cause_findings":{"nsg-allows-ssh":"An NSG rule blocks port 22 from 203.0.113.7/32"},"causes":["#
                    + #""nsg-allows-ssh"],"event":"run-end","exit":1,"findings":["can-log-in","nsg-allows-ssh"],"log":"/"#
                    + #"home/u/.local/state/runbook/runs/2026-05-01T10-00-00.000Z-ssh-connection-arm-6f0c1a2b.jsonl","ou"#
                    + #"tcome":"diagnosed","run":"6f0c1a2b-0000-4000-8000-000000000000","ts":"2026-05-01T10:00:00.000Z","#
                    + #""unchecked":["sshd-running"],"v":1}"#
            ))
        var interruptedEnd = event(.runEnd)
        interruptedEnd.outcome = .interrupted
        interruptedEnd.exit = 143
        interruptedEnd.findings = []
        interruptedEnd.causes = []
        interruptedEnd.unchecked = []
        cases.append(
            (
                interruptedEnd,
                #"{"causes":[],"event":"run-end","exit":143,"findings":[],"outcome":"interrupted","run":"6f0c1a2b-"#
                    + #"0000-4000-8000-000000000000","ts":"2026-05-01T10:00:00.000Z","unchecked":[],"v":1}"#
            ))
        return cases
    }()

    /// The lines a `JSONLSink` writes for `events`.
    static func logged(_ events: [RunEvent]) async throws -> [String] {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("encoding-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try JSONLSink(path: path, mode: .createNew)
        let runbook = Runbook.load(text: "---\nid: t\ntitle: T\n---\n# T\n", path: "t.md").runbook
        for event in events { await sink.receive(event, context: EventContext(runbook: runbook, modelName: "arm")) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("every kind of event is logged as the same bytes as before")
    func bytesAreUnchanged() async throws {
        let lines = try await Self.logged(Self.cases.map(\.0))
        #expect(lines.count == Self.cases.count)
        for (line, expected) in zip(lines, Self.cases.map(\.1)) {
            #expect(line == expected, "\nwrote    \(line)\nexpected \(expected)")
        }
    }

    @Test("every logged line decodes to the event it came from")
    func linesDecode() throws {
        for (event, line) in Self.cases {
            let decoded = try JSONDecoder().decode(RunEvent.self, from: Data(line.utf8))
            #expect(decoded == event)
        }
    }

    @Test("each event's typed payload makes the same event again, so the same bytes; a payload reads back whole")
    func payloadsMakeTheSameLines() async throws {
        var remade: [RunEvent] = []
        for (event, _) in Self.cases {
            let payload = try #require(event.payload, "no payload for \(event)")
            let again = RunEvent(run: event.run, ts: event.ts, payload)
            #expect(again == event)
            #expect(again.payload == payload)
            remade.append(again)
        }
        let lines = try await Self.logged(remade)
        #expect(lines == Self.cases.map(\.1))
    }

    @Test("a line without what its kind needs has no payload: a step without status, a run-end without outcome")
    func damagedLinesHaveNoPayload() throws {
        var step = Self.event(.step)
        step.step = "dns"
        #expect(step.payload == nil)
        step.status = .pass
        #expect(step.payload != nil)
        var end = Self.event(.runEnd)
        #expect(end.payload == nil)
        end.outcome = .diagnosed
        guard case .runEnd(let typed)? = end.payload else {
            Issue.record("no run-end payload")
            return
        }
        #expect(typed.exit == 1 && typed.findings.isEmpty)
    }
}
