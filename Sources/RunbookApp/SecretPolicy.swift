public import RunbookCore
public import RunbookRunner

/// The one place that decides what a run treats as secret and how it hides it: the runbook's
/// `secret: true` inputs; an empty secret counts as not given; a secret shorter than
/// ``minimumLength`` is refused (masking `a` would turn every `a` of the output into `***`); the
/// values are masked (``SecretMask``) in every event, the console's commands and the log; the
/// command the verdict prints asks for a secret given with `-i` again as `-i NAME=…`.
public struct SecretPolicy: Sendable {
    /// Secrets shorter than this are refused: masking `a` would turn every `a` of the output into `***`.
    public static let minimumLength = 4

    /// The names of the secret inputs.
    public let names: Set<String>
    /// The mask of the secret values the run has.
    public let mask: SecretMask

    /// Applies the policy to a run's values: drops empty secrets, refuses short ones.
    ///
    /// - Parameter values: the resolved input values; empty secrets are removed from them.
    public init(runbook: Runbook, values: inout [String: String]) throws(AppError) {
        let secrets = runbook.inputs.filter(\.secret)
        for input in secrets {
            if let value = values[input.name], value.isEmpty { values[input.name] = nil }
            if let value = values[input.name], value.count < Self.minimumLength {
                throw .badInput(
                    "secret input '\(input.name)' is shorter than \(Self.minimumLength) characters; "
                        + "masking it would hide every such character of the output")
            }
        }
        names = Set(secrets.map(\.name))
        mask = SecretMask(values: names.compactMap { values[$0] })
    }

    /// The redactor the run's event hub applies to every event.
    public var redactor: Redactor { Redactor(mask) }

    /// `text` with every secret value masked.
    public func masked(_ text: String) -> String { mask.masked(text) }

    /// Whether input `name` is secret.
    public func isSecret(_ name: String) -> Bool { names.contains(name) }
}
