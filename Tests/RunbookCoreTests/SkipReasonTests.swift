import Foundation
import RunbookCore
import Testing

/// Every reason's words are the bytes earlier versions logged; its code is what readers switch on.
@Suite struct SkipReasonTests {
    static let cases: [(SkipReason, String, String)] = [
        (
            .needsInput(["resource-group", "vm"]), "needs-input",
            "needs input 'resource-group', 'vm' (-i resource-group=... -i vm=...)"
        ),
        (
            .needsVM(fix: false), "needs-vm",
            "looks inside the VM: give --vm (local, exec:PREFIX, ssh:[user@]host[:port] or az:RG/VM)"
        ),
        (
            .needsVM(fix: true), "needs-vm",
            "runs inside the VM: give --vm (local, exec:PREFIX, ssh:[user@]host[:port] or az:RG/VM)"
        ),
        (.requiresFailed(step: "port-open", status: .fail), "requires-failed", "requires #port-open, which failed"),
        (.requiresFailed(step: "port-open", status: nil), "requires-failed", "requires #port-open, which did not run"),
        (.requiresFailed(step: "a", status: .error), "requires-failed", "requires #a, which could not be checked"),
        (.requiresFailed(step: "a", status: .skipped), "requires-failed", "requires #a, which was skipped"),
        (
            .requiresFailed(step: "a", status: .manual), "requires-failed",
            "requires #a, which is a manual step nobody confirmed"
        ),
        (.requiresFailed(step: "a", status: .refused), "requires-failed", "requires #a, which was not allowed to run"),
        (.requiresFailed(step: "a", status: .interrupted), "requires-failed", "requires #a, which was interrupted"),
        (.jumpedOver(by: "daemon", passed: false), "jumped-over", "jumped over: #daemon failed"),
        (.jumpedOver(by: "daemon", passed: true), "jumped-over", "jumped over: #daemon passed"),
        (
            .notNeeded(namedBy: ["nsg", "acl"]), "not-needed",
            "not needed: it fixes what #nsg, #acl checks, which did not fail"
        ),
        (.alreadyOffered(as: "callee/reset"), "already-offered", "already offered in this run as #callee/reset"),
        (
            .dryRun("would run this sh fix on this computer"), "dry-run",
            "dry run: would run this sh fix on this computer"
        ),
        (.dryRun("would call runbook other"), "dry-run", "dry run: would call runbook other"),
        (
            .missingTool("needs the Azure CLI 'az', which is not on PATH (install it, then run 'az login')"),
            "missing-tool", "needs the Azure CLI 'az', which is not on PATH (install it, then run 'az login')"
        ),
        (
            .secretOverArgv(names: ["token", "key"], vm: "az:rg/vm1"), "secret-over-argv",
            "reads secret input 'token', 'key', and --vm az:rg/vm1 sends the script as a command-line argument "
                + "of az run-command; use --vm ssh:… or exec:…, or do it by hand"
        ),
        (
            .unsafeInput("input 'path' would set the variable 'PATH', which changes how fixes run; rename it"),
            "unsafe-input", "input 'path' would set the variable 'PATH', which changes how fixes run; rename it"
        ),
        (.noConsent, "no-consent", "a fix runs only with consent: give --yes, or answer at a terminal"),
        (.declined, "declined", "declined at the prompt"),
        (.interrupted, "interrupted", "stopped by a signal"),
        (.byHand(runbook: "ssh-connection"), "by-hand", "do it by hand (see 'runbook show ssh-connection')"),
        (.checkSkipped("no NSG data for this model"), "check-skipped", "no NSG data for this model"),
    ]

    @Test("each reason's text is the bytes earlier logs hold, and its code is kebab-case")
    func textsAndCodes() {
        for (reason, code, text) in Self.cases {
            #expect(reason.text == text)
            #expect(reason.code.rawValue == code)
        }
        let used = Set(Self.cases.map(\.1))
        #expect(used == Set(SkipReason.Code.allCases.map(\.rawValue)).subtracting(["unknown"]))
    }

    @Test("a logged text and code read back as the reason that wrote them; other words do not")
    func readBack() {
        for (reason, _, text) in Self.cases {
            #expect(SkipReason(code: reason.code, text: text) == reason, "\(text)")
        }
        #expect(SkipReason(code: .needsInput, text: "needs input 'vm'") == nil)
        #expect(SkipReason(code: .jumpedOver, text: "jumped over: #a maybe") == nil)
        #expect(SkipReason(code: .unknown, text: "x") == nil)
    }

    @Test("setting an event's reason sets the logged text and code together")
    func eventCarriesTextAndCode() throws {
        var event = RunEvent(event: .step, run: "r", ts: "t")
        event.skipReason = .jumpedOver(by: "a", passed: true)
        #expect(event.reason == "jumped over: #a passed" && event.reasonCode == .jumpedOver)
        let line = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        #expect(line.contains(#""reason_code":"jumped-over""#))
    }

    @Test("a log without reason_code or step_kind decodes; an unknown code decodes as unknown")
    func oldAndNewerLogsDecode() throws {
        let old = #"{"event":"step","run":"r","ts":"t","v":1,"step":"a","status":"skipped","reason":"x"}"#
        let decoded = try JSONDecoder().decode(RunEvent.self, from: Data(old.utf8))
        #expect(decoded.reason == "x" && decoded.reasonCode == nil && decoded.stepKind == nil)
        let newer = #"{"event":"step","run":"r","ts":"t","v":1,"reason_code":"from-the-future","step_kind":"fix"}"#
        let read = try JSONDecoder().decode(RunEvent.self, from: Data(newer.utf8))
        #expect(read.reasonCode == .unknown && read.stepKind == .fix)
        let later = #"{"event":"step","run":"r","ts":"t","v":1,"step":"a","step_kind":"probe-of-the-future"}"#
        let future = try JSONDecoder().decode(RunEvent.self, from: Data(later.utf8))
        #expect(future.step == "a" && future.stepKind == nil, "an unknown step kind leaves the line readable")
    }

    @Test("only reasons that make a fix unwanted keep it from being proposed; jumped over is one of them")
    func unwantedFixes() {
        let unwanted = SkipReason.Code.allCases.filter(\.leavesFixUnwanted)
        #expect(unwanted == [.requiresFailed, .jumpedOver, .notNeeded, .alreadyOffered])
    }
}

@Suite struct StepPathTests {
    @Test("a logged id reads as its callees and its step, and prints back the same")
    func roundTrip() {
        let top = StepPath("dns")
        #expect(top.callees.isEmpty && top.step == "dns" && !top.isCalled && top.runbook == nil)
        let called = StepPath("outer/inner/reset")
        #expect(called.callees == ["outer", "inner"] && called.step == "reset" && called.runbook == "inner")
        #expect(called.prefix == "outer/inner/" && called.description == "outer/inner/reset")
        #expect(called.sibling("check").description == "outer/inner/check")
    }

    @Test("in memory the runner's typed reason is read, not its words; a changed text drops it; the log round-trips")
    func typedReasonInMemory() throws {
        var event = RunEvent(event: .step, run: "r", ts: "t")
        // A needs-input reason whose input name holds the words that end the list in the text:
        // read back from the text it is another reason, so only the value kept in memory gives it whole.
        let odd = SkipReason.needsInput(["a (-i x"])
        event.skipReason = odd
        #expect(event.skipReason == odd)
        #expect(SkipReason(code: .needsInput, text: odd.text) != odd)
        let line = try JSONEncoder().encode(event)
        let read = try JSONDecoder().decode(RunEvent.self, from: line)
        #expect(read == event)
        #expect(read.reason == odd.text && read.reasonCode == .needsInput)
        event.reason = "needs input '***' (-i ***=...)"
        #expect(event.skipReason != odd)
    }
}
