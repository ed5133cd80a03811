import Foundation
import RunbookActions
import Testing

/// A diagnosed run of the SSH runbook (the report tests' log).
private let diagnosedLog = repositoryRoot.appendingPathComponent("Tests/RunbookSiteTests/Fixtures/diagnosed-run.jsonl")
    .path

/// The three commands that write a file with `-o`, each with what its output contains.
private let writers: [(arguments: [String], marker: String)] = [
    (["render", "ssh-connection"], "</html>"),
    (["report", diagnosedLog], "</html>"),
    (["graph", "ssh-connection", "classic"], "digraph"),
]

@Suite("Output files", .serialized)
struct OutputCLITests {
    @Test(
        "-o into a device node (/dev/null's numbers, made with mknod: needs root) writes into it and leaves it a device",
        arguments: writers.map(\.arguments))
    func intoDevice(arguments: [String]) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let device = folder.url.appendingPathComponent("null").path
        guard mknod(device, S_IFCHR | 0o666, (1 << 8) | 3) == 0 else {
            Issue.record("mknod failed (errno \(errno)); this test needs root")
            return
        }
        let result = try await runbook(arguments + ["-o", device])
        #expect(result.exitCode == 0, "\(result.stderr)")
        var info = stat()
        #expect(
            lstat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "\(arguments): the device node was replaced")
        #expect(result.stderr.contains("wrote \(device) ("), "\(result.stderr)")
    }

    @Test("-o into a FIFO writes the whole output into the pipe; the FIFO stays", arguments: writers.map(\.arguments))
    func intoFIFO(arguments: [String]) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let fifo = folder.url.appendingPathComponent("pipe").path
        let copy = folder.url.appendingPathComponent("copy").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let script = """
            cd "$1" && shift && { cat "$1" > "$2" & reader=$!; shift 2; "$@"; rc=$?; wait $reader; exit $rc; }
            """
        let output = try await ProcessRunner.run(
            ["/bin/sh", "-c", script, "sh", repositoryRoot.path, fifo, copy, try runbookBinary()] + arguments + [
                "-o", fifo,
            ],
            timeout: .seconds(60))
        #expect(output.exitCode == 0, "\(output.standardError)")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        let marker = writers.first { $0.arguments == arguments }?.marker ?? "?"
        #expect(try String(contentsOfFile: copy, encoding: .utf8).contains(marker))
    }

    @Test(
        "render, report and graph -o FILE print the path and the size they wrote on stderr",
        arguments: writers.map(\.arguments))
    func announced(arguments: [String]) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = try folder.write("old.out", "old")
        let result = try await runbook(arguments + ["-o", file.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
        #expect(result.stderr == "wrote \(file.path) (\(size ?? -1) bytes)\n")
        #expect(result.stdout.isEmpty)
        // Without -o the output goes to stdout and nothing is announced.
        let plain = try await runbook(arguments)
        #expect(plain.stderr.isEmpty && !plain.stdout.isEmpty)
    }

    @Test("report LOG whose runbook is not in the knowledge base names --kb DIR and --runbook PATH; --kb finds it")
    func reportOutsideTheKnowledgeBase() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let empty = folder.url.appendingPathComponent("empty-kb").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let missing = try await runbook(["report", diagnosedLog, "--kb", empty])
        #expect(missing.exitCode == 2)
        #expect(
            missing.stderr.contains(
                "its runbook 'ssh-connection' is not in the knowledge base \(empty); pass --kb DIR or --runbook PATH"),
            "\(missing.stderr)")
        #expect(missing.stdout.isEmpty)
        let found = try await runbook([
            "report", diagnosedLog, "--kb", repositoryRoot.appendingPathComponent("Runbooks").path,
        ])
        #expect(found.exitCode == 0, "\(found.stderr)")
        #expect(found.stdout.contains("outcome-diagnosed"))
        let opened = try await runbook(["report", diagnosedLog, "--model", "classic"])
        #expect(opened.stdout.contains("data-initial-model=\"classic\""))
        let wrongModel = try await runbook(["report", diagnosedLog, "--model", "azure"])
        #expect(wrongModel.exitCode == 2 && wrongModel.stderr.contains("unknown model 'azure'"))
    }
}
