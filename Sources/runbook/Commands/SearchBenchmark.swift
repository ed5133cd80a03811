import Foundation
import RunbookApp
import RunbookKB

/// `runbook search --bench FILE`: the latency of each query of FILE (the first tab-separated field
/// of each line not starting with `#`), searched in this process, ROUNDS times (default 20) after
/// one warm-up round; prints p50 and p95 in ms, and each query's words (for `rg` to search the same).
enum SearchBenchmark {
    static func run(file: String, index: SearchIndex) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw AppError.badInput("cannot read \(file)")
        }
        let queries = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
            .map { String($0.split(separator: "\t")[0]) }
        let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 20
        var times: [Double] = []
        for round in 0...rounds {
            for query in queries {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try index.search(query)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
                if round > 0 { times.append(elapsed) }
            }
        }
        times.sort()
        func percentile(_ p: Double) -> Double {
            times[min(times.count - 1, Int((Double(times.count) * p).rounded(.up)) - 1)]
        }
        for query in queries { print("words: " + SearchQuery(query).terms.joined(separator: " ")) }
        print(
            String(
                format: "queries %d × %d rounds: p50 %.2f ms, p95 %.2f ms, max %.2f ms",
                queries.count, rounds, percentile(0.5), percentile(0.95), times.last ?? 0))
    }
}
