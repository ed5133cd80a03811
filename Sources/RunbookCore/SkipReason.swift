/// Why a step or block did not run, or ran without a verdict: the one place that words it.
///
/// The runner records a `SkipReason`; the log holds its ``text`` (the `reason` field, unchanged
/// from earlier versions) and its ``code`` (`reason_code`). The console, the verdict and the
/// report switch over the code; none of them reads the English back.
public enum SkipReason: Sendable, Equatable {
    /// Inputs the block's arguments or script name were not given.
    case needsInput([String])
    /// A check (`fix: false`) or a fix (`fix: true`) that works inside the VM, without `--vm`.
    case needsVM(fix: Bool)
    /// A step named by `requires=` did not pass; `status` is what it did instead (`nil`: it did not run).
    case requiresFailed(step: String, status: RunEvent.Status?)
    /// A jump (`on-pass`/`on-fail`) of step `by` went past this step.
    case jumpedOver(by: String, passed: Bool)
    /// A fix that only checks that did not fail name (`fix=`).
    case notNeeded(namedBy: [String])
    /// The same fix (by step or by script) was offered earlier in this run as `step`.
    case alreadyOffered(as: String)
    /// A dry run: what would have been done (`would run this sh fix on this computer`).
    case dryRun(String)
    /// A tool the fix runs is not available, or `az` is not logged in; the text says which.
    case missingTool(String)
    /// A fix reads secret inputs and the VM executor `vm` would put its script in an argv.
    case secretOverArgv(names: [String], vm: String)
    /// An input would set a variable that is unsafe for a fix; the text says which.
    case unsafeInput(String)
    /// A fix needs consent and nobody could give it (no `--yes`, no terminal).
    case noConsent
    /// A fix the person declined at the prompt.
    case declined
    /// A signal stopped the step while it ran.
    case interrupted
    /// A manual step nobody was asked about: a person does it, reading runbook `runbook`.
    case byHand(runbook: String)
    /// The check action itself skipped (another model's data, nothing to check); its own words.
    case checkSkipped(String)

    /// The kebab-case name of a reason, as the log's `reason_code` holds it.
    public enum Code: String, Codable, Sendable, CaseIterable {
        case needsInput = "needs-input"
        case needsVM = "needs-vm"
        case requiresFailed = "requires-failed"
        case jumpedOver = "jumped-over"
        case notNeeded = "not-needed"
        case alreadyOffered = "already-offered"
        case dryRun = "dry-run"
        case missingTool = "missing-tool"
        case secretOverArgv = "secret-over-argv"
        case unsafeInput = "unsafe-input"
        case noConsent = "no-consent"
        case declined
        case interrupted
        case byHand = "by-hand"
        case checkSkipped = "check-skipped"
        /// A code this version does not know (a log of a later version).
        case unknown

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            self = Code(rawValue: text) ?? .unknown
        }

        /// Whether a fix skipped so was not wanted in this run (it is no next step to propose):
        /// nothing needs it, it ran already, a step it needs did not pass, or the walk went past it.
        public var leavesFixUnwanted: Bool {
            switch self {
            case .notNeeded, .alreadyOffered, .requiresFailed, .jumpedOver: true
            default: false
            }
        }
    }

    public var code: Code {
        switch self {
        case .needsInput: .needsInput
        case .needsVM: .needsVM
        case .requiresFailed: .requiresFailed
        case .jumpedOver: .jumpedOver
        case .notNeeded: .notNeeded
        case .alreadyOffered: .alreadyOffered
        case .dryRun: .dryRun
        case .missingTool: .missingTool
        case .secretOverArgv: .secretOverArgv
        case .unsafeInput: .unsafeInput
        case .noConsent: .noConsent
        case .declined: .declined
        case .interrupted: .interrupted
        case .byHand: .byHand
        case .checkSkipped: .checkSkipped
        }
    }

    /// The inputs that would let the step run (``needsInput(_:)``); empty for every other reason.
    public var inputNames: [String] {
        if case .needsInput(let names) = self { return names }
        return []
    }

    static let vmFlags = "give --vm (local, exec:PREFIX, ssh:[user@]host[:port] or az:RG/VM)"

    /// The English the log's `reason` holds (the same bytes as earlier versions wrote).
    public var text: String {
        switch self {
        case .needsInput(let names):
            let list = names.map { "'\($0)'" }.joined(separator: ", ")
            let flags = names.map { "-i \($0)=..." }.joined(separator: " ")
            return "needs input \(list) (\(flags))"
        case .needsVM(let fix): return (fix ? "runs" : "looks") + " inside the VM: " + Self.vmFlags
        case .requiresFailed(let step, let status): return "requires #\(step), which \(Self.describe(status))"
        case .jumpedOver(let step, let passed): return "jumped over: #\(step) \(passed ? "passed" : "failed")"
        case .notNeeded(let steps):
            let named = steps.map { "#\($0)" }.joined(separator: ", ")
            return "not needed: it fixes what \(named) checks, which did not fail"
        case .alreadyOffered(let step): return "already offered in this run as #\(step)"
        case .dryRun(let what): return "dry run: " + what
        case .missingTool(let text), .unsafeInput(let text), .checkSkipped(let text): return text
        case .secretOverArgv(let names, let vm):
            let list = names.map { "'\($0)'" }.joined(separator: ", ")
            return "reads secret input \(list), and --vm \(vm) sends the script as a command-line argument "
                + "of az run-command; use --vm ssh:… or exec:…, or do it by hand"
        case .noConsent: return "a fix runs only with consent: give --yes, or answer at a terminal"
        case .declined: return "declined at the prompt"
        case .interrupted: return "stopped by a signal"
        case .byHand(let runbook): return "do it by hand (see 'runbook show \(runbook)')"
        }
    }

    /// The words without their advice for the command line (`give --vm …`, `(-i vm=...)`), for a
    /// page read by people who may not run the command. An action's own words are as it wrote them.
    public var textWithoutAdvice: String {
        switch self {
        case .needsInput(let names): return "needs input " + names.map { "'\($0)'" }.joined(separator: ", ")
        case .needsVM(let fix): return (fix ? "runs" : "looks") + " inside the VM"
        case .secretOverArgv(let names, let vm):
            let list = names.map { "'\($0)'" }.joined(separator: ", ")
            return "reads secret input \(list), and --vm \(vm) sends the script as a command-line argument "
                + "of az run-command"
        case .noConsent: return "a fix runs only with consent"
        default: return text
        }
    }

    /// What a step's status means to a step that requires it.
    static func describe(_ status: RunEvent.Status?) -> String {
        switch status {
        case nil: "did not run"
        case .fail: "failed"
        case .error: "could not be checked"
        case .skipped: "was skipped"
        case .manual: "is a manual step nobody confirmed"
        case .refused: "was not allowed to run"
        case .interrupted: "was interrupted"
        case .pass, .done: "passed"
        }
    }
}
