/// Heading ids made from heading text: lower case, letters and digits, words joined by `-`.
public enum Slug {
    public static func make(_ text: String) -> String {
        asciiSlug(text) ?? characterSlug(text)
    }

    /// ``make(_:)`` for an ASCII text, on bytes (`nil` for any other text). In ASCII, the
    /// punctuation, symbols and white space are exactly the printable non-alphanumerics and
    /// tab through carriage return; other control characters are dropped.
    static func asciiSlug(_ text: String) -> String? {
        var slug: [UInt8] = []
        slug.reserveCapacity(text.utf8.count)
        var pendingDash = false
        for byte in text.utf8 {
            switch byte {
            case 0x80...: return nil
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingDash && !slug.isEmpty { slug.append(UInt8(ascii: "-")) }
                slug.append(byte | (byte >= 65 && byte <= 90 ? 0x20 : 0))
                pendingDash = false
            case 9...13, 32...126:
                pendingDash = true
            default:
                break
            }
        }
        return String(decoding: slug, as: UTF8.self)
    }

    /// ``make(_:)`` on characters, for any text.
    static func characterSlug(_ text: String) -> String {
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
        var next: [String: Int] = [:]
        return unique(base, among: used, next: &next)
    }

    /// ``unique(_:among:)`` for many ids: `next` remembers, per base, the number to try first, so a
    /// heading repeated thousands of times (a long concatenated file) costs no rescan from 2. The
    /// caller adds each id returned to `used`, and `used` only grows.
    public static func unique<Value>(_ base: String, among used: [String: Value], next: inout [String: Int]) -> String {
        guard used[base] != nil else { return base }
        var number = next[base] ?? 2
        while used["\(base)-\(number)"] != nil { number += 1 }
        next[base] = number + 1
        return "\(base)-\(number)"
    }
}
