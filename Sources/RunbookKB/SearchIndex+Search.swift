import GRDB

/// One answer of a search.
public struct SearchHit: Sendable, Equatable, Encodable {
    public var kind: SearchDocument.Kind
    public var runbook: String
    /// The section or step, `nil` for a whole runbook or an article.
    public var step: String?
    /// The models the hit applies to (empty: every model).
    public var models: [String]
    public var title: String
    public var path: String
    /// bm25 with the field weights, times the kind's boost: higher is better.
    public var score: Double
    /// A piece of the best matching field: the matched words between `\u{2}` and `\u{3}`, `…`
    /// where the text was cut (always between words).
    public var snippet: String

    public static let highlightStart: Character = "\u{2}"
    public static let highlightEnd: Character = "\u{3}"
}

extension SearchIndex {
    public struct Filter: Sendable, Equatable {
        public var model: String?
        public var kind: SearchDocument.Kind?
        public var limit: Int

        public init(model: String? = nil, kind: SearchDocument.Kind? = nil, limit: Int = 10) {
            self.model = model
            self.kind = kind
            self.limit = limit
        }
    }

    /// The best documents for `text`, best first.
    public func search(_ text: String, filter: Filter = Filter()) throws(SearchError) -> [SearchHit] {
        let typed = SearchQuery(text)
        guard !typed.isEmpty else { throw .emptyQuery }
        let query: SearchQuery
        do {
            query = try database.read { db in
                let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM document") ?? 0
                let marks = typed.terms.map { _ in "?" }.joined(separator: ", ")
                let counts = try Dictionary(
                    Row.fetchAll(
                        db, sql: "SELECT term, doc FROM temp.search_vocabulary WHERE term IN (\(marks))",
                        arguments: StatementArguments(typed.terms)
                    ).map { ($0["term"] as String, $0["doc"] as Int) },
                    uniquingKeysWith: { first, _ in first })
                return typed.droppingCommon { 2 * (counts[$0] ?? 0) >= total }
            }
        } catch {
            throw .unusableDatabase(path: path, reason: Self.describe(error))
        }
        let bm25 = "bm25(search, " + weights.columnWeights.map { String($0) }.joined(separator: ", ") + ")"
        let boost =
            "CASE d.kind "
            + SearchDocument.Kind.allCases.map {
                "WHEN '\($0.rawValue)' THEN \(weights.boost($0))"
            }.joined(separator: " ") + " END"
        var conditions = ["search MATCH ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [query.expression]
        if let kind = filter.kind {
            conditions.append("d.kind = ?")
            arguments.append(kind.rawValue)
        }
        if let model = filter.model {
            conditions.append("(d.models = '' OR instr(' ' || d.models || ' ', ?) > 0)")
            arguments.append(" \(model) ")
        }
        // A few more than asked for: a step whose declared message the query holds moves up.
        let limit = max(1, filter.limit)
        arguments.append(max(limit * 4, 40))
        let sql = """
            SELECT d.id, d.kind, d.runbook, d.step, d.models, d.path, search.title, search.explains,
                   -\(bm25) * \(boost) AS score
            FROM search JOIN document d ON d.id = search.rowid
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY score DESC, d.id LIMIT ?
            """
        do {
            return try database.read { db in
                var rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                    let explains: String = row["explains"]
                    let held = explains.split(separator: "\n").contains { typed.holds(message: String($0)) }
                    let score: Double = row["score"]
                    return (row: row, score: held ? score * weights.explainedMessageBoost : score)
                }
                rows.sort { $0.score > $1.score }
                return try rows.prefix(limit).map { row, score in
                    let id: Int64 = row["id"]
                    let snippet =
                        try String.fetchOne(
                            db,
                            sql:
                                "SELECT snippet(search, -1, char(2), char(3), '…', 14) FROM search WHERE search MATCH ? AND rowid = ?",
                            arguments: [query.expression, id]) ?? ""
                    let models: String = row["models"]
                    return SearchHit(
                        kind: SearchDocument.Kind(rawValue: row["kind"]) ?? .article, runbook: row["runbook"],
                        step: row["step"],
                        models: models.split(separator: " ").map(String.init), title: row["title"], path: row["path"],
                        score: score, snippet: snippet)
                }
            }
        } catch {
            throw .unusableDatabase(path: path, reason: Self.describe(error))
        }
    }
}
