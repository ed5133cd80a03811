import Foundation
import Testing

/// The expected output kept in Tests/RunbookCLITests/Golden (regenerate with the command each test names).
private func golden(_ name: String) throws -> String {
    try String(
        contentsOf: repositoryRoot.appendingPathComponent("Tests/RunbookCLITests/Golden/\(name)"), encoding: .utf8)
}

/// The commands whose help this suite checks.
private let commands = [
    "", "run", "plan", "list", "show", "lint", "actions", "check", "new", "graph", "import", "render", "report", "site",
]

@Suite("Help, version and errors")
struct HelpAndErrorsCLITests {
    @Test("--version prints the one constant of Sources/runbook/Version.swift")
    func version() async throws {
        let source = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Sources/runbook/Version.swift"), encoding: .utf8)
        let constant = try #require(source.firstMatch(of: /static let current = "([^"]+)"/)).output.1
        let result = try await runbook(["--version"])
        #expect(result.exitCode == 0)
        #expect(result.stdout == constant + "\n")
    }

    @Test(
        "swift-argument-parser's own errors read 'runbook: error: …' and exit 2",
        arguments: [
            (["report"], "runbook: error: missing expected argument '<log.jsonl>'"),
            (["plan", "--bogus"], "runbook: error: unknown option '--bogus'"),
            (["frobnicate"], "runbook: error: unexpected argument 'frobnicate'"),
            (["run", "arm", "--timeout", "soon"], "runbook: error: --timeout 'soon' is not a duration"),
            (
                ["run", "arm", "--format", "yaml"],
                "runbook: error: the value 'yaml' is invalid for '--format <format>'"
            ),
            (["render"], "runbook: error: give a runbook id or file (or --bench DIR)"),
        ])
    func argumentParserErrors(arguments: [String], prefix: String) async throws {
        let result = try await runbook(arguments)
        #expect(result.exitCode == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix(prefix), "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("Error:"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(
        "golden: the whole error output of a missing argument and of an unknown option",
        arguments: [
            (["report"], "report-missing-log.txt"), (["plan", "--bogus"], "plan-unknown-option.txt"),
        ])
    func goldenErrors(arguments: [String], file: String) async throws {
        let result = try await runbook(arguments, environment: ["COLUMNS": "80"])
        #expect(result.stderr == (try golden(file)), "runbook \(arguments.joined(separator: " ")) 2> \(file)")
    }

    @Test(
        "golden: report --help and plan --help at 80 columns",
        arguments: [
            ("report", "report-help.txt"), ("plan", "plan-help.txt"),
        ])
    func goldenHelp(command: String, file: String) async throws {
        let result = try await runbook([command, "--help"], environment: ["COLUMNS": "80"])
        #expect(result.exitCode == 0)
        #expect(result.stdout == (try golden(file)), "COLUMNS=80 runbook \(command) --help > \(file)")
    }

    @Test("help paragraphs have no hard line breaks; examples fit 80 columns", arguments: commands)
    func helpWraps(command: String) async throws {
        // At 300 columns nothing needs wrapping: two lines of one paragraph are a break written in the source.
        let wide = try await runbook((command.isEmpty ? [] : [command]) + ["--help"], environment: ["COLUMNS": "300"])
        #expect(wide.exitCode == 0)
        let lines = wide.stdout.components(separatedBy: "\n")
        let overview = lines.prefix { !$0.hasPrefix("USAGE:") }
        for (line, next) in zip(overview, overview.dropFirst()) where !line.isEmpty && !next.isEmpty {
            // The next line's first word would have fit (with a margin for the wrapper's own): a break in the source.
            let word = next.prefix { $0 != " " }
            let broken = !line.hasPrefix(" ") && !next.hasPrefix(" ") && line.count + 1 + word.count < 280
            #expect(!broken, "runbook \(command) --help: a paragraph broken after '\(line)'")
        }
        var section = ""
        for line in lines {
            if let heading = line.firstMatch(of: /^([A-Z]+):/) { section = String(heading.output.1) }
            guard section == "OPTIONS" || section == "ARGUMENTS", line.hasPrefix(" ") else { continue }
            let text = line.drop { $0 == " " }
            // An option's help starts with a capital; a line starting lower case continues one.
            #expect(!(text.first?.isLowercase ?? false) && !text.hasPrefix("("), "runbook \(command) --help: '\(line)'")
        }
        for line in lines where line.hasPrefix("  runbook ") {
            #expect(line.count <= 80, "runbook \(command) --help: an example wider than 80 columns: \(line)")
        }
    }
}
