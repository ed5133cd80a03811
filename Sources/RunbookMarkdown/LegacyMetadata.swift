/// Metadata of a legacy article, read from its `<properties .../>` and `<tags .../>` blocks.
public struct LegacyMetadata: Sendable, Equatable {
    /// Every attribute of `<properties>`, in source order.
    public var properties: [String: String] = [:]
    /// Every attribute of `<tags>`, in source order.
    public var tags: [String: String] = [:]
    public var location: SourceLocation?

    public var isEmpty: Bool { properties.isEmpty && tags.isEmpty }

    /// Reads the legacy metadata blocks among `blocks`.
    public init(blocks: [MarkdownBlock]) {
        for case .html(let html) in blocks {
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
