import Foundation
import RunbookActions
import RunbookCore

/// Fixes: which the run offers, in what order, where they run and with what environment.
///
/// - Order: a group of fix steps is offered as ``StepGraph/fixOrder(of:pointedTo:)`` says: the
///   fixes failed checks point to (`fix=`), causes before symptoms, in the order found; then the
///   fixes no check names, in document order; a fix named only by checks that did not fail is
///   `skipped` ("not needed").
/// - Once: a fix whose step id, or whose script (and place), was already offered in this run is
///   `skipped` ("already offered"), also when a called runbook holds it again.
/// - Tools: a fix on the client that runs `az` or `azure` is `skipped` when the tool is not on
///   PATH, or (`az`) when `az account show` fails: asked once per run, not in a dry run.
/// - Place: `on=vm` runs through the `--vm` executor (`skipped` without one); a fix reading a
///   secret is `refused` with an executor that would put the script in an argv (`az:`).
/// - Environment: the inputs as variables, a secret only when the script names it, and then
///   also as `NAME_FILE`, a private file removed when the fix ends. An input not given takes the
///   value a failed check supplied for it (``CheckResult/provides``: the NSG that denied, a
///   priority that wins over its rule), if any. The script is never edited: values shown to a
///   person (prompt, dry run) are substituted into a copy.
extension Runner {
    /// Offers the fix steps of `group` in their order; sets `state.resolved` when one resolved the problem.
    func offerFixes(
        _ group: Range<Int>, of graph: StepGraph, prefix: String, state: inout RunState, hub: EventHub
    ) async {
        let pointed = (state.pointedFixes.filter { !$0.symptom } + state.pointedFixes.filter(\.symptom))
            .compactMap { entry in entry.id.hasPrefix(prefix) ? String(entry.id.dropFirst(prefix.count)) : nil }
        let (offered, notNeeded) = graph.fixOrder(of: group, pointedTo: pointed)
        for step in offered {
            if Task.isCancelled { return }
            if let reason = unmetRequirement(step, in: graph, prefix: prefix, state: state) {
                await emitSkipped(
                    step, in: graph, id: prefix + step.id, reason: reason, fix: true, state: &state, hub: hub)
                continue
            }
            _ = await runStep(step, in: graph, prefix: prefix, state: &state, hub: hub)
            if state.resolved {
                state.moved(from: step.id, to: StepGraph.Terminal.resolved, .pass, prefix: prefix)
                return
            }
        }
        for step in notNeeded {
            await emitSkipped(
                step, in: graph, id: prefix + step.id, reason: .notNeeded(namedBy: graph.fixTargets[step.id] ?? []),
                fix: true, state: &state, hub: hub)
        }
    }

    func runFix(
        _ block: Block, shell: String, step: Step, prefix: String, runbook: Runbook, state: inout RunState,
        hub: EventHub
    ) async -> BlockResult {
        guard let place = block.place else {
            return BlockResult(
                status: .error, summary: "on: '\(block.argument("on")?.value ?? "")' is not 'client' or 'vm'")
        }
        let keys = ["step:\(step.id)", "script:\(place.rawValue):\(Self.normalized(block.body))"]
        let offered = state.offeredFixes
        if let earlier = keys.compactMap({ offered[$0] }).first {
            return BlockResult(status: .skipped, reason: .alreadyOffered(as: earlier))
        }
        let script = ShellScript(block.body)
        let values = state.fixValues(options)
        let needed = FixEnvironment.inputs(readBy: script, among: runbook.inputs)
        let missing = needed.filter { values[$0.name] == nil }.map(\.name)
        if !missing.isEmpty {
            return BlockResult(status: .skipped, reason: .needsInput(missing))
        }
        for input in needed {
            if let problem = FixEnvironment.problem(with: input, among: runbook.inputs) {
                return BlockResult(status: .refused, reason: .unsafeInput(problem))
            }
        }
        let secrets = needed.filter { $0.secret || options.secretInputs.contains($0.name) }
        let shown = FixEnvironment.display(
            block.body, inputs: runbook.inputs, values: values, secrets: options.secretInputs)
        let executor: any Executor
        let whereText: String
        switch place {
        case .client:
            executor = clientExecutor(options.environment)
            whereText = "on this computer"
        case .vm:
            guard let vm = options.vm else {
                return BlockResult(status: .skipped, reason: .needsVM(fix: true), script: shown)
            }
            executor = vm
            whereText = "in the VM (\(vm))"
            if vm.scriptTravelsInArgv, !secrets.isEmpty {
                return BlockResult(
                    status: .refused, reason: .secretOverArgv(names: secrets.map(\.name), vm: "\(vm)"), script: shown)
            }
        }
        if place == .client, let reason = await missingTool(script, state: &state) {
            return BlockResult(status: .skipped, reason: .missingTool(reason), script: shown)
        }
        for key in keys { state.offeredFixes[key] = prefix + step.id }
        if options.dryRun {
            return BlockResult(
                status: .skipped, reason: .dryRun("would run this \(shell) fix \(whereText)"), script: shown)
        }
        let title = place == .vm ? "\(step.title) — \(whereText)" : step.title
        if let refused = await refusal(
            of: step, id: prefix + step.id, title: title, prompt: shown, logged: shown, hub: hub)
        {
            return refused
        }
        // Every input that is not secret (a child shell of the fix may read it from the
        // environment); a secret only when the script names its variable or its file's.
        var environment: [String: String] = [:]
        var files: [String: String] = [:]
        for input in runbook.inputs {
            guard let value = values[input.name] else { continue }
            if input.secret || options.secretInputs.contains(input.name) {
                guard block.body.contains(input.environmentName) else { continue }
                files[input.fileEnvironmentName] = value
            } else if FixEnvironment.problem(with: input, among: runbook.inputs) != nil {
                continue
            }
            environment[input.environmentName] = value
        }
        let started = clock.now
        do {
            let output = try await executor.runScript(
                block.body, shell: shell, environment: environment, files: files, timeout: timeout(of: block))
            let elapsed = (clock.now - started).milliseconds
            // Mask secrets first, then cut: cutting first could leave the tail of a secret that
            // the masking no longer recognises.
            let mask = Redactor(secretValues: options.secretInputs.compactMap { options.inputs[$0] })
            var evidence = [
                "exit": String(output.exitCode),
                "stdout": String(mask.redact(output.standardOutput).suffix(600)),
                "stderr": String(mask.redact(output.standardError).suffix(600)),
            ]
            if place == .vm { evidence["vm"] = executor.description }
            let supplied = needed.filter { options.inputs[$0.name] == nil }.map {
                "\($0.name)=\(values[$0.name] ?? "")"
            }
            if !supplied.isEmpty { evidence["from-checks"] = supplied.joined(separator: " ") }
            if output.succeeded {
                return BlockResult(
                    status: .done, summary: place == .vm ? "applied in the VM" : "applied", evidence: evidence,
                    milliseconds: elapsed, script: shown)
            }
            let line = output.standardError.split(separator: "\n").last.map(String.init) ?? ""
            return BlockResult(
                status: .error,
                summary: "the fix failed with exit \(output.exitCode)\(line.isEmpty ? "" : ": \(line)")",
                evidence: evidence, milliseconds: elapsed, script: shown)
        } catch {
            return BlockResult(
                status: .error, summary: "\(error)", milliseconds: (clock.now - started).milliseconds, script: shown)
        }
    }

    /// The script with blanks and line continuations folded, to recognise the same fix twice.
    static func normalized(_ script: String) -> String {
        script.replacingOccurrences(of: "\\\n", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// Why a client fix cannot run here: `az`/`azure` not on PATH, or `az` not logged in.
    func missingTool(_ script: ShellScript, state: inout RunState) async -> String? {
        let programs = script.programs
        let path = options.environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        if programs.contains("azure"), Self.lookUp("azure", in: path) == nil {
            return "needs the classic Azure CLI 'azure', which is not on PATH "
                + "(Classic VMs were retired in 2023 and that CLI is no longer available)"
        }
        guard programs.contains("az") else { return nil }
        guard let az = Self.lookUp("az", in: path) else {
            return "needs the Azure CLI 'az', which is not on PATH (install it, then run 'az login')"
        }
        if options.dryRun { return nil }
        if state.azureLogin == nil {
            do {
                let output = try await clientExecutor(options.environment).run(
                    [az, "account", "show", "-o", "none"], timeout: .seconds(60))
                let line = output.standardError.split(separator: "\n").first.map(String.init) ?? ""
                state.azureLogin =
                    output.succeeded
                    ? "" : "'az account show' failed\(line.isEmpty ? "" : ": \(line)"); run 'az login' first"
            } catch {
                state.azureLogin = "'az account show' did not run: \(error)"
            }
        }
        return state.azureLogin?.isEmpty == false ? state.azureLogin : nil
    }

    /// The executable file `name` in the folders of `path`, as a shell would find it.
    static func lookUp(_ name: String, in path: String) -> String? {
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

extension Runner {
    /// Consent to a fix (a `run` block, or a `call` that a `fix=` names): `--yes`, or a yes at the
    /// prompt. Returns the `refused` result, or nil when the fix may run.
    func refusal(
        of step: Step, id: String, title: String, prompt: String, logged: String?, hub: EventHub
    ) async -> BlockResult? {
        let prefix = String(id.dropLast(step.id.count))
        if options.assumeYes { return nil }
        guard options.interactive else {
            return BlockResult(status: .refused, reason: .noConsent, script: logged)
        }
        await hub.announce(.prompting(step: id, section: step.sectionPath.last.map { prefix + $0 }))
        if await prompter.consent(to: step.id, title: title, script: prompt) { return nil }
        if Task.isCancelled { return BlockResult(status: .interrupted, reason: .interrupted, script: logged) }
        return BlockResult(status: .refused, reason: .declined, script: logged)
    }
}
