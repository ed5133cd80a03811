/// Heading ids made from heading text: lower case, letters and digits, words joined by `-`.
public enum Slug {
    public static func make(_ text: String) -> String {
        var slug = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                slug.append(character)
                pendingDash = false
            } else if character == "-" || character == "_" || character.isWhitespace || character.isPunctuation
                || character.isSymbol
            {
                pendingDash = true
            } else if character.isLetter || character.isNumber {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                slug.append(character)
                pendingDash = false
            }
        }
        return slug
    }

    /// `base`, or `base-2`, `base-3`, ... whichever is not yet used.
    public static func unique<Value>(_ base: String, among used: [String: Value]) -> String {
        guard used[base] != nil else { return base }
        var number = 2
        while used["\(base)-\(number)"] != nil { number += 1 }
        return "\(base)-\(number)"
    }
}
