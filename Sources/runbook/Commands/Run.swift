import ArgumentParser
import Foundation
import RunbookApp
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

        @Option(
            name: [.customShort("i"), .customLong("input")],
            help: ArgumentHelp(
                "An input value; repeat for more. A value given here is visible to other users (ps) for the whole run: give secrets as RUNBOOK_INPUT_NAME in the environment (new-password → RUNBOOK_INPUT_NEW_PASSWORD), in --inputs FILE, or at the prompt.",
                valueName: "name=value"))
        var inputs: [String] = []

        @Option(
            name: .customLong("inputs"),
            help: ArgumentHelp("A YAML file of input values (name: value).", valueName: "file"))
        var inputsFile: String?

        @Option(
            help: ArgumentHelp(
                "Run again with the inputs and --vm of an earlier run of the same runbook and model: its log, or the run id the verdict shows. Secret inputs are not in a log: give them again. -i, --inputs and --vm given here win.",
                valueName: "log|run-id"))
        var again: String?

        @Option(
            help: ArgumentHelp(
                "Write the JSON Lines log here (default: $XDG_STATE_HOME/runbook/runs/).", valueName: "file"))
        var log: String?

        @Option(help: "Console output: text, or json (the log's events on stdout)")
        var format: OutputFormat = .text

        @Option(
            help: ArgumentHelp(
                "How VM-side checks reach the VM: local, exec:PREFIX, ssh:[user@]host[:port], az:RESOURCE_GROUP/VM. Without it they are skipped.",
                valueName: "spec"))
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

        /// The request these options make, for the app.
        var request: RunRequest {
            let environment = ProcessInfo.processInfo.environment
            return RunRequest(
                choice: target.choice,
                inputs: InputSources(
                    arguments: inputs, file: inputsFile, environment: environment,
                    prompt: { TerminalPrompter.value(of: $0) }),
                again: again, log: log, vm: vm, assumeYes: yes, dryRun: dryRun,
                interactive: !nonInteractive && FileOutput.standardInput.isTerminal,
                timeout: timeout == "30s" ? nil : timeout, environment: environment)
        }

        func validate() throws {
            do {
                _ = try request.defaultTimeout()
            } catch {
                throw ValidationError(error.message)
            }
        }

        func run() async throws {
            let run = try RunbookApp().prepare(request)
            let environment = run.options.environment
            let console: any EventSink =
                format == .json
                ? JSONLSink(descriptor: 1)
                : ConsoleSink(
                    colour: ConsoleSink.wantsColour(environment: environment), verbose: verbose,
                    live: FileOutput.standardOutput.isTerminal,
                    width: FileOutput.standardOutput.columns(environment: environment),
                    rerun: run.rerunCommand, logReference: run.logReference, logFolder: run.logFolderText)
            let end = await SignalHandling.run { received in
                await run.run(
                    sinks: [console], prompter: TerminalPrompter(environment: environment),
                    interruptSignal: { received.signal })
            }
            throw ExitCode(end.exit ?? 3)
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
