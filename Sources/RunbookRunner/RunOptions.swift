public import RunbookActions

/// How a run should go: chosen by the CLI, handed to ``Runner``.
public struct RunOptions: Sendable {
    /// Input values by name (defaults already applied by ``InputResolver``).
    public var inputs: [String: String]
    /// Names of inputs whose values must never be shown.
    public var secretInputs: Set<String>
    /// Run `run` fixes without asking.
    public var assumeYes: Bool
    /// Show fixes instead of running them.
    public var dryRun: Bool
    /// Whether a person can answer prompts (a terminal, and not `--non-interactive`).
    public var interactive: Bool
    /// How VM-side checks reach the VM; `nil` skips them.
    public var vm: (any Executor)?
    /// The `--vm` text, for the log.
    public var vmSpec: String?
    /// Timeout of a block without `timeout=`.
    public var defaultTimeout: Duration
    /// The client's environment, for checks and for `run` fixes.
    public var environment: [String: String]
    /// Where the JSONL log goes, shown in the console and the run-end event.
    public var logPath: String?

    public init(
        inputs: [String: String] = [:], secretInputs: Set<String> = [], assumeYes: Bool = false,
        dryRun: Bool = false, interactive: Bool = false, vm: (any Executor)? = nil, vmSpec: String? = nil,
        defaultTimeout: Duration = .seconds(30), environment: [String: String] = [:], logPath: String? = nil
    ) {
        self.inputs = inputs
        self.secretInputs = secretInputs
        self.assumeYes = assumeYes
        self.dryRun = dryRun
        self.interactive = interactive
        self.vm = vm
        self.vmSpec = vmSpec
        self.defaultTimeout = defaultTimeout
        self.environment = environment
        self.logPath = logPath
    }
}
