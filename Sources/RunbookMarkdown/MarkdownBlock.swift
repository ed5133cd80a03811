/// A block of a Markdown document, as cmark parsed it, reduced to what runbooks need.
///
/// Only top-level blocks appear; the content of lists, quotes and paragraphs is kept as
/// plain text and source range.
public enum MarkdownBlock: Sendable, Equatable {
    case heading(Heading)
    case fence(Fence)
    case html(HTML)
    case anchor(Anchor)
    case other(Other)

    public var range: SourceRange {
        switch self {
        case .heading(let heading): heading.range
        case .fence(let fence): fence.range
        case .html(let html): html.range
        case .anchor(let anchor): anchor.range
        case .other(let other): other.range
        }
    }

    /// An ATX or setext heading.
    public struct Heading: Sendable, Equatable {
        public var level: Int
        /// The heading's inline content as plain text (emphasis and code markers removed).
        public var text: String
        public var range: SourceRange
        /// The id of a legacy anchor inside the heading (`## <a name="x"></a>Title`).
        public var anchor: String? = nil
    }

    /// A fenced or indented code block.
    public struct Fence: Sendable, Equatable {
        /// The info string after the opening fence, `""` for indented code.
        public var info: String
        public var literal: String
        public var range: SourceRange
        /// Where the info string starts on the fence line, or `nil` for indented code.
        public var infoLocation: SourceLocation?
        /// Whether the fence was closed before the end of its container.
        public var isClosed: Bool
    }

    /// Raw HTML: an HTML block, or a paragraph that holds nothing but inline HTML (how cmark reads
    /// a tag spread over several lines, such as a legacy `<properties>` block).
    public struct HTML: Sendable, Equatable {
        public var literal: String
        public var range: SourceRange
    }

    /// A legacy anchor (`<a id="x"></a>` or `<a name="x"></a>`) on a line of its own.
    public struct Anchor: Sendable, Equatable {
        public var id: String
        public var range: SourceRange
    }

    /// Any other block: paragraph, list, block quote, thematic break.
    public struct Other: Sendable, Equatable {
        public var kind: String
        public var text: String
        public var range: SourceRange
    }
}
