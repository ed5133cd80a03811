import RunbookCore

/// One thing the knowledge base can answer with: a runbook, one of its sections or steps, or a
/// legacy article. Its text is split into weighted fields (see ``SearchWeights``).
public struct SearchDocument: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case runbook, section, step, article
    }

    /// The searchable fields, in the order of the index's columns.
    public enum Field: String, Sendable, CaseIterable {
        case title, keywords, explains, headings, body

        var property: KeyPath<SearchDocument, String> {
            switch self {
            case .title: \.title
            case .keywords: \.keywords
            case .explains: \.explains
            case .headings: \.headings
            case .body: \.body
            }
        }
    }

    /// Unique in an index: `runbook:ID`, `runbook:ID#SECTION-OR-STEP`, `article:PATH`.
    public var key: String
    public var kind: Kind
    /// The runbook's id (an article's own id, its file name, for an article).
    public var runbook: String
    /// The section's or step's id.
    public var step: String?
    /// The models the document applies to; empty for every model.
    public var models: [String]
    /// The file it comes from.
    public var path: String
    public var title: String
    public var keywords: String
    public var explains: String
    public var headings: String
    public var body: String

    public func text(_ field: Field) -> String { self[keyPath: field.property] }

    /// Whether it applies to `model` (a document without models applies to all).
    public func applies(to model: String) -> Bool { models.isEmpty || models.contains(model) }

    /// A hash of everything stored, to tell a changed document from an unchanged one.
    public var contentHash: String {
        var hasher = ContentHash()
        for part in [key, kind.rawValue, runbook, step ?? "", models.joined(separator: " "), path]
            + Field.allCases.map(text)
        {
            hasher.add(part)
            hasher.add("\u{0}")
        }
        return hasher.value
    }
}
