public import RunbookCore

/// The expanded arguments of one check block, read by type, with the schema's defaults applied.
///
/// Lint has already checked the values written in the runbook; values that came from inputs
/// (`{{port}}`) are checked here, and a bad one makes the check an `error`, not a crash.
public struct Arguments: Sendable {
    public let values: [String: String]
    public let schema: ActionSchema

    /// The arguments as written, before `{{input}}` was replaced (for actions that must split a
    /// command line first and insert inputs into whole words after).
    public let templates: [String: String]
    /// The run's input values, for ``words(_:)``.
    public let inputs: [String: String]

    /// - Parameters:
    ///   - values: the arguments with inputs inserted.
    ///   - templates: the arguments as written (default: `values`, when there were no inputs).
    ///   - inputs: the input values the templates refer to.
    public init(
        _ values: [String: String], schema: ActionSchema, templates: [String: String]? = nil,
        inputs: [String: String] = [:]
    ) {
        self.templates = templates ?? values
        self.inputs = inputs
        var merged: [String: String] = [:]
        for spec in schema.arguments {
            if let value = spec.defaultValue { merged[spec.name] = value }
        }
        for (key, value) in values { merged[key] = value }
        self.values = merged
        self.schema = schema
    }

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public func string(_ name: String) throws(Problem) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw Problem(description: "argument '\(name)' is missing")
        }
        return value
    }

    public func optional(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    public func int(_ name: String) throws(Problem) -> Int {
        let text = try string(name)
        guard let value = Int(text) else { throw Problem(description: "\(name): '\(text)' is not a whole number") }
        return value
    }

    public func port(_ name: String) throws(Problem) -> Int {
        let text = try string(name)
        guard let value = Int(text), (1...65535).contains(value) else {
            throw Problem(description: "\(name): '\(text)' is not a port (1-65535)")
        }
        return value
    }

    public func duration(_ name: String) throws(Problem) -> Duration {
        let text = try string(name)
        guard let value = DurationText.parse(text) else {
            throw Problem(description: "\(name): '\(text)' is not a duration")
        }
        return value
    }

    public func bool(_ name: String) throws(Problem) -> Bool {
        let text = try string(name).lowercased()
        switch text {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw Problem(description: "\(name): '\(text)' is not true or false")
        }
    }

    /// An octal mode such as `600`.
    public func mode(_ name: String) throws(Problem) -> Int {
        let text = try string(name)
        guard let value = Int(text, radix: 8), (0...0o7777).contains(value) else {
            throw Problem(description: "\(name): '\(text)' is not an octal mode")
        }
        return value
    }

    /// The `host` and `port` arguments of the network checks.
    public func hostAndPort() throws(Problem) -> (host: String, port: Int) {
        (try string("host"), try port("port"))
    }

    public func list(_ name: String) -> [String] {
        (values[name] ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
    }
}
