/// What a check action accepts: its arguments with their types and defaults.
///
/// Core knows schemas, not actions: lint and plan take the schemas as input, and
/// `RunbookActions` supplies them from its registry.
public struct ActionSchema: Sendable {
    public var name: String
    public var summary: String
    public var arguments: [ArgumentSpec]
    /// A complete `check` line using the action.
    public var example: String
    /// Whether the action looks inside the VM (and so needs `--vm`).
    public var readsVM: Bool
    /// Values a failure of the action may supply to fixes, by input name, with what each holds
    /// (``ArgumentSpec/help``): a run fills the runbook's inputs of these names that were not given.
    public var provides: [ArgumentSpec]

    public init(
        name: String, summary: String, arguments: [ArgumentSpec], example: String, readsVM: Bool = false,
        provides: [ArgumentSpec] = []
    ) {
        self.name = name
        self.summary = summary
        self.arguments = arguments
        self.example = example
        self.readsVM = readsVM
        self.provides = provides
    }

    public func argument(_ name: String) -> ArgumentSpec? { arguments.first { $0.name == name } }
}

/// One argument of a check action.
public struct ArgumentSpec: Sendable {
    public var name: String
    public var type: ArgumentType
    public var required: Bool
    public var defaultValue: String?
    public var help: String

    public init(
        _ name: String, _ type: ArgumentType, required: Bool = false, default defaultValue: String? = nil,
        help: String
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// The type of an argument, which decides what values lint accepts.
public enum ArgumentType: Sendable, Equatable, CustomStringConvertible {
    case string
    case integer
    case port
    case duration
    case bool
    /// An octal file mode such as `600` or `0644`.
    case mode
    /// A comma-separated list.
    case list
    case oneOf([String])

    public var description: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .port: "port"
        case .duration: "duration"
        case .bool: "bool"
        case .mode: "octal mode"
        case .list: "list"
        case .oneOf(let values): values.joined(separator: "|")
        }
    }

    /// Why `value` is not of this type, or `nil` when it is.
    public func problem(with value: String) -> String? {
        switch self {
        case .string, .list:
            return nil
        case .integer:
            return Int(value) == nil ? "'\(value)' is not a whole number" : nil
        case .port:
            guard let number = Int(value), (1...65535).contains(number) else {
                return "'\(value)' is not a port (1-65535)"
            }
            return nil
        case .duration:
            return DurationText.parse(value) == nil
                ? "'\(value)' is not a duration (write 500ms, 5s or 2m)" : nil
        case .bool:
            return ["true", "false", "yes", "no"].contains(value.lowercased()) ? nil : "'\(value)' is not true or false"
        case .mode:
            guard !value.isEmpty, value.count <= 4, value.allSatisfy({ ("0"..."7").contains($0) }) else {
                return "'\(value)' is not an octal file mode such as 600"
            }
            return nil
        case .oneOf(let values):
            return values.contains(value) ? nil : "'\(value)' is not one of \(values.joined(separator: ", "))"
        }
    }
}

/// Durations as runbooks write them: `500ms`, `5s`, `2m`, `1h`.
/// How often a failing check may be tried again (`retries=`).
public enum RetryLimit {
    public static let maximum = 10
}

public enum DurationText {
    /// The longest duration a timeout may have: one day.
    public static let maximumMilliseconds: Int64 = 86_400_000

    /// `500ms`, `5s`, `2m`, `1h`; nil for anything else, and for more than a day (a larger
    /// number would overflow, and no step should wait that long).
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), number.count <= 12,
                let value = Int64(number)
            else { continue }
            let (total, overflow) = value.multipliedReportingOverflow(by: milliseconds)
            guard !overflow, total <= maximumMilliseconds else { return nil }
            return .milliseconds(total)
        }
        return nil
    }

    /// `1.2s`, `35ms`, `2m05s`: short text for the console.
    public static func format(milliseconds: Int) -> String {
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let tenths = (milliseconds + 50) / 100
        if tenths < 600 { return "\(tenths / 10).\(tenths % 10)s" }
        let seconds = (milliseconds + 500) / 1000
        let remainder = seconds % 60
        return "\(seconds / 60)m\(remainder < 10 ? "0" : "")\(remainder)s"
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    public var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
