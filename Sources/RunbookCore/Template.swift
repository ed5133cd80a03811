import RunbookMarkdown

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

    /// A piece of a text: literal text, or a placeholder as written (`raw`, between the braces).
    public enum Segment: Sendable, Equatable {
        case text(Substring)
        case placeholder(Reference, raw: Substring)
    }

    /// The text cut into literal text and placeholders, in order: the one reading of `{{name}}`.
    ///
    /// The name between the braces is trimmed of white space first, then a final `?` marks it
    /// optional: `{{ host? }}` is the optional input `host`. A `{{` without a later `}}` is text.
    public static func segments(in text: String) -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            if open.lowerBound > rest.startIndex { segments.append(.text(rest[..<open.lowerBound])) }
            let raw = rest[open.upperBound..<close.lowerBound]
            var name = raw.trimmed
            let optional = name.hasSuffix("?")
            if optional { name.removeLast() }
            segments.append(.placeholder(Reference(name: name, optional: optional), raw: raw))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(rest)) }
        return segments
    }

    /// The placeholders of a text, in order of first use.
    public static func references(in text: String) -> [Reference] {
        var references: [Reference] = []
        for case .placeholder(let reference, _) in segments(in: text)
        where !references.contains(where: { $0.name == reference.name }) {
            references.append(reference)
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
        for segment in segments(in: text) {
            switch segment {
            case .text(let text): result += text
            case .placeholder(let reference, _):
                if let value = values[reference.name] {
                    result += value
                } else if !reference.optional {
                    return nil
                }
            }
        }
        return result
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
