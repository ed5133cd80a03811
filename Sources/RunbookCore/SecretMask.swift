/// The one rule that hides secret input values in text a person or a log sees: every occurrence
/// of a secret's value becomes `***`, the longest value first (so a secret that contains another
/// is hidden whole, not left as `***` plus its tail).
///
/// The run's events (``Redactor`` in RunbookRunner), a fix's output and the run report's page all
/// mask through this type.
public struct SecretMask: Sendable, Equatable {
    /// What a secret's value is shown as.
    public static let placeholder = "***"

    /// The values to hide, longest first; empty values are left out (they would match everywhere).
    public let values: [String]

    public init(values: some Sequence<String>) {
        self.values = values.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    /// Whether there is nothing to hide.
    public var isEmpty: Bool { values.isEmpty }

    /// `text` with every secret value replaced by ``placeholder``.
    public func masked(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var result = text
        for secret in values where result.contains(secret) {
            result = result.split(separator: Substring(secret), omittingEmptySubsequences: false)
                .joined(separator: Self.placeholder)
        }
        return result
    }
}
