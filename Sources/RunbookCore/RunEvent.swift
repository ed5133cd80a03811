/// One line of a run log (JSON Lines, FORMAT.md section 5).
///
/// Kept in Core so that reports can read logs without the runner.
public struct RunEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case runStart = "run-start"
        case step
        case runEnd = "run-end"
    }

    /// What happened to a step or block.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case pass, fail, error, skipped, manual, done
        /// A fix the person declined, or that could not be asked for.
        case refused
        /// A step stopped by SIGINT, SIGTERM, SIGHUP or SIGPIPE while it ran.
        case interrupted
    }

    public enum Outcome: String, Codable, Sendable {
        case healthy, resolved, diagnosed, inconclusive, interrupted, error

        /// The process exit code of FORMAT.md section 4.
        public var exitCode: Int32 {
            switch self {
            case .healthy, .resolved: 0
            case .diagnosed, .inconclusive: 1
            case .error: 3
            case .interrupted: 130
            }
        }
    }

    public var v: Int = 1
    public var ts: String
    public var event: Kind
    public var run: String
    // run-start
    public var runbook: String?
    public var title: String?
    public var model: String?
    public var inputs: [String: String]?
    public var vm: String?
    // step
    public var step: String?
    public var block: String?
    public var section: String?
    public var kind: String?
    public var action: String?
    public var status: Status?
    public var durationMS: Int?
    public var summary: String?
    public var finding: String?
    public var fix: String?
    public var symptom: Bool?
    public var reason: String? {
        // The typed value is kept only while the text is its own (the redactor may change the text).
        didSet { if given.reason?.text != reason { given.reason = nil } }
    }
    /// The code of ``reason`` (`reason_code`); absent in logs of earlier versions.
    public var reasonCode: SkipReason.Code?
    /// ``reason`` and ``reasonCode`` as one value: setting it writes both. Reading it gives the
    /// value the runner set, in memory; only for an event read from a log is it read back from
    /// the text (``SkipReason/init(code:text:)``). `nil` for a log of an earlier version (no code).
    public var skipReason: SkipReason? {
        get { given.reason ?? reasonCode.flatMap { SkipReason(code: $0, text: reason ?? "") } }
        set {
            reason = newValue?.text
            reasonCode = newValue?.code
            given.reason = newValue
        }
    }
    /// What the runner gave in memory beside the logged fields: not encoded, and not part of
    /// equality (an event read back from its log equals the event written).
    private var given = InMemory()
    /// What the step is in its runbook's graph (`step_kind`); absent in logs of earlier versions.
    public var stepKind: StepGraph.Kind?
    public var evidence: [String: String]?
    /// For a re-verification after a fix: the fix that was applied.
    public var after: String?
    /// For a fix: its script as shown to a person, with the inputs' values (secrets as `***`).
    public var script: String?
    // run-end
    public var outcome: Outcome?
    public var exit: Int32?
    public var findings: [String]?
    public var causes: [String]?
    /// Each cause's finding text, by step id (FORMAT.md section 5: `cause_findings`).
    public var causeFindings: [String: String]?
    public var unchecked: [String]?
    public var log: String?

    enum CodingKeys: String, CodingKey {
        case v, ts, event, run, runbook, title, model, inputs, vm, step, block, section, kind, action, status
        case durationMS = "duration_ms"
        case summary, finding, fix, symptom, reason
        case reasonCode = "reason_code"
        case stepKind = "step_kind"
        case evidence, after, script, outcome, exit, findings, causes
        case causeFindings = "cause_findings"
        case unchecked, log
    }

    public init(event: Kind, run: String, ts: String) {
        self.event = event
        self.run = run
        self.ts = ts
    }
}

extension RunEvent {
    /// The typed values behind logged text, kept in memory only.
    struct InMemory: Sendable, Equatable {
        var reason: SkipReason?
        static func == (_: Self, _: Self) -> Bool { true }
    }

    /// Reads a log line of this or another version: the fields this version added
    /// (`reason_code`, `step_kind`) may be absent, and a value of them this version does not know
    /// (a later version's step kind) leaves the field empty rather than making the line unreadable.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        v = try values.decode(Int.self, forKey: .v)
        ts = try values.decode(String.self, forKey: .ts)
        event = try values.decode(Kind.self, forKey: .event)
        run = try values.decode(String.self, forKey: .run)
        runbook = try values.decodeIfPresent(String.self, forKey: .runbook)
        title = try values.decodeIfPresent(String.self, forKey: .title)
        model = try values.decodeIfPresent(String.self, forKey: .model)
        inputs = try values.decodeIfPresent([String: String].self, forKey: .inputs)
        vm = try values.decodeIfPresent(String.self, forKey: .vm)
        step = try values.decodeIfPresent(String.self, forKey: .step)
        block = try values.decodeIfPresent(String.self, forKey: .block)
        section = try values.decodeIfPresent(String.self, forKey: .section)
        kind = try values.decodeIfPresent(String.self, forKey: .kind)
        action = try values.decodeIfPresent(String.self, forKey: .action)
        status = try values.decodeIfPresent(Status.self, forKey: .status)
        durationMS = try values.decodeIfPresent(Int.self, forKey: .durationMS)
        summary = try values.decodeIfPresent(String.self, forKey: .summary)
        finding = try values.decodeIfPresent(String.self, forKey: .finding)
        fix = try values.decodeIfPresent(String.self, forKey: .fix)
        symptom = try values.decodeIfPresent(Bool.self, forKey: .symptom)
        reason = try values.decodeIfPresent(String.self, forKey: .reason)
        reasonCode = try values.decodeIfPresent(SkipReason.Code.self, forKey: .reasonCode)
        let kindText = try values.decodeIfPresent(String.self, forKey: .stepKind)
        stepKind = kindText.flatMap(StepGraph.Kind.init(rawValue:))
        evidence = try values.decodeIfPresent([String: String].self, forKey: .evidence)
        after = try values.decodeIfPresent(String.self, forKey: .after)
        script = try values.decodeIfPresent(String.self, forKey: .script)
        outcome = try values.decodeIfPresent(Outcome.self, forKey: .outcome)
        exit = try values.decodeIfPresent(Int32.self, forKey: .exit)
        findings = try values.decodeIfPresent([String].self, forKey: .findings)
        causes = try values.decodeIfPresent([String].self, forKey: .causes)
        causeFindings = try values.decodeIfPresent([String: String].self, forKey: .causeFindings)
        unchecked = try values.decodeIfPresent([String].self, forKey: .unchecked)
        log = try values.decodeIfPresent(String.self, forKey: .log)
    }
}
