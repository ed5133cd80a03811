/// `{{name}}` placeholders in arguments, replaced by input values.
///
/// `{{name?}}` is an optional placeholder: it becomes empty when the input has no value, and the
/// action then uses its own default (for example ssh's own choice of identity file).
public enum Template {
    /// A placeholder: the input's name and whether it may be empty.
    public struct Reference: Sendable, Equatable {
        public var name: String
        public var optional: Bool
    }

    /// The placeholders of a text, in order of first use.
    public static func references(in text: String) -> [Reference] {
        var references: [Reference] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            var name = String(rest[open.upperBound..<close.lowerBound]).trimmed
            let optional = name.hasSuffix("?")
            if optional { name.removeLast() }
            if !references.contains(where: { $0.name == name }) {
                references.append(Reference(name: name, optional: optional))
            }
            rest = rest[close.upperBound...]
        }
        return references
    }

    /// The input names a text refers to, in order of first use.
    public static func names(in text: String) -> [String] { references(in: text).map(\.name) }

    /// The inputs a text needs that have no value (optional placeholders never count).
    public static func missing(in text: String, values: [String: String]) -> [String] {
        references(in: text).filter { !$0.optional && values[$0.name] == nil }.map(\.name)
    }

    /// Replaces every `{{name}}` by its value; `nil` when a required value is missing.
    public static func expand(_ text: String, values: [String: String]) -> String? {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            result += rest[..<open.lowerBound]
            var name = String(rest[open.upperBound..<close.lowerBound]).trimmed
            let optional = name.hasSuffix("?")
            if optional { name.removeLast() }
            if let value = values[name] {
                result += value
            } else if !optional {
                return nil
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The names of declared inputs that a `run` script reads as environment variables
    /// (`$RESOURCE_GROUP` or `${RESOURCE_GROUP}`), in declaration order.
    public static func environmentInputs(in script: String, inputs: [Input]) -> [Input] {
        FixEnvironment.inputs(readBy: ShellScript(script), among: inputs)
    }
}

extension Substring {
    func range(of needle: String) -> Range<Index>? {
        guard !needle.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
