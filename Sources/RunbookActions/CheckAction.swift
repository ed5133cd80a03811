public import RunbookCore

/// A read-only check that a `check NAME ...` block runs.
///
/// An action never throws for a failing check: it returns a ``CheckResult`` whose status says
/// `pass`, `fail` or `error` (could not decide), with evidence a person can act on.
public protocol CheckAction: Sendable {
    /// Name, arguments and example; lint validates blocks against it before anything runs.
    var schema: ActionSchema { get }
    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult
}

/// The outcome of one check.
public struct CheckResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pass, fail, error
        /// The check cannot apply here (no sshd runs, so there is no config to read; the login never
        /// reached authentication, so no key was tried). Logged as `skipped` with the summary as reason.
        case skipped
    }

    public var status: Status
    /// One short line for the console: `open`, `refused by 127.0.0.1:2222`, `SSH-2.0-OpenSSH_9.2`.
    public var summary: String
    /// Facts behind the verdict, logged as the step's `evidence`.
    public var evidence: [String: String]
    /// What a failure means, in the reader's words, when the action knows better than a fixed
    /// text ("The NIC NSG vm1-nsg denies TCP … by rule DenyAll22 (priority 100, Deny)"); a block's
    /// own `finding=` still wins.
    public var finding: String?
    /// Values a fix needs that the check found, by the name of the runbook input they stand for
    /// (``ActionSchema/provides``): the NSG that denied, a priority that wins over its rule. A
    /// run gives them to its later fixes for the inputs that were not given.
    public var provides: [String: String]

    public init(
        _ status: Status, _ summary: String, evidence: [String: String] = [:], finding: String? = nil,
        provides: [String: String] = [:]
    ) {
        self.status = status
        self.summary = summary
        self.evidence = evidence
        self.finding = finding
        self.provides = provides
    }

    public static func pass(_ summary: String, evidence: [String: String] = [:]) -> CheckResult {
        CheckResult(.pass, summary, evidence: evidence)
    }

    public static func fail(
        _ summary: String, evidence: [String: String] = [:], finding: String? = nil, provides: [String: String] = [:]
    ) -> CheckResult {
        CheckResult(.fail, summary, evidence: evidence, finding: finding, provides: provides)
    }

    public static func error(_ summary: String, evidence: [String: String] = [:]) -> CheckResult {
        CheckResult(.error, summary, evidence: evidence)
    }

    /// The check does not apply; `reason` says why (logged as the step's `reason`).
    public static func skipped(_ reason: String, evidence: [String: String] = [:]) -> CheckResult {
        CheckResult(.skipped, reason, evidence: evidence)
    }
}

/// What a check may use besides its arguments.
public struct CheckContext: Sendable {
    /// How long the check may take in all; actions pass it on to the tools they start.
    public var timeout: Duration
    /// How to run commands and read files inside the VM; `nil` when no `--vm` was given.
    public var vm: (any Executor)?
    /// Runs commands on this (the client) machine.
    public var local: any Executor
    /// The environment of the client (HOME, proxies, SSH settings).
    public var environment: [String: String]

    public init(
        timeout: Duration = .seconds(30), vm: (any Executor)? = nil, local: any Executor = LocalExecutor(),
        environment: [String: String] = [:]
    ) {
        self.timeout = timeout
        self.vm = vm
        self.local = local
        self.environment = environment
    }

    /// The client's home directory (HOME, or `/root` when unset).
    public var home: String { environment["HOME"] ?? "/root" }

    /// Where an action with an `on=client|vm` argument runs: the VM's executor for `vm` (`nil`
    /// without `--vm`), this machine otherwise.
    public func executor(on place: String?) -> (any Executor)? {
        place == "vm" ? vm : local
    }

    /// `~` and `~/...` expanded with the client's home.
    public func expandingTilde(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + String(path.dropFirst(1)) }
        return path
    }
}

/// The check actions a run can use, by name.
public struct ActionRegistry: Sendable {
    public private(set) var actions: [String: any CheckAction]

    public init(_ actions: [any CheckAction]) {
        self.actions = Dictionary(actions.map { ($0.schema.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Every built-in action.
    public static var builtIn: ActionRegistry { ActionRegistry(BuiltInActions.all) }

    public subscript(name: String) -> (any CheckAction)? { actions[name] }

    public var schemas: [String: ActionSchema] { actions.mapValues(\.schema) }

    public var names: [String] { actions.keys.sorted() }
}
