@testable import RunbookActions

/// A VM whose every command prints the same text: the firewall check's listing script, canned.
struct CannedExecutor: Executor {
    var output: String
    var exitCode: Int32 = 0
    var standardError = ""
    var description: String { "canned" }

    func run(_ argv: [String], timeout: Duration) async throws(ExecutorError) -> ProcessOutput {
        ProcessOutput(exitCode: exitCode, standardOutput: output, standardError: standardError)
    }
}
