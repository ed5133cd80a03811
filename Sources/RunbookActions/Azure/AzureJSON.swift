import Foundation

/// A parsed JSON document, for reading the Azure CLI's and the REST API's output.
///
/// Only what the cloud checks need: lookups by key and index, and typed views of leaves. Numbers
/// keep their `Double` value; ``int`` also reads a number written as a string (`"priority": "100"`).
enum AzureJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AzureJSON])
    case object([String: AzureJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AzureJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AzureJSON].self))
        }
    }

    /// Parses `text`; throws ``AzureJSON/Problem`` with the parser's reason.
    static func parse(_ text: String) throws(Problem) -> AzureJSON {
        do {
            return try JSONDecoder().decode(AzureJSON.self, from: Data(text.utf8))
        } catch {
            throw Problem(description: "not valid JSON: \(Self.reason(error))")
        }
    }

    struct Problem: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.debugDescription
        }
        return "\(error)"
    }

    subscript(key: String) -> AzureJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    subscript(index: Int) -> AzureJSON? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// A member of an Azure resource, wherever the shape puts it: at the top (the CLI flattens
    /// `properties` since CLI 2.0) or under `properties` (the ARM REST API and templates).
    func field(_ key: String) -> AzureJSON? {
        if let value = self[key], value != .null { return value }
        if let value = self["properties"]?[key], value != .null { return value }
        return nil
    }

    var string: String? {
        switch self {
        case .string(let text): text
        case .number(let value): value == value.rounded() ? String(Int(value)) : String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    var int: Int? {
        switch self {
        case .number(let value): value == value.rounded() ? Int(value) : nil
        case .string(let text): Int(text.trimmingCharacters(in: " "))
        default: nil
        }
    }

    var array: [AzureJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// The strings of an array (other items skipped); a lone string as a one-item list.
    var strings: [String] {
        switch self {
        case .array(let items): items.compactMap(\.string)
        case .string(let text): [text]
        default: []
        }
    }
}
