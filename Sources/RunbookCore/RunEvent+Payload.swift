/// A run event's content by kind: what a client of the engine (the console, a report, a server's
/// history, a fleet's summary) switches over instead of reading optional fields.
///
/// The log stays one JSON object per line with the fields of FORMAT.md section 5 (``RunEvent``
/// encodes them); a payload is a typed view of those fields and builds an event from them:
/// `RunEvent(run:ts:.runStart(…)).payload` gives back what it was made from.
extension RunEvent {
    public enum Payload: Sendable, Equatable {
        case runStart(RunStart)
        /// A check, a fix (``StepResult/stepKind`` `.fix`, with its ``StepResult/script``), a call or
        /// a manual step.
        case step(StepResult)
        case runEnd(RunEnd)
    }

    /// What a run is about to do.
    public struct RunStart: Sendable, Equatable {
        public var runbook: String
        public var title: String
        public var model: String
        /// The inputs as given, secret ones as ``SecretMask/placeholder``.
        public var inputs: [String: String]
        /// The `--vm` spec, if any.
        public var vm: String?

        public init(runbook: String, title: String, model: String, inputs: [String: String], vm: String? = nil) {
            self.runbook = runbook
            self.title = title
            self.model = model
            self.inputs = inputs
            self.vm = vm
        }
    }

    /// What happened to one step or block.
    public struct StepResult: Sendable, Equatable {
        /// The step as logged: `step` or `called-runbook/step`.
        public var step: StepPath
        public var status: Status
        /// The block's id, for a step of several blocks; `nil` for a manual step.
        public var block: String?
        public var section: String?
        /// The block's kind as written (`check`, `run`, `call`) or `manual`.
        public var blockKind: String?
        /// What the step is in its runbook's graph; `nil` in a log of an earlier version.
        public var stepKind: StepGraph.Kind?
        public var action: String?
        public var durationMS: Int?
        public var summary: String?
        public var finding: String?
        /// The fix a failed check points to (`fix=`), without its `#`.
        public var fix: String?
        /// Whether a finding is a symptom (`.symptom`); said for a failed check and a manual
        /// finding, `nil` where nothing was found.
        public var symptom: Bool?
        /// Why it was skipped or refused, typed (``RunEvent/skipReason``).
        public var reason: SkipReason?
        /// A reason that is only text: one of a log of an earlier version (no `reason_code`); `nil`
        /// when ``reason`` is set.
        public var untypedReason: String?
        public var evidence: [String: String]
        /// For a re-verification after a fix: the fix that was applied.
        public var after: String?
        /// For a fix: its script as shown to a person.
        public var script: String?

        public init(step: StepPath, status: Status) {
            self.step = step
            self.status = status
            evidence = [:]
        }
    }

    /// How a run ended.
    public struct RunEnd: Sendable, Equatable {
        public var outcome: Outcome
        public var exit: Int32
        public var findings: [String]
        public var causes: [String]
        /// Each cause's finding text, by step id.
        public var causeFindings: [String: String]
        /// Steps a finding could not be checked past (`unchecked`).
        public var unchecked: [String]
        public var log: String?

        public init(
            outcome: Outcome, exit: Int32, findings: [String] = [], causes: [String] = [],
            causeFindings: [String: String] = [:], unchecked: [String] = [], log: String? = nil
        ) {
            self.outcome = outcome
            self.exit = exit
            self.findings = findings
            self.causes = causes
            self.causeFindings = causeFindings
            self.unchecked = unchecked
            self.log = log
        }
    }

    /// The event of `payload`, with the fields the log holds for it (empty lists and maps are left
    /// out of the line, as the runner has always written them).
    public init(run: String, ts: String, _ payload: Payload) {
        switch payload {
        case .runStart(let start):
            self.init(event: .runStart, run: run, ts: ts)
            runbook = start.runbook
            title = start.title
            model = start.model
            inputs = start.inputs
            vm = start.vm
        case .step(let result):
            self.init(event: .step, run: run, ts: ts)
            step = result.step.description
            status = result.status
            block = result.block
            section = result.section
            kind = result.blockKind
            stepKind = result.stepKind
            action = result.action
            durationMS = result.durationMS
            summary = result.summary
            finding = result.finding
            fix = result.fix
            symptom = result.symptom
            if let reason = result.reason {
                skipReason = reason
            } else {
                reason = result.untypedReason
            }
            evidence = result.evidence.isEmpty ? nil : result.evidence
            after = result.after
            script = result.script
        case .runEnd(let end):
            self.init(event: .runEnd, run: run, ts: ts)
            outcome = end.outcome
            exit = end.exit
            findings = end.findings
            causes = end.causes
            causeFindings = end.causeFindings.isEmpty ? nil : end.causeFindings
            unchecked = end.unchecked
            log = end.log
        }
    }

    /// The event's content by kind; `nil` for a line that lacks what its kind needs (a step
    /// without a step id or status, a run-end without an outcome: a damaged or foreign log).
    public var payload: Payload? {
        switch event {
        case .runStart:
            return .runStart(
                RunStart(
                    runbook: runbook ?? "", title: title ?? "", model: model ?? "", inputs: inputs ?? [:], vm: vm))
        case .step:
            guard let step, let status else { return nil }
            var result = StepResult(step: StepPath(step), status: status)
            result.block = block
            result.section = section
            result.blockKind = kind
            result.stepKind = stepKind
            result.action = action
            result.durationMS = durationMS
            result.summary = summary
            result.finding = finding
            result.fix = fix
            result.symptom = symptom
            result.reason = skipReason
            result.untypedReason = result.reason == nil ? reason : nil
            result.evidence = evidence ?? [:]
            result.after = after
            result.script = script
            return .step(result)
        case .runEnd:
            guard let outcome else { return nil }
            return .runEnd(
                RunEnd(
                    outcome: outcome, exit: exit ?? outcome.exitCode, findings: findings ?? [], causes: causes ?? [],
                    causeFindings: causeFindings ?? [:], unchecked: unchecked ?? [], log: log))
        }
    }
}
