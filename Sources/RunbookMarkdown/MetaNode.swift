/// A YAML value with the source location of each part, so that metadata errors can point at
/// the key or value at fault.
public struct MetaNode: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case scalar(String)
        case sequence([MetaNode])
        case mapping([Pair])
        case null
    }

    public struct Pair: Sendable, Equatable {
        public var key: MetaNode
        public var value: MetaNode
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The scalar text, or `nil` for a list, mapping or null.
    public var string: String? {
        if case .scalar(let text) = value { return text }
        return nil
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> MetaNode? {
        pairs.first { $0.key.string == key }?.value
    }

    public var pairs: [Pair] {
        if case .mapping(let pairs) = value { return pairs }
        return []
    }

    public var items: [MetaNode] {
        if case .sequence(let items) = value { return items }
        return []
    }

    /// A scalar as a one-item list, a list of scalars as strings.
    public var strings: [String] {
        switch value {
        case .scalar(let text): [text]
        case .sequence(let items): items.compactMap(\.string)
        default: []
        }
    }

    public var bool: Bool? {
        switch string?.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}
