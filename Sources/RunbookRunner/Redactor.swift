public import RunbookCore

/// Replaces secret input values by `***` wherever they appear in an event, by the one rule of ``SecretMask``.
public struct Redactor: Sendable {
    let mask: SecretMask

    public init(secretValues: [String]) {
        mask = SecretMask(values: secretValues)
    }

    public init(_ mask: SecretMask) {
        self.mask = mask
    }

    public func redact(_ text: String) -> String { mask.masked(text) }

    public func redact(_ event: RunEvent) -> RunEvent {
        guard !mask.isEmpty else { return event }
        var event = event
        event.summary = event.summary.map(redact)
        event.finding = event.finding.map(redact)
        event.causeFindings = event.causeFindings?.mapValues(redact)
        event.reason = event.reason.map(redact)
        event.script = event.script.map(redact)
        event.evidence = event.evidence?.mapValues(redact)
        event.inputs = event.inputs?.mapValues(redact)
        return event
    }
}
