import Foundation
import Testing

/// Errors are rendered in one place (`RunbookCommand.errorText`) from the one scheme, `RunbookError`.
@Suite("Errors rendered in one place")
struct ErrorRenderingCLITests {
    @Test("an error a command's validate() throws reads like every other error (it used to show its Swift type)")
    func validateErrorText() async throws {
        let result = try await runbook(["search", "--limit", "0", "ssh"])
        #expect(result.exitCode == 2)
        // Before: `runbook: error: usageError(message: "--limit must be at least 1")`.
        #expect(result.stderr == "runbook: error: --limit must be at least 1\n", "\(result.stderr)")
    }

    @Test("a library's error with a place in a file: runbook: error: file:line:col: message, exit 2")
    func locatedLibraryError() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rb-err-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = folder.appendingPathComponent("inputs.yaml")
        try "- a\n- b\n".write(to: inputs, atomically: true, encoding: .utf8)
        let result = try await runbook(["plan", "ssh-connection", "arm", "--inputs", inputs.path])
        #expect(result.exitCode == 2)
        #expect(
            result.stderr == "runbook: error: \(inputs.path):1:1: inputs file must be a YAML mapping of name: value\n",
            "\(result.stderr)")
    }
}
