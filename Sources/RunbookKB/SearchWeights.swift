/// How much a match in each field of a ``SearchDocument`` counts, and how far runbooks and steps
/// go ahead of articles: the one definition that `runbook search` (SQLite FTS5's bm25) and the
/// site's search page (the same bm25 in the page's script, reading ``SearchExport``) both use.
public struct SearchWeights: Sendable, Equatable, Encodable {
    /// The error messages a step declares with `explains=`: a pasted message lands on its step.
    public var explains: Double
    public var title: Double
    /// Keywords, services, step id, check action names, models.
    public var keywords: Double
    /// Headings of the document; for a step, its checks' findings and where it sits (its sections
    /// and runbook).
    public var headings: Double
    /// The text: paragraphs, lists, code.
    public var body: Double

    /// Multiplies the bm25 score of a document of each kind: at equal relevance runbooks and steps
    /// come before sections, sections before articles.
    public var runbookBoost: Double
    public var stepBoost: Double
    public var sectionBoost: Double
    public var articleBoost: Double

    /// Multiplies the score of a step one of whose declared messages the query holds in full
    /// (every word of the message is in the query): a pasted error lands on the step that explains it.
    public var explainedMessageBoost: Double

    /// bm25's constants (those FTS5 uses).
    public var k1: Double
    public var b: Double

    public static let standard = SearchWeights(
        explains: 6, title: 8, keywords: 6, headings: 3, body: 1,
        runbookBoost: 1.5, stepBoost: 1.6, sectionBoost: 1.3, articleBoost: 1.0, explainedMessageBoost: 4,
        k1: 1.2, b: 0.75)

    /// The weights in the order of ``SearchDocument/Field/allCases`` (the FTS5 table's columns).
    public var columnWeights: [Double] { SearchDocument.Field.allCases.map(weight) }

    public func weight(_ field: SearchDocument.Field) -> Double {
        switch field {
        case .title: title
        case .keywords: keywords
        case .explains: explains
        case .headings: headings
        case .body: body
        }
    }

    public func boost(_ kind: SearchDocument.Kind) -> Double {
        switch kind {
        case .runbook: runbookBoost
        case .step: stepBoost
        case .section: sectionBoost
        case .article: articleBoost
        }
    }
}
