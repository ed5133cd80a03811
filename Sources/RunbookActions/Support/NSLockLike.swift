import Synchronization

/// A small lock for values handed out of callbacks.
final class NSLockLike: Sendable {
    private let mutex = Mutex(())

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        try mutex.withLock { _ in try body() }
    }
}
