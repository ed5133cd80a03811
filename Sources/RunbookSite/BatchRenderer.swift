public import Foundation
import RunbookCore

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
        let chunks = max(1, workers)
        var total = Result()
        await withTaskGroup(of: Result.self) { group in
            for worker in 0..<chunks {
                group.addTask {
                    var result = Result()
                    var index = worker
                    while index < files.count {
                        let path = files[index]
                        index += chunks
                        guard let data = FileManager.default.contents(atPath: path) else {
                            result.failures.append(path)
                            continue
                        }
                        let text = String(decoding: data, as: UTF8.self)
                        let html = renderer.page(loading: text, path: path).html
                        result.files += 1
                        result.bytes += data.count
                        result.htmlBytes += html.utf8.count
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
