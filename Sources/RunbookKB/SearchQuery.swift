/// What a person typed, turned into an FTS5 query that cannot be a syntax error.
///
/// The words are what the index's tokenizer (`unicode61`) sees as words: runs of letters and
/// digits, so `Permission denied (publickey).` and `"Connection refused"` are just their words.
/// Any word may match (`OR`), bm25 ranks the documents with more and rarer words first, and the
/// last word also matches as a prefix (the word being typed). Common English words are left out
/// unless nothing else is left.
public struct SearchQuery: Sendable, Equatable {
    /// The words, lowercased, without repeats, in the order typed.
    public let terms: [String]

    public init(_ text: String) {
        let words = Self.words(text)
        let meaningful = words.filter { !Self.stopWords.contains($0) }
        var seen = Set<String>()
        terms = (meaningful.isEmpty ? words : meaningful).filter { seen.insert($0).inserted }
    }

    public var isEmpty: Bool { terms.isEmpty }

    init(terms: [String]) { self.terms = terms }

    /// Without the words (but the last) that `isCommon` says half the documents or more hold:
    /// bm25 gives them an idf of about zero, so they cannot change the order, only slow it down.
    /// All of them are kept when nothing else would be left.
    func droppingCommon(_ isCommon: (String) -> Bool) -> SearchQuery {
        let kept = terms.enumerated().filter { $0.offset == terms.count - 1 || !isCommon($0.element) }.map(\.element)
        return kept.count == 1 && terms.count > 1 && isCommon(terms[terms.count - 1]) ? self : SearchQuery(terms: kept)
    }

    /// Whether every word of `message` is in the query (the query's last word may be the start of
    /// the message's word): the query holds the whole message, as when it is pasted.
    public func holds(message: String) -> Bool {
        let words = Self.words(message).filter { !Self.stopWords.contains($0) }
        guard !words.isEmpty, let last = terms.last else { return false }
        let all = Set(terms)
        return words.allSatisfy { all.contains($0) || $0.hasPrefix(last) }
    }

    /// The FTS5 `MATCH` expression: `"w1" OR "w2" OR "w3"*`.
    public var expression: String {
        terms.enumerated().map { index, term in
            "\"\(term)\"" + (index == terms.count - 1 ? "*" : "")
        }.joined(separator: " OR ")
    }

    /// Runs of letters and digits, lowercased (the index's tokenizer also folds diacritics).
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Words too common to say anything about a document.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "cannot", "do", "does", "for", "from", "has",
        "have", "how", "i", "if", "in", "into", "is", "it", "its", "my", "no", "not", "of", "on", "or", "so", "that",
        "the", "then", "there", "this", "to", "was", "what", "when", "where", "which", "why", "will", "with", "you",
        "your",
    ]
}
