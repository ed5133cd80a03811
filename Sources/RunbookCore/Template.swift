/// `{{name}}` placeholders in arguments, replaced by input values.
public enum Template {
    /// The input names a text refers to, in order of first use.
    public static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmed
            if !names.contains(name) { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// Replaces every `{{name}}` by its value; `nil` when a value is missing.
    public static func expand(_ text: String, values: [String: String]) -> String? {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            result += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmed
            guard let value = values[name] else { return nil }
            result += value
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The names of declared inputs that a `run` script reads as environment variables
    /// (`$RESOURCE_GROUP` or `${RESOURCE_GROUP}`), in declaration order.
    public static func environmentInputs(in script: String, inputs: [Input]) -> [Input] {
        inputs.filter { input in
            let name = input.environmentName
            return script.contains("$\(name)") || script.contains("${\(name)")
        }
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
