import Foundation
import Testing

/// `runbook new`, `graph`, `import` and `actions`, run as a user would run them (issue #5).
@Suite("runbook authoring commands", .serialized)
struct AuthoringCLITests {
    static let shared = URL(fileURLWithPath: Repository.shared).standardizedFileURL
    static let seed = shared.appendingPathComponent("seeds/troubleshoot-ssh-connection.md").path
    static let sshFamily = shared.appendingPathComponent("corpus/ssh-family")
    static let sharedIsThere = FileManager.default.fileExists(atPath: seed)

    // MARK: - new

    @Test("new writes ID.md into --kb, and the skeleton passes lint --strict")
    func newSkeletonLintsClean() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kb = directory.url.path
        let result = try await runbook(["new", "disk-full", "--kb", kb])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let file = directory.url.appendingPathComponent("disk-full.md").path
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(result.stdout.contains("wrote \(file)"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("---\nid: disk-full\n"))
        #expect(text.contains("title: Disk Full\n"))
        let lint = try await runbook(["lint", "--strict", "--kb", kb, file])
        #expect(lint.exitCode == 0, "\(lint.stdout)\(lint.stderr)")
        #expect(lint.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(lint.stdout)")
        // The skeleton is a runbook the other commands take as it is.
        let plan = try await runbook(["plan", "classic", "--kb", kb, "--runbook", "disk-full"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("[verify] works"), "\(plan.stdout)")
        let graph = try await runbook(["graph", "disk-full", "--kb", kb, "--model", "classic", "--format", "mermaid"])
        #expect(graph.exitCode == 0, "\(graph.stderr)")
        #expect(graph.stdout.hasPrefix("flowchart TD\n"))
    }

    @Test("new never overwrites: the second 'new' with the same id exits 2 and leaves the file as it was")
    func newNeverOverwrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kb = directory.url.path
        let file = directory.url.appendingPathComponent("disk-full.md")
        #expect(try await runbook(["new", "disk-full", "--kb", kb]).exitCode == 0)
        // An author's edit must survive a second 'new'.
        let edited = try Data(contentsOf: file) + Data("\nAn author's note.\n".utf8)
        try edited.write(to: file)
        let again = try await runbook(["new", "disk-full", "--kb", kb, "--title", "Another"])
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("already exists"), "\(again.stderr)")
        #expect(try Data(contentsOf: file) == edited)
    }

    @Test(
        "new rejects bad ids and model lists with exit 2 and writes nothing",
        arguments: [
            (["Disk_Full"], "must use only a-z, 0-9 and '-'"),
            (["disk full"], "must use only a-z, 0-9 and '-'"),
            (["disk-full", "--models", "arm,Classic VM"], "--models"),
            (["disk-full", "--models", ","], "--models"),
        ])
    func newRejects(arguments: [String], message: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await runbook(["new"] + arguments + ["--kb", directory.url.path])
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == [])
    }

    @Test("new -o writes to that path with the given title and models; the file lints clean")
    func newWithOptions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("sub/dir/my-rdp.md").path
        let result = try await runbook([
            "new", "rdp-fails", "--title", "RDP fails on a Windows VM", "--models", "arm", "-o", path,
            "--kb", directory.url.path,
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("id: rdp-fails\n"))
        #expect(text.contains("title: RDP fails on a Windows VM\n"))
        #expect(text.contains("models:\n  arm: Resource Manager\ndefault-model: arm\n"))
        #expect(!text.contains("classic"))
        let lint = try await runbook(["lint", "--strict", "--kb", directory.url.path, path])
        #expect(lint.exitCode == 0, "\(lint.stdout)\(lint.stderr)")
    }

    // MARK: - graph

    @Test("graph --format dot draws only the chosen model's steps")
    func graphDot() async throws {
        let classic = try await runbook(["graph", "ssh-connection", "--model", "classic", "--format", "dot"])
        #expect(classic.exitCode == 0, "\(classic.stderr)")
        #expect(classic.stdout.hasPrefix("digraph "))
        #expect(classic.stdout.contains("\"endpoint-acl\""))
        #expect(!classic.stdout.contains("nsg-allows-ssh"))
        let arm = try await runbook(["graph", "ssh-connection", "--model", "arm"])
        #expect(arm.exitCode == 0, "\(arm.stderr)")
        #expect(arm.stdout.contains("\"nsg-allows-ssh\""))
        #expect(!arm.stdout.contains("endpoint-acl"))
        #expect(arm.stdout.contains("subgraph cluster_"))
    }

    @Test("graph --format mermaid prints a flowchart; a path works as well as an id")
    func graphMermaid() async throws {
        let result = try await runbook(["graph", "Runbooks/ssh-connection.md", "--model", "arm", "--format", "mermaid"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("flowchart TD\n"))
        #expect(result.stdout.contains("-->|fail|"))
        #expect(result.stdout.contains("nsg_allows_ssh"))
    }

    @Test(
        "graph --format svg -o FILE writes an SVG document",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dot"), "Graphviz is not installed"))
    func graphSVG() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("ssh-classic.svg").path
        let result = try await runbook(["graph", "ssh-connection", "--model", "classic", "--format", "svg", "-o", file])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let svg = try String(contentsOfFile: file, encoding: .utf8)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("<svg"))
        #expect(svg.contains("Cloud service endpoint and ACL"), "the classic step's title is drawn")
        #expect(!svg.contains("Network security group allows SSH"))
        #expect(svg.hasSuffix("</svg>\n"))
    }

    @Test(
        "graph usage errors exit 2",
        arguments: [
            (["graph", "ssh-connection", "--model", "azure"], "unknown model 'azure'"),
            (["graph", "ssh-conection"], "did you mean 'ssh-connection'"),
            (["graph", "ssh-connection", "--format", "png"], "png"),
        ])
    func graphUsageErrors(arguments: [String], message: String) async throws {
        let result = try await runbook(arguments)
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    // MARK: - import

    @Test("import -o writes a draft that lints clean, and refuses to overwrite it", .enabled(if: sharedIsThere))
    func importSeed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.url.appendingPathComponent("x.md").path
        let includes = Self.sshFamily.appendingPathComponent("includes").path
        let result = try await runbook(["import", Self.seed, "--includes", includes, "-o", output])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("wrote \(output): models arm,classic, 7 fix(es)"), "\(result.stderr)")
        #expect(!result.stderr.contains("include not found"))
        let written = try Data(contentsOf: URL(fileURLWithPath: output))
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.hasPrefix("---\nid: troubleshoot-ssh-connection\n"))
        #expect(text.contains("This article covers using both models"), "the include is inlined")
        let lint = try await runbook(["lint", "--kb", directory.url.path, output])
        #expect(lint.exitCode == 0, "\(lint.stdout)\(lint.stderr)")
        let again = try await runbook(["import", Self.seed, "--includes", includes, "-o", output])
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("already exists"), "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == written)
    }

    @Test("import without -o prints the draft; a missing include is a warning on stderr", .enabled(if: sharedIsThere))
    func importToStdout() async throws {
        let result = try await runbook(["import", Self.seed])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("---\nid: troubleshoot-ssh-connection\n"))
        #expect(
            result.stdout.contains(
                "<!-- include not found: ../../includes/learn-about-deployment-models-both-include.md -->"))
        #expect(
            result.stderr.contains(
                "warning: include not found: ../../includes/learn-about-deployment-models-both-include.md"),
            "\(result.stderr)")
    }

    @Test("import --check imports and lints a folder, prints the counts and exits 0", .enabled(if: sharedIsThere))
    func importCheck() async throws {
        let folder = Self.sshFamily.appendingPathComponent("2017").path
        let articles = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }
        let result = try await runbook([
            "import", "--check", folder, "--includes", Self.sshFamily.appendingPathComponent("includes").path,
        ])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        let counts = try #require(result.stdout.split(separator: "\n").last.map(String.init))
        #expect(counts.hasPrefix("\(articles.count) article(s) imported in "), "\(counts)")
        #expect(counts.contains(": \(articles.count) drafts, 0 with lint errors,"), "\(counts)")
        #expect(counts.contains("split by model"))
        #expect(counts.hasSuffix(" missing"))
    }

    @Test(
        "import usage errors exit 2",
        arguments: [
            (["import"], "runbook: error: missing expected argument"),
            (["import", "a.md", "b.md"], "give one article"),
            (["import", "--check", "Runbooks", "-o", "x.md"], "--check writes nothing"),
            (["import", "/nonexistent/article.md"], "cannot read /nonexistent/article.md"),
            (["import", "--check", "/nonexistent"], "no such file or folder: /nonexistent"),
        ])
    func importUsageErrors(arguments: [String], message: String) async throws {
        let result = try await runbook(arguments)
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }

    // MARK: - actions

    @Test("actions lists every action with its arguments and an example")
    func actionsList() async throws {
        let result = try await runbook(["actions"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let blocks = Self.actionBlocks(result.stdout)
        for name in ["tcp-connect", "dns-resolve", "ssh-banner", "file-mode", "command"] {
            #expect(blocks[name] != nil, "\(name) is not listed: \(blocks.keys.sorted())")
        }
        for (name, lines) in blocks {
            #expect(lines.contains { $0.hasPrefix("  example: ```check \(name)") }, "\(name): \(lines)")
            #expect(lines.count >= 3, "\(name) has a summary and an example: \(lines)")
        }
        let tcp = try #require(blocks["tcp-connect"])
        #expect(tcp.contains { $0.hasPrefix("    host (") && $0.contains("required") }, "\(tcp)")
        #expect(tcp.contains { $0.hasPrefix("    port (") }, "\(tcp)")
        // Names are listed once each, in order.
        let names = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map {
            String($0.split(separator: " ")[0])
        }
        #expect(names == names.sorted())
        #expect(Set(names).count == names.count)
    }

    @Test("actions NAME shows that action only")
    func actionsOne() async throws {
        let result = try await runbook(["actions", "tcp-connect"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(Array(Self.actionBlocks(result.stdout).keys) == ["tcp-connect"])
        #expect(result.stdout.contains("  example: ```check tcp-connect"))
    }

    @Test("actions with a misspelt name exits 2 and suggests the right one")
    func actionsMisspelt() async throws {
        let result = try await runbook(["actions", "tcp-conect"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("no check action 'tcp-conect'; did you mean 'tcp-connect'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// The `actions` listing by action name: the lines from a name to the next blank line.
    static func actionBlocks(_ text: String) -> [String: [String]] {
        var blocks: [String: [String]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.isEmpty {
                current = nil
            } else if !line.hasPrefix(" ") {
                let name = String(line.split(separator: " ")[0])
                current = name
                blocks[name] = [line]
            } else if let current {
                blocks[current, default: []].append(line)
            }
        }
        return blocks
    }
}
