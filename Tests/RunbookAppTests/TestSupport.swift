import Foundation
import RunbookCore
import RunbookRunner
@_exported import RunbookTestSupport

/// Keeps every event a run hands it, in order.
actor RecordingSink: EventSink {
    private(set) var events: [RunEvent] = []

    func receive(_ event: RunEvent, context: EventContext) async { events.append(event) }
}
