import Foundation
import RunbookCore
import Testing

@testable import RunbookSite

/// `runbook report` reads a log in one pass and keeps a bounded amount of it (issue #13).
@Suite("Run report: one streaming pass, bounded memory")
struct RunReportStreamingTests {
    static func stepLine(_ step: String, _ status: String, _ n: Int) -> String {
        #"{"v":1,"ts":"2026-05-01T10:00:00.000Z","event":"step","run":"r","step":"\#(step)","status":"\#(status)","summary":"result \#(n)"}"#
    }

    @Test("the file is read in chunks to the same report as the text, whatever the chunk size")
    func fileEqualsText() throws {
        let log = fixture("diagnosed-run.jsonl")
        let path = temporaryDirectory("report-stream") + "/run.jsonl"
        try log.write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = try RunReport(contentsOf: path)
        let fromText = RunReport(log: log)
        #expect(fromFile.start == fromText.start)
        #expect(fromFile.end == fromText.end)
        #expect(fromFile.stepCount == fromText.stepCount)
        #expect(fromFile.stepCount == log.split(separator: "\n").count - 2)
        for size in [1, 7, 100, 4096] {
            var report = RunReport()
            var lines = LineSplitter()
            let bytes = Array(log.utf8)
            for start in stride(from: 0, to: bytes.count, by: size) {
                lines.feed(bytes[start..<min(start + size, bytes.count)]) { report.read($0) }
            }
            lines.finish { report.read($0) }
            #expect(report.stepCount == fromText.stepCount, "chunks of \(size) bytes")
            #expect(report.end == fromText.end)
            #expect(report.shownResults(of: "nsg-allows-ssh") == fromText.shownResults(of: "nsg-allows-ssh"))
        }
    }

    @Test("a step logged many times keeps its last results; the page says how many it leaves out")
    func manyResultsOfOneStep() throws {
        let count = RunReport.keptPerStep * 3 + 5
        var lines = [#"{"v":1,"ts":"t","event":"run-start","run":"r","runbook":"x"}"#]
        lines += (1...count).map { Self.stepLine("s", $0 == 2 ? "fail" : "pass", $0) }
        let report = RunReport(log: lines.joined(separator: "\n"))
        #expect(report.stepCount == count)
        #expect(report.failedCount == 1)
        let shown = report.shownResults(of: "s")
        #expect(shown.count == RunReport.keptPerStep)
        #expect(shown.first?.summary == "result \(count - RunReport.keptPerStep + 1)")
        #expect(shown.last?.summary == "result \(count)")
        #expect(report.results["s"]?.lastFailure?.summary == "result 2", "the cause keeps its failure")
        let text = "# X\n\n## S {#s}\n\nText.\n"
        let runbook = Runbook.load(text: text, path: "x.md").runbook
        let html = report.page(for: runbook, source: text, renderer: PageRenderer())
        #expect(html.contains("\(count - RunReport.keptPerStep) earlier results of this step are not shown."))
        #expect(html.contains("result \(count)<"))
        #expect(!html.contains("result 3<"))
        #expect(html.contains("\(count) step results, 1 failed"))
    }

    @Test("unreadable lines: the first are named, the rest counted; a line too long is skipped to its end")
    func unreadableLines() {
        var lines = (1...50).map { "garbage \($0)" }
        lines.append(String(repeating: "x", count: LineSplitter.maxLength + 10))
        lines.append(Self.stepLine("s", "pass", 1))
        let report = RunReport(log: lines.joined(separator: "\r\n"))
        #expect(report.unreadableCount == 51)
        #expect(report.unreadable.count == RunReport.keptUnreadable)
        #expect(report.unreadable.first == "line 1: not a run event")
        #expect(report.stepCount == 1, "the line after the long one is read")
        #expect(report.shownResults(of: "s").first?.summary == "result 1")
    }

    @Test("a step that failed twice is one cause")
    func causesAreDistinct() {
        let log = ["f", "f"].enumerated().map { Self.stepLine("a", "fail", $0.offset) }.joined(separator: "\n")
        #expect(RunReport(log: log).failures == ["a"])
    }
}
