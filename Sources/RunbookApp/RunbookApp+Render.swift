import Foundation
import RunbookCore
import RunbookSite

extension RunbookApp {
    /// `runbook render`: one self-contained HTML page of a runbook (an id in the knowledge base) or
    /// of a Markdown file (a path), `[AZURE.INCLUDE]` files resolved next to it and in `includes`.
    public func renderPage(
        _ reference: String, includes: [String], knowledgeBase: KnowledgeBaseLocation
    ) throws(AppError) -> [UInt8] {
        let options = RenderOptions(includes: Includes(fallbackDirectories: includes))
        let path: String
        if RunbookChoice.isPath(reference) {
            path = reference
        } else {
            let base: KnowledgeBase
            do { base = try knowledgeBase.load() } catch { throw AppError(error) }
            path = try RunbookChoice.runbook(reference, in: base).0.path
        }
        let text = try Self.readPage(path)
        // One cmark parse serves loading the runbook and its page (a 50 MB file is parsed once),
        // and the text is handed over, not kept here.
        return PageRenderer(options: options).pageBytes(loading: consume text, path: path).html
    }

    /// `runbook render --bench DIR`: renders every `.md` under `folder` on `workers` cores and
    /// says how fast.
    public func renderBenchmark(_ folder: String, includes: [String], workers: Int) async throws(AppError) -> String {
        let options = RenderOptions(includes: Includes(fallbackDirectories: includes))
        let files = KnowledgeBase.markdownFiles(in: folder)
        guard !files.isEmpty else { throw .badInput("no .md files under \(folder)") }
        let result = await BatchRenderer(options: options).render(files, workers: workers)
        let seconds = result.seconds
        var lines = [
            String(
                format: "runbook render: %d files, %.1f MB, %.3f s, %.0f files/s, %d failed",
                result.files, Double(result.bytes) / 1e6, seconds, Double(result.files) / seconds,
                result.failures.count)
        ]
        for failure in result.failures.prefix(10) { lines.append("  failed: \(failure)") }
        return lines.joined(separator: "\n")
    }

    /// The file's text, read with one copy (``TextFile``) when it is a regular file.
    static func readPage(_ path: String) throws(AppError) -> String {
        if let text = TextFile.read(path) { return text }
        guard let data = FileManager.default.contents(atPath: path) else { throw .badInput("cannot read '\(path)'") }
        return String(decoding: data, as: UTF8.self)
    }
}
