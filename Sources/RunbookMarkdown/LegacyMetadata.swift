/// Metadata of a legacy article, read from its `<properties .../>` and `<tags .../>` blocks.
public struct LegacyMetadata: Sendable, Equatable {
    /// Every attribute of `<properties>`, in source order.
    public var properties: [String: String] = [:]
    /// Every attribute of `<tags>`, in source order.
    public var tags: [String: String] = [:]
    public var location: SourceLocation?

    public var isEmpty: Bool { properties.isEmpty && tags.isEmpty }

    /// A byte pre-check: `false` when `literal` cannot hold a `<properties>` or `<tags>` tag
    /// (neither word appears in it, in any case), so the tag reader need not run.
    static func mayHoldMetadata(_ literal: String) -> Bool {
        containsLowercased(literal, "properties") || containsLowercased(literal, "tags")
    }

    /// Whether `text`, ASCII letters lower-cased, contains the lower-case ASCII `word`.
    static func containsLowercased(_ text: String, _ word: StaticString) -> Bool {
        word.withUTF8Buffer { pattern in
            var text = text
            return text.withUTF8 { bytes in
                guard pattern.count <= bytes.count else { return false }
                for start in 0...(bytes.count - pattern.count) {
                    var offset = 0
                    while offset < pattern.count {
                        let byte = bytes[start + offset]
                        if (byte >= 65 && byte <= 90 ? byte + 32 : byte) != pattern[offset] { break }
                        offset += 1
                    }
                    if offset == pattern.count { return true }
                }
                return false
            }
        }
    }

    /// Reads the legacy metadata blocks among `blocks`.
    public init(blocks: [MarkdownBlock]) {
        for case .html(let html) in blocks where Self.mayHoldMetadata(html.literal) {
            // One HTML block may hold both tags when no blank line separates them.
            var rest = Substring(html.literal)
            while let tag = HTMLTag(parsing: rest) {
                switch tag.name {
                case "properties":
                    for (name, value) in tag.attributes { properties[name] = value }
                    location = location ?? html.range.start
                case "tags":
                    for (name, value) in tag.attributes { tags[name] = value }
                    location = location ?? html.range.start
                default:
                    break
                }
                rest = tag.rest
            }
        }
    }
}
