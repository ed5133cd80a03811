import Foundation
public import RunbookActions
import RunbookCore
import RunbookRunner

/// `runbook check ACTION k=v…`: one check action, outside any runbook.
public struct CheckRequest: Sendable {
    /// The action's name (see ``ActionRegistry/names``).
    public var action: String
    /// The action's `key=value` arguments.
    public var arguments: [String]
    /// `--vm SPEC`, for the actions that look inside the VM.
    public var vm: String?
    /// How long the check may take, as given (`30s`).
    public var timeout: String
    /// The client's environment, for the check.
    public var environment: [String: String]

    public init(
        action: String, arguments: [String] = [], vm: String? = nil, timeout: String = "30s",
        environment: [String: String] = [:]
    ) {
        self.action = action
        self.arguments = arguments
        self.vm = vm
        self.timeout = timeout
        self.environment = environment
    }
}

extension RunbookApp {
    /// Runs one check action with the request's arguments, checked against its schema first.
    ///
    /// - Throws: ``AppError`` (exit 2) for an unknown action or argument, a bad value or `--vm`.
    public func check(_ request: CheckRequest) async throws(AppError) -> CheckResult {
        let checkAction = try action(named: request.action)
        guard let limit = DurationText.parse(request.timeout) else {
            throw .badInput("--timeout '\(request.timeout)' is not a duration (write 500ms, 5s or 2m)")
        }
        let schema = checkAction.schema
        let given = try CheckOutput.parse(request.arguments, schema: schema)
        var executor: (any Executor)?
        if let vm = request.vm {
            do { executor = try VMSpec.executor(from: vm) } catch { throw AppError(error) }
        }
        let context = CheckContext(
            timeout: limit, vm: executor, local: LocalExecutor(), environment: request.environment)
        let arguments = Arguments(given, schema: schema)
        do {
            return try await withTimeout(limit + Runner.timeoutGrace) {
                await checkAction.run(arguments, context: context)
            }
        } catch {
            return .error("did not finish within \(DurationText.format(milliseconds: limit.milliseconds))")
        }
    }
}

/// How `runbook check` shows a result, and the exit code it ends with.
public enum CheckOutput {
    /// `key=value` words checked against the action's schema: unknown names (with a close
    /// one suggested), values of the wrong type, missing required arguments.
    static func parse(_ words: [String], schema: ActionSchema) throws(AppError) -> [String: String] {
        var values: [String: String] = [:]
        for word in words {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw .badInput("'\(word)' needs the form key=value")
            }
            let key = String(word[..<equals])
            let value = String(word[word.index(after: equals)...])
            guard let spec = schema.argument(key) else {
                let close = EditDistance.suggestions(for: key, among: schema.arguments.map(\.name))
                throw .badInput(
                    "\(schema.name) has no argument '\(key)'"
                        + (close.isEmpty
                            ? "; it takes: \(schema.arguments.map(\.name).joined(separator: ", "))"
                            : "; did you mean '\(close[0])'?"))
            }
            if let problem = spec.type.problem(with: value) {
                throw .badInput("\(key): \(problem)")
            }
            values[key] = value
        }
        for spec in schema.arguments where spec.required && values[spec.name] == nil {
            throw .badInput("\(schema.name) needs the argument '\(spec.name)'")
        }
        return values
    }

    public static func exitCode(_ status: CheckResult.Status) -> Int32 {
        switch status {
        case .pass, .skipped: 0
        case .fail: 1
        case .error: 3
        }
    }

    public static func text(_ result: CheckResult, action: String) -> String {
        var output = "\(result.status.rawValue)  \(action)  \(result.summary)\n"
        if let finding = result.finding { output += "finding: \(finding)\n" }
        if !result.evidence.isEmpty {
            output += "evidence:\n"
            for key in result.evidence.keys.sorted() { output += "  \(key): \(result.evidence[key] ?? "")\n" }
        }
        if !result.provides.isEmpty {
            output += "provides (for a fix's inputs not given):\n"
            for key in result.provides.keys.sorted() { output += "  \(key)=\(result.provides[key] ?? "")\n" }
        }
        return output
    }

    public static func json(_ result: CheckResult, action: String) -> String {
        var object: [String: Any] = [
            "action": action, "status": result.status.rawValue, "summary": result.summary, "evidence": result.evidence,
        ]
        if let finding = result.finding { object["finding"] = finding }
        if !result.provides.isEmpty { object["provides"] = result.provides }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return "{\"status\":\"error\"}\n" }
        return text + "\n"
    }
}
