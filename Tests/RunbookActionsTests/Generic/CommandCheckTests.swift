import Foundation
import RunbookActions
import RunbookCore
import Testing

@Suite("command check")
struct CommandCheckTests {
    let action = ActionRegistry.builtIn["command"]!

    func run(_ template: String, inputs: [String: String]) async -> CheckResult {
        let expanded = Template.expand(template, values: inputs) ?? template
        let arguments = Arguments(
            ["run": expanded], schema: action.schema, templates: ["run": template], inputs: inputs)
        return await action.run(arguments, context: CheckContext(timeout: .seconds(60)))
    }

    @Test("the command line is split before inputs go in: an input with spaces and quotes stays one word")
    func inputStaysOneWord() async throws {
        let pass = await run("test {{x}} = 'a b'", inputs: ["x": "a b"])
        #expect(pass.status == .pass, "\(pass)")
        let quotes = await run("test {{x}} = \"it's\"", inputs: ["x": "it's"])
        #expect(quotes.status == .pass, "\(quotes)")
    }

    @Test("an input cannot add a word or run shell code through an argument")
    func noInjection() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = folder.appendingPathComponent("pwned").path
        // Passed as $1 after the script, the value is data: the script only prints it.
        let result = await run(
            "sh -c 'printf %s \"$1\"' arg {{x}}", inputs: ["x": "$(touch \(marker)); ' touch \(marker) '"])
        #expect(result.status == .pass)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("the evidence records the command that ran, each word quoted as a shell reads it back")
    func evidenceNamesTheCommand() async throws {
        let result = await run("test {{x}} = 'a b'", inputs: ["x": "a b"])
        #expect(result.status == .pass)
        #expect(result.evidence["command"] == "test 'a b' = 'a b'")
        let failed = await run("sh -c 'exit 3'", inputs: [:])
        #expect(failed.status == .fail)
        #expect(failed.evidence["command"] == "sh -c 'exit 3'")
    }
}
