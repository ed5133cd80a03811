import Foundation
public import RunbookActions
public import RunbookCore
public import RunbookRunner

/// The one entry of every client of the engine (the `runbook` CLI, a server, fleet runs): requests
/// in, typed events out to the sinks the client hands in.
public struct RunbookApp: Sendable {
    /// The check actions runbooks may use.
    public let registry: ActionRegistry

    public init(registry: ActionRegistry = .builtIn) {
        self.registry = registry
    }

    /// Everything a run decides before its first step: the runbook (read once), its graph, the
    /// input values, the secret policy, the executor, and the log, opened.
    ///
    /// - Throws: ``AppError`` (exit 2) for a bad runbook, input, `--again`, `--vm` or log path.
    public func prepare(_ request: RunRequest) throws(AppError) -> PreparedRun {
        let chosen = try request.choice.resolve(withoutModel: .required, command: "run")
        let (runbook, model) = (chosen.runbook, chosen.model ?? "default")
        try chosen.requireValid(registry: registry)
        let graph: StepGraph
        do { graph = try chosen.graph() } catch { throw AppError(error) }
        var earlier: [(String, String)] = []
        var vm = request.vm
        if let again = request.again {
            let run = try Self.earlierRun(again, runbook: runbook, model: model, environment: request.environment)
            earlier = run.inputs
            vm = vm ?? run.vm
        }
        var inputs = request.inputs
        if !request.interactive { inputs.prompt = nil }
        var values = try inputs.resolve(for: runbook, earlier: earlier)
        let secrets = try SecretPolicy(runbook: runbook, values: &values)
        var executor: (any Executor)?
        if let vm {
            do { executor = try VMSpec.executor(from: vm) } catch { throw AppError(error) }
        }
        let timeout = try request.defaultTimeout()
        let runID = UUID().uuidString.lowercased()
        let folder = RunLogs.Folder(environment: request.environment)
        let logPath =
            request.log ?? (folder.path + "/" + RunLogs.fileName(runbook: runbook.id, model: model, runID: runID))
        let log: JSONLSink
        do {
            log = try JSONLSink(path: logPath, mode: request.log == nil ? .createNew : .userPath)
        } catch {
            throw .badInput("cannot write the log: \(error.description)")
        }
        let reference = RunLogs.reference(logPath: logPath, runID: runID, environment: request.environment)
        // `--again` reads the log back: not when it went into a device or a pipe (`--log /dev/null`).
        var info = stat()
        let readable = stat(logPath, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        let rerun = request.rerunCommand(again: readable ? reference : nil, secrets: secrets.names)
        let options = RunOptions(
            inputs: values, secretInputs: secrets.names, assumeYes: request.assumeYes, dryRun: request.dryRun,
            interactive: request.interactive, vm: executor, vmSpec: vm, defaultTimeout: timeout,
            environment: request.environment, logPath: logPath)
        return PreparedRun(
            registry: registry, knowledgeBase: chosen.knowledgeBase, graph: graph, options: options,
            secrets: secrets, runID: runID, log: log, logReference: reference,
            rerunCommand: secrets.masked(rerun), logFolderText: folder.text)
    }

    /// The inputs (secrets left out: a log has them as `***`) and `--vm` of the run that wrote the
    /// log `reference` names, which must be a run of `runbook` and `model`.
    static func earlierRun(
        _ reference: String, runbook: Runbook, model: String, environment: [String: String]
    ) throws(AppError) -> (inputs: [(String, String)], vm: String?) {
        let start: RunEvent
        do {
            start = try RunLogs.start(ofLog: RunLogs.path(of: reference, environment: environment))
        } catch {
            throw .badInput("--again: \(error.description)")
        }
        guard start.runbook == runbook.id, start.model == model else {
            throw .badInput(
                "--again: '\(reference)' is a run of \(start.runbook ?? "?") (model \(start.model ?? "?")), "
                    + "not of \(runbook.id) (model \(model)); give that runbook and model")
        }
        let inputs = (start.inputs ?? [:]).filter { name, _ in runbook.input(name).map { !$0.secret } ?? false }
        return (inputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, start.vm)
    }
}

/// A run ready to start: what ``RunbookApp/prepare(_:)`` decided, and its log, open.
public struct PreparedRun: Sendable {
    public let registry: ActionRegistry
    public let knowledgeBase: KnowledgeBase
    public let graph: StepGraph
    public let options: RunOptions
    public let secrets: SecretPolicy
    public let runID: String
    let log: JSONLSink
    /// How the console names this run's log in the commands it prints: its short id or its path.
    public let logReference: String
    /// The command the verdict prints to run a fix after this run, secrets masked.
    public let rerunCommand: String
    /// The default log folder as a person types it.
    public let logFolderText: String

    public var runbook: Runbook { graph.runbook }
    /// Where the JSON Lines log goes.
    public var logPath: String { options.logPath ?? "" }
    /// The model's name as the console shows it (`Resource Manager`).
    public var modelName: String { runbook.model(graph.model)?.name ?? graph.model }

    /// Runs the graph, handing every event (secrets masked) to the log and then to `sinks`, and
    /// returns the run-end event. Cancelling the task interrupts the run; it still ends with run-end.
    ///
    /// - Parameters:
    ///   - prompter: asks a person for consent and manual outcomes (used only when interactive).
    ///   - interruptSignal: the signal that cancelled the task, for the exit code (128 + it).
    public func run(
        sinks: [any EventSink], prompter: any Prompter = TerminalPrompter(),
        interruptSignal: @escaping @Sendable () -> Int32? = { nil }
    ) async -> RunEvent {
        let hub = EventHub(
            sinks: [log] + sinks, redactor: secrets.redactor,
            context: EventContext(
                runbook: runbook, modelName: modelName, logPath: logPath, knowledgeBase: knowledgeBase.byID))
        let runner = Runner(
            graph: graph, registry: registry, knowledgeBase: knowledgeBase.byID, options: options,
            prompter: prompter, runID: runID)
        return await runner.run(events: hub, interruptSignal: interruptSignal)
    }
}
