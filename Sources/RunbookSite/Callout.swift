/// A call-out box: `> [AZURE.NOTE] ...` (any case) or GitHub's `> [!NOTE]`.
enum Callout: String, CaseIterable {
    case note, important, tip, warning, caution

    var title: String {
        switch self {
        case .note: "Note"
        case .important: "Important"
        case .tip: "Tip"
        case .warning: "Warning"
        case .caution: "Caution"
        }
    }

    /// The marker at the start of `text`, and how many bytes it and the space after it take.
    static func marker(at text: ArraySlice<UInt8>) -> (callout: Callout, length: Int)? {
        guard text.first == UInt8(ascii: "[") else { return nil }
        guard let close = text.prefix(24).firstIndex(of: UInt8(ascii: "]")) else { return nil }
        let inner = String(decoding: text[(text.startIndex + 1)..<close], as: UTF8.self).lowercased()
        let word: Substring
        if inner.hasPrefix("azure.") {
            word = inner.dropFirst(6)
        } else if inner.hasPrefix("!") {
            word = inner.dropFirst()
        } else {
            return nil
        }
        let callout: Callout
        if let known = Callout(rawValue: String(word)) {
            callout = known
        } else if word == "information" || word == "info" {
            callout = .note
        } else {
            return nil
        }
        var end = close + 1
        while end < text.endIndex, text[end] == 32 || text[end] == 10 || text[end] == 9 || text[end] == 13 { end += 1 }
        return (callout, end - text.startIndex)
    }

    /// The opening of the box, its title included.
    var openingHTML: String {
        "<div class=\"callout callout-\(rawValue)\" role=\"note\"><p class=\"callout-title\">\(title)</p>"
    }
}
