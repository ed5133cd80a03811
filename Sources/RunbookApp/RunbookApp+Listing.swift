import RunbookActions
import RunbookCore
import RunbookRunner

extension RunbookApp {
    /// The check action named `name`, or bad input that suggests a close name (`runbook check`,
    /// `runbook actions NAME`).
    func action(named name: String) throws(AppError) -> any CheckAction {
        guard let action = registry[name] else {
            let close = EditDistance.suggestions(for: name, among: registry.names)
            throw .badInput("no check action '\(name)'" + (close.isEmpty ? "" : "; did you mean '\(close[0])'?"))
        }
        return action
    }

    /// `runbook actions [NAME]`: every check action (or the one named) with its arguments, types,
    /// defaults, what a failure provides, and an example.
    public func actionsText(_ name: String?) throws(AppError) -> String {
        var names = registry.names
        if let name {
            _ = try action(named: name)
            names = [name]
        }
        var lines: [String] = []
        for name in names {
            guard let schema = registry[name]?.schema else { continue }
            lines.append("\(schema.name)\(schema.readsVM ? "  (inside the VM: needs --vm)" : "")")
            lines.append("  \(schema.summary)")
            for argument in schema.arguments {
                var detail = "\(argument.type)"
                if argument.required { detail += ", required" }
                if let value = argument.defaultValue { detail += ", default \(value)" }
                lines.append("    \(argument.name) (\(detail)): \(argument.help)")
            }
            if !schema.provides.isEmpty { lines.append("  a failure provides, for the fixes' inputs not given:") }
            for value in schema.provides { lines.append("    \(value.name): \(value.help)") }
            lines.append("  example: ```\(schema.example)")
            lines.append("")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// `runbook list`: the runbooks of the knowledge base, the default first, each with its models,
    /// title and summary, marked when its id is used twice or it does not lint; and the files that
    /// could not be read, with the reason.
    public func list(_ knowledgeBase: KnowledgeBaseLocation) throws(AppError) -> (text: String, unreadable: [String]) {
        let base: KnowledgeBase
        do { base = try knowledgeBase.load() } catch { throw AppError(error) }
        let counts = Dictionary(base.runbooks.map { ($0.id, 1) }, uniquingKeysWith: +)
        let invalid = Set(base.diagnostics.errors.map(\.file))
        var lines: [String] = []
        // The default first, then the others in file order.
        let ordered = base.runbooks.filter(\.isDefault) + base.runbooks.filter { !$0.isDefault }
        for runbook in ordered {
            let models = runbook.models.map(\.id).joined(separator: ",")
            var marker = runbook.isDefault ? " (default)" : ""
            if counts[runbook.id, default: 0] > 1 { marker += " (duplicate id: \(runbook.path))" }
            if invalid.contains(runbook.path) { marker += " (invalid: runbook lint \(runbook.path))" }
            lines.append("\(runbook.id)\(marker)  [\(models.isEmpty ? "-" : models)]  \(runbook.title)")
            if !runbook.summary.isEmpty { lines.append("    \(runbook.summary)") }
        }
        let unreadable = base.unreadable.sorted { $0.key < $1.key }.map { "skipped \($0.key): \($0.value)" }
        return (lines.map { $0 + "\n" }.joined(), unreadable)
    }
}
