import Foundation
import Testing

@Suite("Bad input", .serialized)
struct BadInputCLITests {
    /// A copy of Runbooks/ with broken files added.
    func brokenKnowledgeBase() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        let kb = folder.url.appendingPathComponent("kb")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Runbooks"), to: kb)
        try FileManager.default.createDirectory(
            at: kb.appendingPathComponent("x.md"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: kb.path + "/loop.md", withDestinationPath: "loop.md")
        try Data([0xE9, 0x74, 0xE9, 0x0A]).write(to: kb.appendingPathComponent("latin1.md"))
        return folder
    }

    @Test("one bad file in the knowledge base is reported; list, plan and run go on with the rest")
    func badFilesAreSkipped() async throws {
        let folder = try brokenKnowledgeBase()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb").path
        let list = try await runbook(["list", "--kb", kb])
        #expect(list.exitCode == 0, "\(list.stderr)")
        #expect(list.stdout.hasPrefix("ssh-connection (default)"))
        for (file, reason) in [
            ("x.md", "a folder"), ("loop.md", "a loop of symbolic links"), ("latin1.md", "not UTF-8"),
        ] {
            #expect(list.stderr.contains("\(file): \(reason)"), "\(list.stderr)")
        }
        let plan = try await runbook(["plan", "arm", "--kb", kb])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        let lint = try await runbook(["lint", "--kb", kb])
        #expect(lint.exitCode == 1)
        #expect(lint.stdout.contains("latin1.md:1:1: error: cannot read"))
    }

    @Test("two runbooks with one id: run refuses the id and names both files")
    func duplicateIDs() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let kb = folder.url.appendingPathComponent("kb")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Runbooks"), to: kb)
        try FileManager.default.copyItem(
            at: kb.appendingPathComponent("redeploy-vm.md"), to: kb.appendingPathComponent("copy.md"))
        let run = try await runbook(["run", "arm", "--kb", kb.path, "--runbook", "redeploy-vm", "--non-interactive"])
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("copy.md") && run.stderr.contains("redeploy-vm.md"), "\(run.stderr)")
        let list = try await runbook(["list", "--kb", kb.path])
        #expect(list.stdout.contains("(duplicate id:"))
    }

    @Test("an empty file, a file without front matter and wrong metadata types are not runbooks")
    func notRunbooks() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let empty = try folder.write("empty.md", "")
        let run = try await runbook(["run", "arm", "--runbook", empty.path, "--non-interactive"])
        #expect(run.exitCode == 2)
        let lint = try await runbook(["lint", empty.path])
        #expect(lint.exitCode == 1)
        #expect(lint.stdout.contains("empty.md:1:1: error: the file is empty"))

        let plain = try folder.write("plain.md", "# Notes\n\n## A step\n\ntext\n")
        let plainRun = try await runbook(["run", "arm", "--runbook", plain.path, "--non-interactive"])
        #expect(plainRun.exitCode == 2)
        #expect(plainRun.stderr.contains("not a runbook"))

        let types = try folder.write(
            "types.md", "---\nid: t\ntitle: T\nmodels: 5\ninputs: \"x\"\nverify: [1,2]\ndefault: maybe\n---\n# T\n")
        let typesLint = try await runbook(["lint", types.path])
        #expect(typesLint.exitCode == 1)
        for expected in [
            "types.md:4:9: error: 'models' must map", "types.md:5:9: error: 'inputs' must map",
            "types.md:6:9: error: 'verify' must be the id", "types.md:7:10: error: 'default' must be true or false",
        ] {
            #expect(typesLint.stdout.contains(expected), "\(typesLint.stdout)")
        }
    }

    @Test("huge durations and retries are errors at their position, not a crash")
    func hugeDurations() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write(
            "dur.md",
            "---\nid: d\ntitle: D\nverify: a\n---\n# D\n## A {#a}\n```check tcp-connect host=127.0.0.1 port=1 timeout=9999999999999999s retries=99999999\n```\n"
        )
        for command in [
            ["lint", book.path], ["plan", "any", "--runbook", book.path],
            ["run", "any", "--runbook", book.path, "--non-interactive"],
        ] {
            let result = try await runbook(command)
            #expect(result.exitCode == 1 || result.exitCode == 2, "\(command): \(result.exitCode) \(result.stderr)")
            #expect((result.stdout + result.stderr).contains("dur.md:8:44: error: timeout"), "\(command)")
        }
        let flag = try await runbook(["run", "arm", "-i", "host=127.0.0.1", "--timeout", "99999999999999999999h"])
        #expect(flag.exitCode == 2)
    }

    @Test("a YAML alias bomb in front matter or --inputs is refused in well under a second")
    func aliasBomb() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        let book = try folder.write("bomb.md", "---\nid: bomb\ntitle: Bomb\n" + yaml + "verify: x\n---\n# Bomb\n")
        let started = ContinuousClock.now
        let lint = try await runbook(["lint", book.path], timeout: 20)
        #expect(lint.exitCode == 1)
        #expect(lint.stdout.contains("bomb.md:4:") && lint.stdout.contains("aliases"), "\(lint.stdout)")
        let inputs = try folder.write("inputs.yaml", yaml)
        let run = try await runbook(
            ["run", "arm", "--inputs", inputs.path, "-i", "host=127.0.0.1", "--non-interactive"], timeout: 20)
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("aliases"))
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
