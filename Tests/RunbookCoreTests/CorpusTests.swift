import Foundation
import RunbookCore
import RunbookMarkdown
import Testing

/// The 4,239 legacy Azure articles of `../shared/corpus/azure-docs/articles`, read in place.
@Suite("Corpus of legacy articles", .serialized)
struct CorpusTests {
    static let articles = RepositoryFiles.shared("corpus/azure-docs/articles")

    @Test(
        "every article loads; legacy articles without executable blocks lint clean",
        .enabled(if: FileManager.default.fileExists(atPath: articles.path), "the shared corpus is not there"),
        .timeLimit(.minutes(2)))
    func loadAndLintEveryArticle() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let files = KnowledgeBase.markdownFiles(in: Self.articles.path)
        #expect(files.count > 4000)
        var loadCodes: [String: Int] = [:]
        var loadErrors: [String] = []
        var lintErrors: [String] = []
        var withFrontMatter = 0
        var executable = 0
        var untitled: [String] = []
        var openFenceFiles: Set<String> = []
        var steps = 0
        for path in files {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let (runbook, diagnostics) = Runbook.load(text: text, path: path)
            for diagnostic in diagnostics {
                loadCodes["\(diagnostic.severity.rawValue) \(diagnostic.code)", default: 0] += 1
            }
            loadErrors += diagnostics.errors.map(\.description)
            if diagnostics.contains(where: { $0.code == "unterminated-fence" }) { openFenceFiles.insert(path) }
            if runbook.hasFrontMatter { withFrontMatter += 1 }
            if runbook.isExecutable { executable += 1 }
            if runbook.title.isEmpty { untitled.append(path) }
            steps += runbook.steps.count
            let errors = Linter.lint(runbook, schemas: schemas).errors
            if !runbook.hasFrontMatter && !runbook.isExecutable && !errors.isEmpty {
                lintErrors += errors.map(\.description)
            }
        }
        let elapsed = clock.now - start
        print(
            """
            corpus: \(files.count) articles, \(steps) steps, loaded and linted in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))); \
            front matter: \(withFrontMatter), executable: \(executable); \
            load diagnostics: \(loadCodes.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
            """)
        #expect(withFrontMatter == 0, "the corpus has no front matter")
        #expect(executable == 0, "no article has a check/run/call fence")
        #expect(lintErrors.isEmpty, "\(lintErrors.prefix(20).joined(separator: "\n"))")
        #expect(loadErrors.count <= 2, "\(loadErrors.joined(separator: "\n"))")
        #expect(loadErrors.isEmpty, "\(loadErrors.joined(separator: "\n"))")
        #expect(untitled.isEmpty, "articles without a title: \(untitled.prefix(10))")
        // The corpus README lists the three files that end inside an open fence.
        for name in [
            "backup/backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout.md",
            "biztalk-services/biztalk-release-notes.md",
            "power-bi-embedded/power-bi-embedded-get-started-sample.md",
        ] {
            #expect(openFenceFiles.contains(Self.articles.appendingPathComponent(name).path), "\(name)")
        }
    }

    @Test(
        "a self-closing anchor line swallowing the heading below it still names that heading",
        .enabled(if: FileManager.default.fileExists(atPath: articles.path), "the shared corpus is not there"))
    func selfClosingAnchor() throws {
        let path = Self.articles.appendingPathComponent("resource-manager-template-links.md").path
        let (runbook, diagnostics) = Runbook.load(text: try String(contentsOfFile: path, encoding: .utf8), path: path)
        #expect(diagnostics.isEmpty)
        let step = try #require(runbook.step("properties"))
        #expect(step.title == "properties object")
        #expect(step.location == at(54, 1))
        #expect(runbook.title == "Resource Manager template for linking resources | Microsoft Azure")
    }

    @Test(
        "a malformed anchor inside a heading leaves the heading's text readable",
        .enabled(if: FileManager.default.fileExists(atPath: articles.path), "the shared corpus is not there"))
    func malformedAnchorInHeading() throws {
        let path = Self.articles.appendingPathComponent(
            "virtual-machines/virtual-machines-linux-classic-reset-access.md"
        ).path
        let runbook = Runbook.load(text: try String(contentsOfFile: path, encoding: .utf8), path: path).runbook
        let step = try #require(runbook.steps.first { $0.location.line == 141 })
        #expect(step.title.hasSuffix("Check consistency of added disks"), "\(step.title)")
        #expect(step.level == 2)
    }
}
