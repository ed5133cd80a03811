import Foundation
import Synchronization

/// Work spread over threads of its own (not the tasks' shared pool, which a long parse would starve).
package enum Lanes {
    /// `transform` of `0..<count` on `workers` threads, in order.
    package static func map<Result: Sendable>(
        _ count: Int, workers: Int, _ transform: @escaping @Sendable (Int) -> Result
    ) async -> [Result] {
        let lanes = max(1, min(workers, count))
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let results = Mutex([Result?](repeating: nil, count: count))
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    for index in stride(from: lane, to: count, by: lanes) {
                        let result = transform(index)
                        results.withLock { $0[index] = result }
                    }
                }
                continuation.resume(returning: results.withLock { $0.map { $0! } })
            }
        }
    }
}
