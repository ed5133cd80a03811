import Foundation

/// A JSON document as a value: the output of `az` and of the ARM REST API, and tools' JSON whose
/// shape varies by expression (`nft -j`).
///
/// A whole number that fits an `Int` is ``int(_:)``; any other number (fractional, or past `Int`'s
/// range such as 2^63) is ``double(_:)``. No accessor traps: ``int`` is `nil` for a number that is not
/// a whole `Int`. A number beyond `Double` (`1e400`) cannot be read by Foundation's parser; the
/// document is then refused with a ``ParseError`` that says so.
indirect enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            do {
                self = .object(try container.decode([String: JSONValue].self))
            } catch DecodingError.typeMismatch {
                // Every other kind was tried: what is left is a number no Swift type holds.
                let path = container.codingPath.map(\.stringValue).joined(separator: ".")
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "a number too large for a Double at '\(path)'")
            }
        }
    }

    /// Why a text is not a JSON document.
    struct ParseError: Error, Sendable, CustomStringConvertible {
        /// The parser's reason, short (`Unexpected character 'x' at line 1, column 2`).
        var reason: String
        /// The parser's error as it printed it, in full.
        var detail: String

        var description: String { "not valid JSON: \(reason)" }
    }

    /// Parses `text`; throws ``ParseError`` with the parser's reason.
    static func parse(_ text: String) throws(ParseError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            var reason = "\(error)"
            if case DecodingError.dataCorrupted(let context) = error { reason = context.debugDescription }
            throw ParseError(reason: reason, detail: String(describing: error))
        }
    }

    // MARK: - Lookups

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// A member of an Azure resource, wherever the shape puts it: at the top (the CLI flattens
    /// `properties` since CLI 2.0) or under `properties` (the ARM REST API and templates).
    func field(_ key: String) -> JSONValue? {
        if let value = self[key], value != .null { return value }
        if let value = self["properties"]?[key], value != .null { return value }
        return nil
    }

    // MARK: - Typed views

    /// A string, and nothing else.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A whole number that fits an `Int` (`3`, `3.0`, `1e3`); `nil` for any other value.
    var int: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(exactly: value)
        default: nil
        }
    }

    /// A leaf as text, as the cloud checks read Azure's values: a string as it is, a whole number
    /// without a fraction (`100`), another number as Swift prints it, a Boolean as `true`/`false`.
    var text: String? {
        switch self {
        case .string(let text): text
        case .int(let value): String(value)
        case .double(let value): Int(exactly: value).map(String.init) ?? String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    /// A whole number, also one written as a string (`"priority": "100"`), as Azure's values come.
    var integer: Int? {
        if case .string(let text) = self { return Int(text.trimmingCharacters(in: " ")) }
        return int
    }

    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    var isObject: Bool { object != nil }

    /// The leaves of an array as text (other items skipped); a lone string as a one-item list.
    var strings: [String] {
        switch self {
        case .array(let items): items.compactMap(\.text)
        case .string(let text): [text]
        default: []
        }
    }

    /// The single key of a one-key object (`{"accept": null}` → `accept`) and its value.
    var single: (key: String, value: JSONValue)? {
        guard case .object(let object) = self, object.count == 1, let entry = object.first else { return nil }
        return (entry.key, entry.value)
    }

    /// Compact JSON text with sorted keys, for messages.
    var compact: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value):
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return "\"" + escaped + "\""
        case .array(let values): return "[" + values.map(\.compact).joined(separator: ",") + "]"
        case .object(let object):
            return "{" + object.keys.sorted().map { "\"\($0)\":\(object[$0]!.compact)" }.joined(separator: ",") + "}"
        }
    }
}
