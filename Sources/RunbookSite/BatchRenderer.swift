public import Foundation
import RunbookCore
import Synchronization

/// Renders many files in one process on every core: the benchmark behind `runbook render --bench`.
public struct BatchRenderer: Sendable {
    public var options: RenderOptions

    public init(options: RenderOptions) { self.options = options }

    public struct Result: Sendable {
        public var files = 0
        public var bytes = 0
        public var seconds = 0.0
        /// Files that could not be read.
        public var failures: [String] = []
        /// Bytes of HTML produced (so the work cannot be optimized away).
        public var htmlBytes = 0
    }

    /// Reads, loads and renders each file (the work of `runbook render FILE`), output discarded.
    public func render(_ files: [String], workers: Int = ProcessInfo.processInfo.activeProcessorCount) async -> Result {
        let start = Date()
        let renderer = PageRenderer(options: options)
        let lanes = max(1, workers)
        // Each lane takes the next file when it is done with one, so no lane idles at the end.
        let next = FileCounter()
        var total = Result()
        await withTaskGroup(of: Result.self) { group in
            for _ in 0..<lanes {
                group.addTask {
                    var result = Result()
                    while true {
                        let index = next.take()
                        guard index < files.count else { break }
                        let path = files[index]
                        guard let text = TextFile.read(path) else {
                            result.failures.append(path)
                            continue
                        }
                        let html = renderer.pageBytes(loading: text, path: path).html
                        result.files += 1
                        result.bytes += text.utf8.count
                        result.htmlBytes += html.count
                    }
                    return result
                }
            }
            for await part in group {
                total.files += part.files
                total.bytes += part.bytes
                total.htmlBytes += part.htmlBytes
                total.failures += part.failures
            }
        }
        total.seconds = Date().timeIntervalSince(start)
        return total
    }
}

/// Hands out file indexes to the lanes that render them, one at a time.
final class FileCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
