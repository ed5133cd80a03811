import RunbookMarkdown

/// Checks a loaded runbook against the format's rules and the registered actions' schemas.
public enum Linter {
    /// Diagnostics for `runbook`, beyond those found while loading it.
    ///
    /// - Parameters:
    ///   - runbook: the runbook to check.
    ///   - schemas: the schemas of the registered check actions, by name.
    ///   - knowledgeBase: the other runbooks by id, to check `call` blocks; `nil` skips that check.
    public static func lint(
        _ runbook: Runbook, schemas: [String: ActionSchema], knowledgeBase: [String: Runbook]? = nil
    ) -> [Diagnostic] {
        var linter = RuleRunner(runbook: runbook, schemas: schemas, knowledgeBase: knowledgeBase)
        linter.run()
        return linter.diagnostics.sorted { $0.location < $1.location }
    }
}

private struct RuleRunner {
    let runbook: Runbook
    let schemas: [String: ActionSchema]
    let knowledgeBase: [String: Runbook]?
    var diagnostics: [Diagnostic] = []

    mutating func error(_ code: String, _ message: String, at location: SourceLocation, note: String? = nil) {
        diagnostics.append(Diagnostic(.error, code, message, file: runbook.path, at: location, note: note))
    }

    mutating func warning(_ code: String, _ message: String, at location: SourceLocation, note: String? = nil) {
        diagnostics.append(Diagnostic(.warning, code, message, file: runbook.path, at: location, note: note))
    }

    mutating func run() {
        guard runbook.hasFrontMatter || runbook.isExecutable else { return }
        checkModels()
        checkVerify()
        checkInputVariables()
        var blockIDs: [String: SourceLocation] = [:]
        for step in runbook.steps {
            for block in step.blocks {
                if let first = blockIDs[block.id] {
                    error(
                        "duplicate-id", "duplicate block id '\(block.id)'", at: block.location,
                        note: "first used at \(runbook.path):\(first)")
                }
                blockIDs[block.id] = block.location
                checkBlock(block, in: step)
            }
            checkStepAttributes(step)
        }
        for section in runbook.sections {
            if let item = section.attributes[StepAttribute.explains] {
                error(
                    "explains-on-section",
                    "explains= belongs on a step (a heading without sub-headings); '\(section.id)' is a section",
                    at: item.location, note: "move it to the step that explains the message")
            }
        }
        checkReachability()
    }

    func modelNote() -> String {
        runbook.models.isEmpty
            ? "declare models in the front matter, e.g. 'models: {arm: Resource Manager}'"
            : "declared models: \(runbook.models.map(\.id).joined(separator: ", "))"
    }

    mutating func checkModels() {
        let declared = Set(runbook.models.map(\.id))
        if let model = runbook.defaultModel, !declared.contains(model) {
            error(
                "undeclared-model", "default-model '\(model)' is not declared",
                at: runbook.metadataLocations["default-model"] ?? SourceLocation(line: 1, column: 1), note: modelNote())
        }
        for section in runbook.sections {
            for model in section.models ?? []
            where !declared.contains(model)
                && section.parent.map({ parent in
                    runbook.sections.first { $0.id == parent }?.models?.contains(model) != true
                }) ?? true
            {
                error("undeclared-model", "model '\(model)' is not declared", at: section.location, note: modelNote())
            }
        }
        for step in runbook.steps {
            for model in step.models ?? [] where !declared.contains(model) {
                // Report where it is written: the step itself, unless it inherited the model.
                let inherited =
                    step.sectionPath.last.flatMap { id in runbook.sections.first { $0.id == id } }?
                    .models?.contains(model) ?? false
                if !inherited {
                    error("undeclared-model", "model '\(model)' is not declared", at: step.location, note: modelNote())
                }
            }
        }
    }

    mutating func checkVerify() {
        let location = runbook.metadataLocations["verify"] ?? SourceLocation(line: 1, column: 1)
        guard let verify = runbook.verify else {
            if runbook.isExecutable {
                error(
                    "missing-verify", "the runbook has no verify step", at: location,
                    note: "add 'verify: STEP-ID' naming the step that proves the problem is gone")
            }
            return
        }
        guard let step = runbook.step(verify) else {
            error(
                "unknown-verify", "verify step '\(verify)' does not exist", at: location,
                note: suggestionNote(verify, among: runbook.steps.map(\.id)))
            return
        }
        if step.blocks.isEmpty {
            error("manual-verify", "verify step '\(verify)' has no check", at: step.location)
        }
        for model in runbook.models where !step.applies(to: model.id) {
            error("verify-model", "verify step '\(verify)' is not part of model '\(model.id)'", at: step.location)
        }
    }

    func suggestionNote(_ name: String, among candidates: [String]) -> String? {
        let close = EditDistance.suggestions(for: name, among: candidates)
        return close.isEmpty ? nil : "did you mean '\(close[0])'?"
    }

    mutating func checkStepAttributes(_ step: Step) {
        for (key, item) in step.attributes
        where !BlockAttribute.names.contains(key) && !ManualAttribute.names.contains(key) && key != "model"
            && key != StepAttribute.explains
        {
            warning("unknown-attribute", "unknown step attribute '\(key)'", at: item.location)
        }
        if let item = step.attributes[StepAttribute.explains] {
            checkExplains(item)
        }
        if step.blocks.isEmpty {
            checkJumps(step.attributes, from: step)
            checkImpliedBy(step)
        } else {
            for key in ManualAttribute.names.sorted() {
                guard let item = step.attributes[key] else { continue }
                warning(
                    "manual-only", "'\(key)' applies to manual steps (no blocks); this step has blocks",
                    at: item.location)
            }
        }
    }

    /// `implied-by=#a,#b` names earlier steps whose pass answers this manual step.
    mutating func checkImpliedBy(_ step: Step) {
        guard let item = step.attributes["implied-by"] else { return }
        let position = runbook.steps.firstIndex { $0.id == step.id } ?? 0
        for target in StepGraph.requirements(item.value) {
            guard let targetIndex = runbook.steps.firstIndex(where: { $0.id == target }) else {
                error(
                    "unknown-step", "implied-by names '#\(target)', which does not exist", at: item.location,
                    note: suggestionNote(target, among: runbook.steps.map(\.id)))
                continue
            }
            if targetIndex >= position {
                error(
                    "backward-jump",
                    "implied-by names '#\(target)', which comes later; only an earlier step can answer this one",
                    at: item.location)
            }
        }
    }

    /// `explains="message|message"`: every message has words (search matches words).
    mutating func checkExplains(_ item: AttributeList.Item) {
        for message in StepAttribute.messages(item.value) {
            if message.isEmpty {
                error(
                    "bad-value", "explains: an empty message (write the error text, messages separated by '|')",
                    at: item.location)
            } else if !message.contains(where: { $0.isLetter || $0.isNumber }) {
                error("bad-value", "explains: '\(message)' has no words to search for", at: item.location)
            }
        }
    }

    mutating func checkBlock(_ block: Block, in step: Step) {
        checkJumps(block.attributes, from: step)
        if let timeout = block.attributes["timeout"], DurationText.parse(timeout.value) == nil {
            error(
                "bad-value",
                "timeout: '\(timeout.value)' is not a duration of at most a day (write 500ms, 5s, 2m or 1h)",
                at: timeout.location)
        }
        if let retries = block.attributes["retries"],
            Int(retries.value).map({ (0...RetryLimit.maximum).contains($0) }) != true
        {
            error(
                "bad-value", "retries: '\(retries.value)' is not a whole number from 0 to \(RetryLimit.maximum)",
                at: retries.location)
        }
        for item in block.arguments {
            for name in Template.names(in: item.value) {
                guard let input = runbook.input(name) else {
                    error(
                        "undeclared-input", "input '\(name)' is not declared", at: item.location,
                        note: suggestionNote(name, among: runbook.inputs.map(\.name))
                            ?? "declare it under 'inputs:' in the front matter")
                    continue
                }
                if input.secret {
                    error(
                        "secret-in-argument",
                        "secret input '\(name)' is used in argument '\(item.key)', which is logged",
                        at: item.location, note: "pass secrets to 'run' blocks, which read them from the environment")
                }
            }
        }
        switch block.kind {
        case .check(let action):
            checkAction(action, block: block)
            if action == "command", let run = block.arguments.first(where: { $0.key == "run" }),
                let name = Template.names(in: Self.shellScriptWord(run.value)).first
            {
                warning(
                    "input-in-script",
                    "input '\(name)' is inside a shell script (-c): its value would run as shell code",
                    at: run.location,
                    note: "pass it as an argument after the script instead: bash -c '… \"$1\" …' _ {{\(name)}}")
            }
        case .run(let shell):
            if !["sh", "bash", "zsh"].contains(shell) {
                warning("unknown-shell", "'run \(shell)': shell not one of sh, bash, zsh", at: block.targetLocation)
            }
            for item in block.arguments where item.key != "on" {
                warning("unknown-attribute", "'run' blocks take no argument '\(item.key)'", at: item.location)
            }
            if block.place == nil, let item = block.argument("on") {
                error(
                    "bad-value", "on: '\(item.value)' is not 'client' or 'vm'", at: item.location,
                    note: "on=client (the default) runs the fix here, on=vm inside the VM through --vm")
            }
            checkScript(block)
        case .call(let target):
            checkCall(target, block: block)
        }
    }

    /// Inputs reach fixes as environment variables; some names would change how the fix runs.
    mutating func checkInputVariables() {
        for input in runbook.inputs {
            if let problem = FixEnvironment.problem(with: input, among: runbook.inputs) {
                error(
                    "refused-variable", problem, at: input.location,
                    note: "refused: \(FixEnvironment.refusedVariables.sorted().joined(separator: ", ")), "
                        + FixEnvironment.refusedPrefixes.map { $0 + "*" }.joined(separator: ", "))
            }
        }
    }

    /// Variables a fix reads that nothing sets, and secrets that a command line would show.
    mutating func checkScript(_ block: Block) {
        let script = ShellScript(block.body)
        let declared = FixEnvironment.declaredVariables(for: runbook.inputs).union(script.assigned)
        var reported: Set<String> = []
        for reference in script.references
        where !declared.contains(reference.name) && reported.insert(reference.name).inserted {
            warning(
                "unknown-variable",
                "the fix reads '$\(reference.name)', which is neither an input's variable nor set by the runner",
                at: bodyLocation(reference.position, in: block),
                note: "declare an input (its variable is its name in capitals, '-' as '_'), or set it in the script; "
                    + "the runner sets: \(FixEnvironment.knownVariables.sorted().joined(separator: ", "))")
        }
        let secrets = runbook.inputs.filter(\.secret)
        let secretNames = Set(secrets.map(\.environmentName))
        for reference in script.argumentReferences(to: secretNames) {
            let file = secrets.first { $0.environmentName == reference.name }?.fileEnvironmentName ?? "NAME_FILE"
            warning(
                "secret-in-argv",
                "secret '$\(reference.name)' is a command argument, which other users can read in the process list",
                at: bodyLocation(reference.position, in: block),
                note: "pass the file instead: \"@$\(file)\" for az, or the program's option that reads a file or stdin")
        }
    }

    /// Where a position of a fence's body is in the file: the body starts on the line after the fence.
    func bodyLocation(_ position: SourceLocation, in block: Block) -> SourceLocation {
        SourceLocation(line: block.location.line + position.line, column: block.location.column - 1 + position.column)
    }

    mutating func checkAction(_ action: String, block: Block) {
        guard let schema = schemas[action] else {
            error(
                "unknown-action", "unknown check action '\(action)'", at: block.targetLocation,
                note: suggestionNote(action, among: schemas.keys.sorted()) ?? "see 'runbook actions' for the list")
            return
        }
        for item in block.arguments {
            guard let spec = schema.argument(item.key) else {
                error(
                    "unknown-argument", "'\(action)' has no argument '\(item.key)'", at: item.location,
                    note: suggestionNote(item.key, among: schema.arguments.map(\.name))
                        ?? "its arguments: \(schema.arguments.map(\.name).joined(separator: ", "))")
                continue
            }
            if Template.names(in: item.value).isEmpty, let problem = spec.type.problem(with: item.value) {
                error("bad-value", "\(item.key): \(problem)", at: item.location)
            }
        }
        for spec in schema.arguments where spec.required && spec.defaultValue == nil {
            if block.argument(spec.name) == nil {
                error(
                    "missing-argument", "'\(action)' needs argument '\(spec.name)' (\(spec.help))",
                    at: block.targetLocation)
            }
        }
    }

    mutating func checkCall(_ target: String, block: Block) {
        for item in block.arguments where item.key != "model" {
            error("unknown-argument", "'call' takes only 'model=', not '\(item.key)'", at: item.location)
        }
        guard let knowledgeBase else { return }
        guard let callee = knowledgeBase[target] else {
            error(
                "unknown-runbook", "'call' names runbook '\(target)', which is not in the knowledge base",
                at: block.targetLocation, note: suggestionNote(target, among: knowledgeBase.keys.sorted()))
            return
        }
        if let model = block.argument("model")?.value, !callee.models.isEmpty, callee.model(model) == nil {
            error(
                "undeclared-model", "runbook '\(target)' has no model '\(model)'",
                at: block.argument("model")!.location)
        }
        if let cycle = callCycle(from: target, visited: [runbook.id]) {
            error("call-cycle", "calls form a cycle: \(cycle.joined(separator: " → "))", at: block.targetLocation)
        }
    }

    func callCycle(from id: String, visited: [String]) -> [String]? {
        if visited.contains(id) { return visited + [id] }
        guard let callee = knowledgeBase?[id], visited.count < 32 else { return nil }
        for step in callee.steps {
            for block in step.blocks {
                if case .call(let next) = block.kind, let cycle = callCycle(from: next, visited: visited + [id]) {
                    return cycle
                }
            }
        }
        return nil
    }

    mutating func checkJumps(_ attributes: [String: AttributeList.Item], from step: Step) {
        let position = runbook.steps.firstIndex { $0.id == step.id } ?? 0
        for key in ["on-pass", "on-fail"] {
            guard let item = attributes[key] else { continue }
            guard let jump = StepGraph.Jump(item.value) else {
                error("bad-jump", "\(key): '\(item.value)' is not '#step-id', 'next' or 'stop'", at: item.location)
                continue
            }
            guard case .step(let target) = jump else { continue }
            guard let targetIndex = runbook.steps.firstIndex(where: { $0.id == target }) else {
                error(
                    "unknown-step", "\(key) jumps to '#\(target)', which does not exist", at: item.location,
                    note: suggestionNote(target, among: runbook.steps.map(\.id)))
                continue
            }
            if targetIndex <= position {
                error(
                    "backward-jump", "\(key) jumps back to '#\(target)'; jumps may only go forward",
                    at: item.location)
            }
        }
        if let item = attributes["fix"] {
            let target = StepReference.id(item.value)
            if runbook.step(target) == nil {
                error(
                    "unknown-step", "fix names '#\(target)', which does not exist", at: item.location,
                    note: suggestionNote(target, among: runbook.steps.map(\.id)))
            } else if let targetIndex = runbook.steps.firstIndex(where: { $0.id == target }), targetIndex < position {
                warning(
                    "fix-before-check",
                    "fix names '#\(target)', which comes before this step; "
                        + "a run offers fixes when it reaches them, so this one would not be offered for this failure",
                    at: item.location, note: "move the fix step after the checks that point to it")
            }
        }
        if let item = attributes["explained-by"] {
            for target in StepGraph.requirements(item.value) where runbook.step(target) == nil {
                error(
                    "unknown-step", "explained-by names '#\(target)', which does not exist", at: item.location,
                    note: suggestionNote(target, among: runbook.steps.map(\.id)))
            }
        }
        if let item = attributes["requires"] {
            for target in StepGraph.requirements(item.value) {
                guard let targetIndex = runbook.steps.firstIndex(where: { $0.id == target }) else {
                    error(
                        "unknown-step", "requires '#\(target)', which does not exist", at: item.location,
                        note: suggestionNote(target, among: runbook.steps.map(\.id)))
                    continue
                }
                if targetIndex >= position {
                    error(
                        "backward-jump",
                        "requires '#\(target)', which comes later; a step can only require earlier steps",
                        at: item.location)
                }
            }
        }
    }

    /// The word after `-c` in a command line (the script a shell runs), quotes taken off; empty
    /// when there is none.
    static func shellScriptWord(_ line: String) -> String {
        guard let flag = line.range(of: #"(^|\s)-c\s+"#, options: .regularExpression) else { return "" }
        let rest = line[flag.upperBound...]
        guard let first = rest.first else { return "" }
        if first == "'" || first == "\"" {
            let body = rest.dropFirst()
            return String(body[..<(body.firstIndex(of: first) ?? body.endIndex)])
        }
        return String(rest.prefix { !$0.isWhitespace })
    }

    mutating func checkReachability() {
        let models = runbook.models.isEmpty ? [""] : runbook.models.map(\.id)
        var reported: Set<String> = []
        var ignored: Set<String> = []
        for model in models {
            guard let graph = try? StepGraph(runbook: runbook, model: model) else { continue }
            let reachable = graph.reachable()
            for (index, step) in graph.steps.enumerated()
            where !reachable.contains(index) && step.id != runbook.verify && !reported.contains(step.id) {
                reported.insert(step.id)
                error(
                    "unreachable", "step '\(step.id)' cannot be reached in model '\(model)'", at: step.location,
                    note: "an earlier on-pass/on-fail jumps over it on every path")
            }
            checkIgnoredJumps(graph, reported: &ignored)
        }
    }

    /// `on-pass`/`on-fail` that a run never takes: on the verify step (a pass ends the run, anything
    /// else starts the steps) and on fix steps (offered as a group, after which the run goes on).
    /// Checked per model: a step named by a `fix=` of one model only is a fix in that model only.
    mutating func checkIgnoredJumps(_ graph: StepGraph, reported: inout Set<String>) {
        for step in graph.steps {
            let kind = graph.kind(of: step)
            guard kind == .verify || kind == .fix else { continue }
            for attributes in [step.attributes] + step.blocks.map(\.attributes) {
                for key in ["on-pass", "on-fail"] {
                    // `next` is where the run goes anyway.
                    guard let item = attributes[key], item.value != "next", reported.insert("\(item.location)").inserted
                    else { continue }
                    let what = kind == .verify ? "the verify step" : "a fix step"
                    warning(
                        "ignored-jump", "\(key) on \(what) is ignored",
                        at: item.location,
                        note: kind == .verify
                            ? "a pass of the verify step ends the run healthy; anything else starts the other steps"
                            : "a run offers the fixes of a group in turn, then goes on after the group")
                }
            }
        }
    }
}
