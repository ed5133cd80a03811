import Foundation
import RunbookCore
import Testing

/// `LegacyImporter`: the seed SSH article, hand-written articles for each rule, and the 2016 staging corpus, all read
/// in place from `../shared` or the bundle's `Fixtures/import`.
@Suite("LegacyImporter")
struct LegacyImporterTests {
    static let seed = RepositoryFiles.shared("seeds/troubleshoot-ssh-connection.md")
    static let sshIncludes = RepositoryFiles.shared("corpus/ssh-family/includes")
    static let staging = RepositoryFiles.shared("corpus/azure-staging-2016")
    static let sharedIsThere =
        FileManager.default.fileExists(atPath: seed.path)
        && FileManager.default.fileExists(atPath: staging.path)

    /// Looks an include up relative to the article, then by file name in `folder`, as `runbook import` does.
    static func importer(article: URL? = nil, includes folder: URL? = nil) -> LegacyImporter {
        LegacyImporter { include in
            if let article {
                let relative = article.deletingLastPathComponent().appendingPathComponent(include).standardizedFileURL
                if let text = try? String(contentsOf: relative, encoding: .utf8) { return text }
            }
            guard let folder else { return nil }
            return try? String(
                contentsOf: folder.appendingPathComponent((include as NSString).lastPathComponent),
                encoding: .utf8)
        }
    }

    /// The draft loaded back as a runbook, with loading diagnostics and lint errors.
    static func reload(_ draft: LegacyImporter.Draft, path: String)
        -> (runbook: Runbook, diagnostics: [Diagnostic], errors: [Diagnostic])
    {
        let (runbook, diagnostics) = Runbook.load(text: draft.markdown, path: path)
        let errors = (diagnostics + Linter.lint(runbook, schemas: schemas)).errors
        return (runbook, diagnostics, errors)
    }

    static func seedDraft() throws -> LegacyImporter.Draft {
        let text = try String(contentsOf: seed, encoding: .utf8)
        return importer(article: seed, includes: sshIncludes).draft(of: text, path: seed.path)
    }

    /// The line of the draft that holds a heading starting with `title`.
    static func headingLine(_ title: String, in markdown: String) -> String? {
        markdown.split(separator: "\n").map(String.init).first {
            $0.hasPrefix("#") && $0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).hasPrefix(title)
        }
    }

    // MARK: - The seed SSH article

    @Test("seed: metadata moves from <properties>/<tags> to the front matter", .enabled(if: sharedIsThere))
    func seedFrontMatter() throws {
        let draft = try Self.seedDraft()
        #expect(draft.id == "troubleshoot-ssh-connection")
        #expect(draft.markdown.hasPrefix("---\nid: troubleshoot-ssh-connection\n"))
        #expect(!draft.markdown.contains("<properties"))
        #expect(!draft.markdown.contains("<tags"))
        #expect(!draft.markdown.contains("ms.service="))
        let runbook = Self.reload(draft, path: "draft.md").runbook
        #expect(runbook.hasFrontMatter)
        #expect(runbook.id == "troubleshoot-ssh-connection")
        #expect(runbook.title == "Troubleshoot SSH connection to an Azure VM", "no ' | Microsoft Azure'")
        #expect(runbook.summary.hasPrefix("Troubleshoot and fix SSH errors like SSH connection failed"))
        #expect(runbook.keywords == ["ssh connection refused", "ssh error", "azure ssh", "SSH connection failed"])
        #expect(runbook.services == ["virtual-machines-linux"])
    }

    @Test(
        "seed: models arm and classic, each model's section heading marked with its model", .enabled(if: sharedIsThere))
    func seedModels() throws {
        let draft = try Self.seedDraft()
        #expect(draft.models == ["arm", "classic"])
        let runbook = Self.reload(draft, path: "draft.md").runbook
        #expect(runbook.models.map(\.id) == ["arm", "classic"])
        #expect(runbook.defaultModel == "arm")
        let arm = try #require(
            Self.headingLine("VMs created by using the Resource Manager deployment model", in: draft.markdown))
        #expect(arm.hasSuffix(" model=arm}"), "\(arm)")
        #expect(
            runbook.sections.first { $0.title.hasPrefix("VMs created by using the Resource Manager") }?.models == [
                "arm"
            ])
        let classic = try #require(
            Self.headingLine("Troubleshoot VMs created by using the Classic", in: draft.markdown))
        #expect(classic.hasSuffix(" model=classic}"), "\(classic)")
        let source3 = try #require(runbook.steps.first { $0.title == "Source 3: Cloud service endpoint and ACL" })
        #expect(source3.models == ["classic"], "its note says it applies only to classic VMs")
        // Source 3's note sends Resource Manager readers on to "#nsg": that step is theirs.
        #expect(runbook.step("nsg")?.models == ["arm"])
        // The quick fixes after the Resource Manager heading, at its level, are Resource Manager fixes.
        #expect(runbook.step("azure-cli-reset-sshd")?.models == ["arm"])
        // Headings that name no model, or both, stay for every model.
        for title in [
            "Troubleshoot SSH errors in more detail", "Take preliminary steps",
            "Source 5: Linux-based Azure virtual machine",
        ] {
            let line = try #require(Self.headingLine(title, in: draft.markdown))
            #expect(!line.contains("model="), "\(line)")
        }
    }

    @Test("seed: the anchor before 'Source 4' becomes its id and its line is gone", .enabled(if: sharedIsThere))
    func seedAnchor() throws {
        let draft = try Self.seedDraft()
        #expect(!draft.markdown.contains("<a id=\"nsg\"></a>"))
        let line = try #require(Self.headingLine("Source 4: Network security groups", in: draft.markdown))
        #expect(line == "#### Source 4: Network security groups {#nsg model=arm}")
        let runbook = Self.reload(draft, path: "draft.md").runbook
        #expect(runbook.step("nsg")?.title == "Source 4: Network security groups")
        // The links to #nsg in the article still land on it.
        #expect(draft.markdown.contains("(#nsg)"))
    }

    @Test("seed: every heading gets an explicit id", .enabled(if: sharedIsThere))
    func seedIDs() throws {
        let draft = try Self.seedDraft()
        let headings = draft.markdown.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(headings.count > 15)
        for heading in headings {
            #expect(heading.firstMatch(of: /\{#[a-z0-9-]+( [^}]*)?\}$/) != nil, "\(heading)")
        }
    }

    @Test("seed: bash fences in steps become run sh blocks, one for one", .enabled(if: sharedIsThere))
    func seedRunBlocks() throws {
        let text = try String(contentsOf: Self.seed, encoding: .utf8)
        // Count ```bash fences whose nearest heading above is a leaf heading (a step) of the seed.
        let original = Runbook.load(text: text, path: Self.seed.path).runbook
        let stepLines = Set(original.steps.map(\.location.line))
        let headingLines = stepLines.union(original.sections.map(\.location.line))
        var bashInSteps = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.hasPrefix("```bash") {
            let owner = headingLines.filter { $0 < index + 1 }.max()
            if let owner, stepLines.contains(owner) { bashInSteps += 1 }
        }
        #expect(bashInSteps == 7, "the seed has 7 bash fences in steps")
        let draft = try Self.seedDraft()
        #expect(draft.runBlocks == bashInSteps)
        let lines = draft.markdown.split(separator: "\n")
        #expect(lines.filter { $0 == "```run sh" }.count == bashInSteps)
        #expect(!lines.contains { $0.hasPrefix("```bash") })
        let runbook = Self.reload(draft, path: "draft.md").runbook
        let fixes = runbook.steps.flatMap(\.blocks).filter {
            if case .run(shell: "sh") = $0.kind { true } else { false }
        }
        #expect(fixes.count == bashInSteps)
        #expect(runbook.step("azure-cli-reset-sshd")?.isFix == true)
        // The fence without a language stays documentation.
        #expect(runbook.step("vm-access-extension-reset-ssh-credentials-for-a-user")?.blocks.count == 2)
        // Steps whose shell fences became fixes are not manual any more.
        #expect(draft.manualSteps == runbook.steps.filter(\.isManual).count, "\(draft.manualSteps) reported")
    }

    @Test("seed: the deployment-models include is inlined", .enabled(if: sharedIsThere))
    func seedInclude() throws {
        let draft = try Self.seedDraft()
        #expect(draft.includesInlined >= 1)
        #expect(draft.missingIncludes == [])
        #expect(!draft.markdown.contains("[AZURE.INCLUDE"))
        #expect(draft.markdown.contains("This article covers using both models"))
    }

    @Test("seed: a verify step with a tcp-connect check on the SSH port", .enabled(if: sharedIsThere))
    func seedVerify() throws {
        let draft = try Self.seedDraft()
        #expect(draft.markdown.contains("{#verify .symptom}"))
        let runbook = Self.reload(draft, path: "draft.md").runbook
        #expect(runbook.verify == "verify")
        let verify = try #require(runbook.step("verify"))
        #expect(verify.isSymptom)
        #expect(verify.models == nil, "the verify step runs for every model")
        let block = try #require(verify.blocks.first)
        #expect(block.kind == .check(action: "tcp-connect"))
        #expect(block.argument("host")?.value == "{{host}}")
        #expect(block.argument("port")?.value == "{{port}}")
        #expect(runbook.input("host")?.required == true)
        #expect(runbook.input("port")?.defaultValue == "22", "an SSH article checks port 22")
        // It is the first step, so it runs before anything else.
        #expect(runbook.steps.first?.id == "verify")
    }

    @Test("seed: the draft loads and lints without errors", .enabled(if: sharedIsThere))
    func seedLintsClean() throws {
        let draft = try Self.seedDraft()
        let (runbook, diagnostics, errors) = Self.reload(draft, path: "draft.md")
        #expect(errors.map(\.description) == [])
        #expect(diagnostics.map(\.description) == [])
        for model in ["arm", "classic"] {
            let graph = try StepGraph(runbook: runbook, model: model)
            #expect(graph.verify?.id == "verify")
            #expect(graph.reachable().count == graph.steps.count, "\(model): every step is reachable")
        }
    }

    @Test("seed: importing is deterministic", .enabled(if: sharedIsThere))
    func seedDeterministic() throws {
        #expect(try Self.seedDraft().markdown == Self.seedDraft().markdown)
    }

    // MARK: - Rules, one hand-written article each

    @Test("a missing include becomes a visible comment and is reported; the others are inlined")
    func missingInclude() throws {
        let text = try Fixture.text("import/missing-include.md")
        let importer = LegacyImporter { path in
            path.hasSuffix("there-include.md") ? "Text of the include that is there.\n" : nil
        }
        let draft = importer.draft(of: text, path: "articles/storage/missing-include.md")
        #expect(draft.missingIncludes == ["../../includes/gone-include.md"])
        #expect(draft.includesInlined == 1)
        #expect(draft.markdown.contains("<!-- include not found: ../../includes/gone-include.md -->"))
        #expect(draft.markdown.contains("Text of the include that is there."))
        #expect(!draft.markdown.contains("[AZURE.INCLUDE"))
        #expect(Self.reload(draft, path: "draft.md").errors.map(\.description) == [])
    }

    @Test("an include's own metadata is dropped, nested includes are inlined, and a cycle ends")
    func nestedIncludes() throws {
        let includes: [String: String] = [
            "a.md": "<properties pageTitle=\"A\" description=\"a\"/>\n\nText of A.\n\n[AZURE.INCLUDE [b](b.md)]\n",
            "b.md": "Text of B.\n\n[AZURE.INCLUDE [self](b.md)]\n",
        ]
        let importer = LegacyImporter { includes[$0] }
        let draft = importer.draft(of: "# Title\n\n[AZURE.INCLUDE [a](a.md)]\n", path: "article.md")
        #expect(draft.markdown.contains("Text of A."))
        #expect(draft.markdown.contains("Text of B."))
        #expect(!draft.markdown.contains("pageTitle=\"A\""))
        #expect(draft.includesInlined >= 2)
        #expect(draft.missingIncludes == ["b.md"], "the include cycle stops at the depth limit")
        #expect(Self.reload(draft, path: "draft.md").runbook.title == "Title")
    }

    @Test("a selector whose self-link is 'Classic' makes a classic-only draft with no per-heading models")
    func selectorClassic() throws {
        let text = try Fixture.text("import/reset-access-classic.md")
        let draft = Self.importer().draft(of: text, path: "articles/reset-access-classic.md")
        #expect(draft.models == ["classic"])
        #expect(!draft.markdown.contains("model="), "\(draft.markdown)")
        let (runbook, _, errors) = Self.reload(draft, path: "draft.md")
        #expect(errors.map(\.description) == [])
        #expect(runbook.models.map(\.id) == ["classic"])
        #expect(runbook.steps.allSatisfy { $0.models == nil })
        #expect(runbook.title == "Reset access to a classic Linux VM")
    }

    @Test("the same selector seen from the Resource Manager article's path gives an arm-only draft")
    func selectorFromTheOtherArticle() throws {
        let text = try Fixture.text("import/reset-access-classic.md")
        let draft = Self.importer().draft(of: text, path: "articles/reset-access-arm.md")
        #expect(draft.models == ["arm"])
        #expect(!draft.markdown.contains("model="))
    }

    @Test("fences that would read as check/run/call blocks are neutralised to text; bash in a step becomes run sh")
    func neutralisedFences() throws {
        let text = try Fixture.text("import/executable-fences.md")
        let draft = Self.importer().draft(of: text, path: "executable-fences.md")
        let lines = draft.markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(!lines.contains("```run sh timeout=5s"))
        #expect(!lines.contains { $0.contains("```check tcp-connect host=example.com") })
        #expect(!lines.contains { $0.contains("```call") })
        #expect(lines.filter { $0.trimmingCharacters(in: .whitespaces) == "```text" }.count == 3)
        #expect(lines.contains("   ```text"), "the fence keeps its indentation")
        // Only the bash fence inside a step is a fix; the one before any step and the section's stay documentation.
        #expect(draft.runBlocks == 1)
        #expect(lines.filter { $0 == "```bash" }.count == 2)
        #expect(lines.contains("```json"))
        let (runbook, _, errors) = Self.reload(draft, path: "draft.md")
        #expect(errors.map(\.description) == [])
        let step = try #require(runbook.step("a-step"))
        #expect(step.blocks.map(\.kind) == [.run(shell: "sh")])
        #expect(step.blocks.first?.body.contains("in a step: a consented fix") == true)
        #expect(!runbook.steps.flatMap(\.blocks).contains { $0.body.contains("should-never-run") })
    }

    @Test("an article without headings gets a title heading")
    func noHeadings() throws {
        let text =
            "<properties pageTitle=\"Plain note | Microsoft Azure\" description=\"A note.\" services=\"storage\"/>\n\nJust a paragraph.\n"
        let draft = Self.importer().draft(of: text, path: "notes/plain-note.md")
        let (runbook, _, errors) = Self.reload(draft, path: "draft.md")
        #expect(errors.map(\.description) == [])
        #expect(runbook.title == "Plain note")
        let heading = try #require(draft.markdown.split(separator: "\n").first { $0.hasPrefix("#") })
        #expect(heading == "# Plain note", "the heading matches the front matter's title")
        #expect(draft.markdown.contains("Just a paragraph."))
        let bare = Self.importer().draft(of: "Just a paragraph.\n", path: "notes/plain-note.md")
        #expect(bare.markdown.split(separator: "\n").contains("# plain-note"))
        #expect(Self.reload(bare, path: "draft.md").errors.map(\.description) == [])
    }

    @Test("text after an include on the same line is kept")
    func includeTail() throws {
        let importer = LegacyImporter { _ in "> [AZURE.NOTE] This article covers the Resource Manager model, not the\n"
        }
        let draft = importer.draft(
            of:
                "# T\n\n[AZURE.INCLUDE [rm](../../includes/learn-about-deployment-models-rm-include.md)] [classic deployment model](t-classic.md).\n",
            path: "t.md")
        #expect(draft.markdown.contains("not the [classic deployment model](t-classic.md)."), "\(draft.markdown)")
    }

    @Test("includes read as the site reads them: marker in any case, blanks before the name, `]` required")
    func includeSyntaxAsTheSite() {
        let importer = LegacyImporter { $0 == "a.md" ? "Text of A.\n" : nil }
        // The importer once took only `[AZURE.INCLUDE [` in capitals with one space, and no `]` at the end.
        for line in ["[azure.include [a](a.md)]", "[AZURE.INCLUDE  [a](a.md)]", "[AZURE.INCLUDE\t[a]( a.md )]"] {
            let draft = importer.draft(of: "# T\n\n\(line)\n", path: "t.md")
            #expect(draft.markdown.contains("Text of A."), "\(line): \(draft.markdown)")
            #expect(draft.includesInlined == 1, "\(line)")
        }
        let unclosed = importer.draft(of: "# T\n\n[AZURE.INCLUDE [a](a.md) and more\n", path: "t.md")
        #expect(!unclosed.markdown.contains("Text of A."), "no closing `]`: no include (docfx, the site)")
        #expect(unclosed.includesInlined == 0)
        #expect(unclosed.markdown.contains("[AZURE.INCLUDE [a](a.md) and more"))
    }

    @Test("a byte-order mark and closing hashes of a heading are dropped")
    func bomAndClosingHashes() throws {
        let draft = Self.importer().draft(of: "\u{FEFF}# Title ##\n\n## Step one ###\n\nText.\n", path: "t.md")
        #expect(draft.markdown.contains("\n# Title {#title}\n"))
        #expect(draft.markdown.contains("\n## Step one {#step-one}\n"))
        #expect(!draft.markdown.contains("\u{FEFF}"))
    }

    @Test(
        "the draft's id comes from the file name",
        arguments: [
            ("articles/virtual-machines/Troubleshoot_SSH.md", "troubleshoot-ssh"),
            ("x/ssh-connection.md", "ssh-connection"),
            ("x/___.md", "imported"),
        ])
    func draftID(path: String, id: String) {
        #expect(Self.importer().draft(of: "# T\n", path: path).id == id)
    }

    // MARK: - CRLF, tabs and the whole 2016 staging corpus

    @Test("an article with CRLF line ends and tabs imports and lints clean", .enabled(if: sharedIsThere))
    func crlfArticle() throws {
        let article = Self.staging.appendingPathComponent(
            "articles/load-balancer/load-balancer-get-started-ilb-arm-cli.md")
        let text = try String(contentsOf: article, encoding: .utf8)
        #expect(text.contains("\r\n") && text.contains("\t"), "the article still has CRLF and tabs")
        let draft = Self.importer(article: article).draft(of: text, path: article.path)
        #expect(!draft.markdown.contains("\r"))
        #expect(draft.models == ["arm"], "the Resource Manager include names the model")
        #expect(draft.includesInlined >= 4)
        #expect(draft.missingIncludes == [])
        #expect(draft.markdown.contains("\n### Step 1 {#step-1}\n"), "trailing blanks of a heading are dropped")
        #expect(draft.markdown.contains("\n\t\tazure config mode arm\n"), "tab-indented code stays as it was")
        let (runbook, _, errors) = Self.reload(draft, path: "draft.md")
        #expect(errors.map(\.description) == [])
        #expect(runbook.title == "Create an internal load balancer using the Azure CLI in Resource Manager")
        #expect(runbook.services == ["load-balancer"])
    }

    @Test(
        "every article of the 2016 staging corpus imports without a crash and lints without errors",
        .enabled(if: sharedIsThere), .timeLimit(.minutes(5)))
    func stagingCorpus() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let files = KnowledgeBase.markdownFiles(in: Self.staging.path)
        #expect(files.count >= 1247, "\(files.count) files")
        let includes = Self.staging.appendingPathComponent("includes")
        var failures: [String] = []
        var counts = (split: 0, oneModel: 0, runBlocks: 0, inlined: 0, missing: 0, crlf: 0)
        for path in files {
            let url = URL(fileURLWithPath: path)
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            if text.contains("\r\n") { counts.crlf += 1 }
            let draft = Self.importer(article: url, includes: includes).draft(of: text, path: path)
            let (_, _, errors) = Self.reload(draft, path: path)
            failures += errors.prefix(2).map(\.description)
            if draft.models.count == 2 { counts.split += 1 }
            if draft.models.count == 1 { counts.oneModel += 1 }
            counts.runBlocks += draft.runBlocks
            counts.inlined += draft.includesInlined
            counts.missing += draft.missingIncludes.count
        }
        let elapsed = clock.now - start
        print(
            """
            azure-staging-2016: \(files.count) articles (\(counts.crlf) with CRLF) imported and linted in \
            \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))); \
            \(failures.count) lint errors; \(counts.split) split by model, \(counts.oneModel) one model; \
            \(counts.runBlocks) run blocks; \(counts.inlined) includes inlined, \(counts.missing) missing
            """)
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
        #expect(counts.crlf > 0)
        #expect(counts.inlined > 0)
    }
}
