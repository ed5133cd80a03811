public import RunbookActions

/// The time a run measures and waits on: the system's monotonic clock, or a test's.
///
/// The runner reads it for a step's duration, waits on it between `retries=` and races a check
/// against it (the action's timeout plus ``Runner/timeoutGrace``), so those are tested without waiting.
public protocol RunClock: Sendable {
    /// A monotonic reading: the time since the clock's own origin.
    var now: Duration { get }
    /// Waits `duration`; throws when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's monotonic clock (`ContinuousClock`).
public struct SystemClock: RunClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// Makes the executor for work on this computer: checks' local commands (no extra environment)
/// and fixes that run on the client (the run's environment).
public typealias ClientExecutorFactory = @Sendable (_ environment: [String: String]) -> any Executor

extension RunClock {
    /// Runs `operation`, or gives up after `limit` on this clock (cancelling it): `nil` then.
    func race<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await operation() }
            group.addTask {
                try? await self.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
    }
}
