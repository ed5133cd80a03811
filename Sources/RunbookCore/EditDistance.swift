/// Close names for "did you mean" suggestions.
public enum EditDistance {
    /// Levenshtein distance between two strings, by characters.
    public static func between(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidates within a third of the name's length (at least 2 edits), closest first;
    /// also candidates that contain the name.
    public static func suggestions(for name: String, among candidates: [String]) -> [String] {
        let limit = max(2, name.count / 3)
        return
            candidates
            .map { ($0, between(name, $0)) }
            .filter { $0.1 <= limit || $0.0.contains(name) }
            .sorted { $0.1 < $1.1 }
            .prefix(3)
            .map(\.0)
    }
}
