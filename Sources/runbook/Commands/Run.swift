import ArgumentParser
import Foundation
import RunbookActions
import RunbookCore
import RunbookMarkdown
import RunbookRunner
import Synchronization

extension RunbookCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a runbook for a deployment model and name the layer that breaks.",
            discussion: """
                The verify step runs first; when it passes the run ends 'healthy'. Otherwise every \
                step of the model runs in order, each failure is recorded as a finding, fixes ask \
                for consent, and the verify step runs again after each fix. \
                Without a runbook the one marked default: true runs; without a model, its default-model \
                (or its only model).

                Examples:
                  runbook run arm -i host=vm1.example.com --vm ssh:admin@10.0.0.4
                  runbook run reset-access classic -i host=mysvc.cloudapp.net
                  runbook run --runbook ./my.md --model arm -i host=10.0.0.4
                  runbook run arm --again 6f0c1a2b --yes
                """)

        @OptionGroup var target: RunbookArguments

        @Option(name: [.customShort("i"), .customLong("input")], help: ArgumentHelp(
            "An input value; repeat for more. A value given here is visible to other users (ps) for the whole run: give secrets as RUNBOOK_INPUT_NAME in the environment (new-password → RUNBOOK_INPUT_NEW_PASSWORD), in --inputs FILE, or at the prompt.",
            valueName: "name=value"))
        var inputs: [String] = []

        @Option(name: .customLong("inputs"), help: ArgumentHelp("A YAML file of input values (name: value).", valueName: "file"))
        var inputsFile: String?

        @Option(help: ArgumentHelp(
            "Run again with the inputs and --vm of an earlier run of the same runbook and model: its log, or the run id the verdict shows. Secret inputs are not in a log: give them again. -i, --inputs and --vm given here win.",
            valueName: "log|run-id"))
        var again: String?

        @Option(help: ArgumentHelp("Write the JSON Lines log here (default: $XDG_STATE_HOME/runbook/runs/).", valueName: "file"))
        var log: String?

        @Option(help: "Console output: text, or json (the log's events on stdout)")
        var format: OutputFormat = .text

        @Option(help: ArgumentHelp("How VM-side checks reach the VM: local, exec:PREFIX, ssh:[user@]host[:port], az:RESOURCE_GROUP/VM. Without it they are skipped.", valueName: "spec"))
        var vm: String?

        @Flag(help: "Run fixes without asking.")
        var yes = false

        @Flag(help: "Show what fixes would run; run none.")
        var dryRun = false

        @Flag(help: "Never prompt: manual steps are logged as manual, fixes without --yes are refused.")
        var nonInteractive = false

        @Flag(help: "Show every step and block on the console (default: what carries news, the rest folded).")
        var verbose = false

        @Option(help: ArgumentHelp("Timeout of a block without its own timeout=", valueName: "duration"))
        var timeout: String = "30s"

        func validate() throws {
            guard DurationText.parse(timeout) != nil else {
                throw ValidationError("--timeout '\(timeout)' is not a duration of at most a day (write 500ms, 5s, 2m or 1h)")
            }
        }

        func run() async throws {
            let registry = ActionRegistry.builtIn
            let selected = try target.resolve(withoutModel: .required, command: "run")
            let (base, chosen, model) = (selected.knowledgeBase, selected.runbook, selected.model ?? "default")
            let knowledgeBase = target.knowledgeBase
            try knowledgeBase.requireValid(chosen, knowledgeBase: base, registry: registry)
            let graph = try knowledgeBase.graph(chosen, model: model)
            let environment = ProcessInfo.processInfo.environment
            let interactive = !nonInteractive && FileOutput.standardInput.isTerminal
            var given: [(String, String)] = []
            var vm = vm
            if let again {
                let earlier = try Self.earlierRun(again, runbook: chosen, model: model, environment: environment)
                given += earlier.inputs
                vm = vm ?? earlier.vm
            }
            if let inputsFile { given += try Self.readInputsFile(inputsFile) }
            // RUNBOOK_INPUT_NEW_PASSWORD=… gives input new-password without putting it in argv.
            given += InputResolver.fromEnvironment(environment, for: chosen)
            do {
                given += try InputResolver.parse(inputs)
            } catch {
                throw UsageError(error.description)
            }
            var values: [String: String]
            do {
                let ask: ((Input) -> String?)? = interactive ? { Self.ask($0) } : nil
                values = try InputResolver.resolve(given, for: chosen, ask: ask)
            } catch {
                throw UsageError("\(error)")
            }
            for input in chosen.inputs where input.secret {
                if let value = values[input.name], value.isEmpty { values[input.name] = nil }
                if let value = values[input.name], value.count < InputResolver.minimumSecretLength {
                    throw UsageError(
                        "secret input '\(input.name)' is shorter than \(InputResolver.minimumSecretLength) characters; "
                            + "masking it would hide every such character of the output")
                }
            }
            var executor: (any Executor)?
            if let vm {
                do { executor = try VMSpec.executor(from: vm) } catch { throw UsageError("\(error)") }
            }
            let runID = UUID().uuidString.lowercased()
            let logPath = log ?? (JSONLSink.defaultDirectory(environment: environment) + "/"
                + JSONLSink.fileName(runbook: chosen.id, model: model, runID: runID))
            let logSink: JSONLSink
            do {
                logSink = try JSONLSink(path: logPath, mode: log == nil ? .createNew : .userPath)
            } catch {
                throw UsageError("cannot write the log: \(error.description)")
            }
            let secrets = Set(chosen.inputs.filter(\.secret).map(\.name))
            let redactor = Redactor(secretValues: secrets.compactMap { values[$0] })
            // `--again` reads the log back: not when it went into a device or a pipe (`--log /dev/null`).
            let reference = RunLogs.reference(logPath: logPath, runID: runID, environment: environment)
            let readable = (try? FileManager.default.attributesOfItem(atPath: logPath)[.type] as? FileAttributeType) == .typeRegular
            let rerun = Self.rerunCommand(CommandLine.arguments, again: readable ? reference : nil, secrets: secrets)
            let consoleSink: any EventSink =
                format == .json
                ? JSONLSink(descriptor: 1)
                : ConsoleSink(
                    colour: ConsoleSink.wantsColour(environment: environment), verbose: verbose,
                    live: FileOutput.standardOutput.isTerminal,
                    width: FileOutput.standardOutput.columns(environment: environment),
                    rerun: redactor.redact(rerun),
                    logReference: reference, logFolder: RunLogs.defaultFolderText(environment: environment))
            let options = RunOptions(
                inputs: values, secretInputs: secrets, assumeYes: yes, dryRun: dryRun, interactive: interactive,
                vm: executor, vmSpec: vm, defaultTimeout: DurationText.parse(timeout) ?? .seconds(30),
                environment: environment, logPath: logPath)
            let modelName = chosen.model(model)?.name ?? model
            let hub = EventHub(
                sinks: [logSink, consoleSink],
                redactor: redactor,
                context: EventContext(runbook: chosen, modelName: modelName, logPath: logPath, knowledgeBase: base.byID))
            let runner = Runner(
                graph: graph, registry: registry, knowledgeBase: base.byID, options: options,
                prompter: TerminalPrompter(environment: environment), runID: runID)
            let end = await SignalHandling.run { received in
                await runner.run(events: hub, interruptSignal: { received.signal })
            }
            throw ExitCode(end.exit ?? 3)
        }

        static func ask(_ input: Input) -> String? {
            FileOutput.standardError.write("\(input.name) (\(input.description)): ")
            guard input.secret else { return readLine() }
            // A secret is typed without echo.
            var saved = termios()
            guard tcgetattr(0, &saved) == 0 else { return readLine() }
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSANOW, &quiet)
            defer {
                tcsetattr(0, TCSANOW, &saved)
                FileOutput.standardError.write("\n")
            }
            return readLine()
        }

        static func readInputsFile(_ path: String) throws -> [(String, String)] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw UsageError("cannot read inputs file '\(path)'")
            }
            let root: MetaNode?
            do {
                root = try YAMLReader.read(text, firstLine: 1)
            } catch {
                throw UsageError("\(path):\(error.location): \(error.message)")
            }
            guard let root, case .mapping(let pairs) = root.value else {
                throw UsageError("\(path):1:1: inputs file must be a YAML mapping of name: value")
            }
            return pairs.compactMap { pair in
                guard let key = pair.key.string else { return nil }
                return (key, pair.value.string ?? "")
            }
        }
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }
}

/// Runs work that SIGINT, SIGTERM, SIGHUP and SIGPIPE cancel (instead of killing the process), so the run can
/// close its log and end with `interrupted` and exit 128 + the signal (130, 143, 129, 141).
enum SignalHandling {
    static func run<T: Sendable>(_ work: @escaping @Sendable (Box) async -> T) async -> T {
        let received = Box()
        let task = Task { await work(received) }
        var sources: [any DispatchSourceSignal] = []
        // SIGHUP (the operator's SSH session drops) and SIGPIPE (`runbook run … | head`) end the
        // run like SIGTERM: the log is closed with run-end, children are stopped.
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                received.value.store(number, ordering: .relaxed)
                task.cancel()
            }
            source.resume()
            sources.append(source)
        }
        let result = await task.value
        for source in sources { source.cancel() }
        return result
    }

    /// The signal that interrupted the run, if any.
    final class Box: Sendable {
        let value = Atomic<Int32>(0)

        var signal: Int32? {
            let number = value.load(ordering: .relaxed)
            return number == 0 ? nil : number
        }
    }
}
