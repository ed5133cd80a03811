import Foundation
import Synchronization

/// Runs a call that blocks its thread (`getaddrinfo` waiting on a dead DNS server) on a thread
/// of its own, off Swift's cooperative pool, and stops waiting for it after `timeout`.
///
/// A task group cannot do this: it waits for every child, and a child stuck in a C call never
/// returns. Here the caller resumes at the deadline (or on cancellation) and the thread finishes
/// on its own later, its result dropped.
enum BlockingCall {
    static func run<T: Sendable>(timeout: Duration, _ work: @escaping @Sendable () -> T) async throws -> T {
        let once = Once<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                once.set(continuation)
                let thread = Thread {
                    once.resume(with: .success(work()))
                }
                thread.start()
                Task {
                    try? await Task.sleep(for: timeout)
                    once.resume(with: .failure(TimeoutError()))
                }
            }
        } onCancel: {
            once.resume(with: .failure(CancellationError()))
        }
    }

    /// Resumes a continuation at most once, whichever of work, timer or cancellation comes first.
    final class Once<T: Sendable>: Sendable {
        private let state = Mutex<
            (continuation: CheckedContinuation<T, any Error>?, early: Result<T, any Error>?, done: Bool)
        >(
            (nil, nil, false))

        func set(_ continuation: CheckedContinuation<T, any Error>) {
            let early: Result<T, any Error>? = state.withLock { state in
                if let early = state.early {
                    state.done = true
                    return early
                }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func resume(with result: Result<T, any Error>) {
            let continuation: CheckedContinuation<T, any Error>? = state.withLock { state in
                guard !state.done else { return nil }
                guard let continuation = state.continuation else {
                    if state.early == nil { state.early = result }
                    return nil
                }
                state.done = true
                state.continuation = nil
                return continuation
            }
            continuation?.resume(with: result)
        }
    }
}
