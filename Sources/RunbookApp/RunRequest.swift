import RunbookCore

/// Everything a run needs to know from its client (the CLI, a server, a fleet): which runbook and
/// model, the four sources of inputs, an earlier run to take inputs from, how fixes may run, how
/// VM-side checks reach the VM, and where the log goes.
///
/// ```swift
/// let request = RunRequest(choice: RunbookChoice(words: ["arm"]), inputs: InputSources(arguments: ["host=vm1"]))
/// let run = try RunbookApp().prepare(request)
/// let end = await run.run(sinks: [console])
/// ```
public struct RunRequest: Sendable {
    /// The runbook and the model, and the knowledge base they are read from.
    public var choice: RunbookChoice
    /// The input values: `-i`, `--inputs FILE`, `RUNBOOK_INPUT_*`, the prompt.
    public var inputs: InputSources
    /// `--again`: the log or the run id of an earlier run of the same runbook and model, whose
    /// inputs (not its secrets) and `--vm` are used unless given again.
    public var again: String?
    /// `--log FILE`; nil writes a new log in the default folder (``RunLogs/Folder``).
    public var log: String?
    /// `--vm SPEC`: how VM-side checks reach the VM; nil skips them.
    public var vm: String?
    /// `--yes`: run fixes without asking.
    public var assumeYes: Bool
    /// `--dry-run`: show fixes, run none.
    public var dryRun: Bool
    /// Whether a person can answer prompts (a terminal, and not `--non-interactive`).
    public var interactive: Bool
    /// `--timeout` as given: the timeout of a block without its own; nil for the default, 30s.
    public var timeout: String?
    /// The client's environment: the default log folder, and the checks' and fixes' environment.
    public var environment: [String: String]

    public init(
        choice: RunbookChoice, inputs: InputSources = InputSources(), again: String? = nil, log: String? = nil,
        vm: String? = nil, assumeYes: Bool = false, dryRun: Bool = false, interactive: Bool = false,
        timeout: String? = nil, environment: [String: String] = [:]
    ) {
        self.choice = choice
        self.inputs = inputs
        self.again = again
        self.log = log
        self.vm = vm
        self.assumeYes = assumeYes
        self.dryRun = dryRun
        self.interactive = interactive
        self.timeout = timeout
        self.environment = environment
    }

    /// The timeout of a block without `timeout=`: ``timeout``, else 30 seconds.
    public func defaultTimeout() throws(AppError) -> Duration {
        guard let timeout else { return .seconds(30) }
        guard let duration = DurationText.parse(timeout) else {
            throw .badInput(
                "--timeout '\(timeout)' is not a duration of at most a day (write 500ms, 5s, 2m or 1h)")
        }
        return duration
    }
}
