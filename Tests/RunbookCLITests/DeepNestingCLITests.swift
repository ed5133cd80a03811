import Foundation
import RunbookActions
import Testing

/// Markdown nested thousands of levels deep (which cmark parses without trouble) once crashed
/// lint, run and render with a stack overflow in recursive walks over cmark's tree. Every walk
/// is a loop now: the real binary must end normally and write the whole structure.
@Suite("Deeply nested Markdown", .serialized)
struct DeepNestingCLITests {
    /// 10,000 lists, each the only item's content of the one before: `- - - … a`.
    static let lists = String(repeating: "- ", count: 10_000) + "a\n"
    /// 5,000 nested block quotes.
    static let quotes = String(repeating: ">", count: 5_000) + " a\n"
    /// 10,000 emphasis delimiters on each side (cmark nests `<strong>` 5,000 deep).
    static let emphasis = String(repeating: "*", count: 10_000) + "a" + String(repeating: "*", count: 10_000) + "\n"

    /// 100,000 nested lists and quotes: deeper than the stack of a release build allows for a
    /// recursive walk (which crashed on them where a debug build crashed at 10,000).
    static let lists100k = String(repeating: "- ", count: 100_000) + "a\n"
    static let quotes100k = String(repeating: ">", count: 100_000) + " a\n"

    /// The input called `name` (test arguments are names: the texts are too long to print).
    static func nested(_ name: String) -> String {
        switch name {
        case "lists": lists
        case "quotes": quotes
        case "lists-100k": lists100k
        case "quotes-100k": quotes100k
        default: emphasis
        }
    }

    /// A runbook whose one step has `nested` in its text.
    static func runbookText(_ nested: String) -> String {
        """
        ---
        id: deep
        title: Deep
        models: {arm: Resource Manager}
        verify: ok
        ---
        # Deep

        ## OK {#ok}

        \(nested)
        ```check command run="true"
        ```

        """
    }

    static func expectNoSignal(_ result: Invocation, _ what: String) {
        // A signal shows as 128 + its number (SIGSEGV: 139).
        #expect(
            result.exitCode < 128, "\(what) ended by a signal: exit \(result.exitCode)\n\(result.stderr.suffix(500))")
    }

    /// How often `tag` occurs in `html`.
    static func count(_ tag: String, in html: String) -> Int {
        html.components(separatedBy: tag).count - 1
    }

    @Test(
        "lint and run finish normally on 10,000 nested lists, 5,000 quotes and 10,000 emphasis delimiters",
        arguments: ["lists", "quotes", "emphasis"])
    func lintAndRun(name: String) async throws {
        let nested = Self.nested(name)
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let article = try folder.write("\(name).md", nested)
        let book = try folder.write("deep-\(name).md", Self.runbookText(nested))

        let lintArticle = try await runbook(["lint", "--kb", folder.url.path, article.path], timeout: 120)
        Self.expectNoSignal(lintArticle, "lint \(name)")
        #expect(lintArticle.exitCode == 0, "\(lintArticle.stdout)\(lintArticle.stderr)")
        let lintBook = try await runbook(["lint", "--kb", folder.url.path, book.path], timeout: 120)
        Self.expectNoSignal(lintBook, "lint deep-\(name)")
        #expect(lintBook.exitCode == 0, "\(lintBook.stdout)\(lintBook.stderr)")
        #expect((lintBook.stdout + lintBook.stderr).contains("0 error(s)"))

        let state = folder.url.appendingPathComponent("state").path
        let run = try await runbook(
            ["run", "arm", "--runbook", book.path, "--non-interactive"],
            environment: ["XDG_STATE_HOME": state], timeout: 120)
        Self.expectNoSignal(run, "run deep-\(name)")
        #expect(run.exitCode == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("healthy"), "\(run.stdout)")
    }

    @Test(
        "render writes every level that cmark writes",
        arguments: [
            ("lists", "<ul>", 10_000), ("quotes", "<blockquote>", 5_000), ("emphasis", "<strong>", 5_000),
            ("lists-100k", "<ul>", 100_000), ("quotes-100k", "<blockquote>", 100_000),
        ])
    func render(name: String, tag: String, expected: Int) async throws {
        let nested = Self.nested(name)
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let article = try folder.write("\(name).md", nested)
        let page = folder.url.appendingPathComponent("\(name).html").path
        let result = try await runbook(["render", article.path, "-o", page], timeout: 120)
        Self.expectNoSignal(result, "render \(name)")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let cmark = try await ProcessRunner.run(["cmark"], input: nested, timeout: .seconds(60))
        #expect(cmark.exitCode == 0)
        let levels = Self.count(tag, in: cmark.standardOutput)
        #expect(levels == expected, "cmark's \(tag) count")
        #expect(Self.count(tag, in: html) == levels, "the page has as many \(tag) as cmark's HTML")
        #expect(html.contains("</main>"), "the page is whole")

        // The same text in a runbook's step renders too.
        let book = try folder.write("deep-\(name).md", Self.runbookText(nested))
        let bookPage = folder.url.appendingPathComponent("deep-\(name).html").path
        let bookResult = try await runbook(["render", book.path, "-o", bookPage], timeout: 120)
        Self.expectNoSignal(bookResult, "render deep-\(name)")
        #expect(bookResult.exitCode == 0, "\(bookResult.stderr)")
        // (The page's table of contents may add a list of its own.)
        #expect(Self.count(tag, in: try String(contentsOfFile: bookPage, encoding: .utf8)) >= levels)
    }
}
