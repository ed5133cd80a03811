import Foundation
import RunbookActions
import Testing

/// `runbook site` and `runbook lint --articles`, run as a user would (issues #12 and #14).
@Suite("runbook site", .serialized)
struct SiteCLITests {
    static let corpus = URL(fileURLWithPath: Repository.shared + "/corpus").standardizedFileURL.path
    static let sshFamily = corpus + "/ssh-family/2017"
    static let sshIncludes = corpus + "/ssh-family/includes"

    @Test("site prints what it wrote: pages written, unchanged and removed, and the folder; no progress into a pipe")
    func summaryLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.url.appendingPathComponent("site").path
        let arguments = [
            "site", "-o", out, "--no-graphs", "--articles", Self.sshFamily, "--includes", Self.sshIncludes,
        ]
        let cold = try await runbook(arguments)
        #expect(cold.exitCode == 0, "\(cold.stderr)")
        #expect(
            cold.stdout.hasPrefix(
                "site \(out): 24 pages (8 runbooks, 13 articles): 24 written, 0 unchanged, 0 removed; "),
            "\(cold.stdout)")
        // The runbooks name azure-docs paths; this flat folder has the same files under other names.
        #expect(
            cold.stderr.contains(
                "ssh-connection.md:39:5: warning: no article "
                    + "'virtual-machines/virtual-machines-linux-troubleshoot-ssh-connection.md'"),
            "\(cold.stderr)")
        #expect(!cold.stderr.contains("\r") && !cold.stderr.contains("\u{1B}"), "no progress line into a pipe")
        try FileManager.default.removeItem(atPath: out + "/articles/virtual-machines-windows-reset-rdp.html")
        let again = try await runbook(arguments)
        #expect(
            again.stdout.hasPrefix(
                "site \(out): 24 pages (8 runbooks, 13 articles): 1 written, 23 unchanged, 0 removed; "),
            "\(again.stdout)")
        let fewer = try await runbook([
            "site", "-o", out, "--no-graphs", "--kb", directory.url.appendingPathComponent("none").path,
        ])
        #expect(
            fewer.stdout.hasPrefix(
                "site \(out): 3 pages (0 runbooks, 0 articles): 2 written, 1 unchanged, 21 removed; "),
            "\(fewer.stdout)")
    }

    @Test("On a terminal, a build that takes over a second shows one progress line, rewritten in place")
    func progressOnTerminal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.url.appendingPathComponent("site").path
        // Drawing the eight runbooks' graphs (dot) and the articles takes a debug build about 2 s here.
        let command = [
            "cd", repositoryRoot.path, "&&", try runbookBinary(), "site", "-o", out,
            "--articles", Self.sshFamily, "--includes", Self.sshIncludes,
        ]
        .map { "'\($0)'" }.joined(separator: " ").replacingOccurrences(of: "'&&'", with: "&&")
        let session = try await ProcessRunner.run(
            ["script", "-qefc", command, "/dev/null"],
            environment: ["TERM": "xterm", "NO_COLOR": "1"],
            timeout: .seconds(120))
        let screen = session.standardOutput
        let summary = try #require(screen.range(of: "site \(out): 24 pages"), "\(screen)")
        let seconds = try #require(
            Double(
                screen[summary.upperBound...].split(separator: ";").last?
                    .trimmingCharacters(in: .whitespacesAndNewlines).dropLast(2) ?? ""), "\(screen)")
        // The runbooks' sources: name azure-docs paths, so warnings follow the progress line.
        let progress = screen[..<(screen.range(of: "Runbooks/")?.lowerBound ?? summary.lowerBound)]
        if seconds >= 1.5 {
            #expect(progress.contains("\r\u{1B}[Kbuilding the site: "), "\(screen.debugDescription)")
            #expect(progress.contains("of 24 pages"))
            #expect(!progress.contains("\n"), "one line, rewritten with \\r: \(progress.debugDescription)")
            #expect(progress.hasSuffix("\r\u{1B}[K"), "the line is cleared before the summary")
        } else if seconds < 1 {
            #expect(!progress.contains("building the site"), "no progress line under a second")
        }
    }

    @Test(
        "After an article and an include changed, a rebuild's search-index.js is a cold build's, with their new words")
    func searchIndexRebuilt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let docs = directory.url.appendingPathComponent("docs").path
        try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.sshFamily, toPath: docs + "/articles")
        try FileManager.default.copyItem(atPath: Self.sshIncludes, toPath: docs + "/includes")
        func build(_ name: String) async throws -> String {
            let out = directory.url.appendingPathComponent(name).path
            let result = try await runbook([
                "site", "-o", out, "--no-graphs", "--articles", docs + "/articles",
                "--includes", docs + "/includes",
            ])
            #expect(result.exitCode == 0, "\(result.stderr)")
            return try String(contentsOfFile: out + "/search-index.js", encoding: .utf8)
        }
        /// Appends to a file, its time a minute later (file times can be coarser than two quick writes apart).
        func append(_ text: String, to path: String) throws {
            let old = try String(contentsOfFile: path, encoding: .utf8)
            let modified = try #require(FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
            try (old + text).write(toFile: path, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.modificationDate: modified.addingTimeInterval(60)], ofItemAtPath: path)
        }
        let first = try await build("site")
        #expect(first.contains("virtual-machines-windows-reset-rdp.html"))
        try append("\nwallabyword\n", to: docs + "/articles/virtual-machines-windows-reset-rdp.md")
        try append("\nbandicootword\n", to: docs + "/includes/virtual-machines-common-allocation-failure.md")
        let rebuilt = try await build("site")
        #expect(rebuilt.contains("wallabyword") && rebuilt.contains("bandicootword"))
        #expect(rebuilt == (try await build("cold")))
        #expect(
            FileManager.default.fileExists(
                atPath: directory.url.appendingPathComponent("site/.runbook-search.jsonl").path))
    }

    @Test("lint --articles: each name in sources: must be a file of the articles folder (file:line:col, exit 1)")
    func lintSources() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("articles/vm/real.md", "# Real\n")
        let runbookFile = try directory.write(
            "kb/r.md",
            """
            ---
            id: r
            title: R
            models: {arm: Resource Manager}
            verify: done
            sources:
              - vm/real.md
              - vm/reel.md
            ---
            # R

            ## Done {#done}

            ```check tcp-connect host=localhost port=22
            ```
            """
        ).path
        let articles = directory.url.appendingPathComponent("articles").path
        let result = try await runbook([
            "lint", "--kb", directory.url.appendingPathComponent("kb").path,
            "--articles", articles, runbookFile,
        ])
        #expect(result.exitCode == 1)
        #expect(
            result.stdout == """
                \(runbookFile):8:5: error: no article 'vm/reel.md' in \(articles)
                \(runbookFile):8:5: note: did you mean 'vm/real.md'?

                """)
        let without = try await runbook(["lint", "--kb", directory.url.appendingPathComponent("kb").path, runbookFile])
        #expect(without.exitCode == 0, "without --articles only the form of the names is checked: \(without.stdout)")
        let missing = try await runbook(["lint", "--articles", articles + "/nope", runbookFile])
        #expect(missing.exitCode == 2)
        #expect(
            missing.stderr.contains("runbook: error: articles folder '\(articles)/nope' does not exist"),
            "\(missing.stderr)")
    }
}
