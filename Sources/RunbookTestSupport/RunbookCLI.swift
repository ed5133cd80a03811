import Foundation
import RunbookActions

/// The built `runbook` binary: beside the test bundle (where `swift build` puts both), else in
/// `.build/debug`.
package func runbookBinary() throws -> String {
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("runbook").path,
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("runbook").path,
        Repository.root + "/.build/debug/runbook",
    ]
    for path in candidates where FileManager.default.isExecutableFile(atPath: path) { return path }
    throw SetupError("runbook binary not found; run swift build first (looked in \(candidates))")
}

/// What a run of the binary gave.
package struct Invocation: Sendable {
    package var exitCode: Int32
    package var stdout: String
    package var stderr: String

    package init(exitCode: Int32, stdout: String, stderr: String) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs the binary as a user would, in `directory` (by default the repository root, so that the
/// default knowledge base ./Runbooks is the project's), with `NO_COLOR=1` and a time limit.
///
/// Children are started with swift-subprocess (the project's ProcessRunner) only: Foundation's
/// `Process` in the same test process as swift-subprocess left children unreaped and hung the suite.
package func runbook(
    _ arguments: [String], in directory: String = Repository.root, environment: [String: String] = [:],
    timeout: Int = 60
) async throws -> Invocation {
    var env = ["NO_COLOR": "1"]
    for (key, value) in environment { env[key] = value }
    let binary = try runbookBinary()
    let script = "cd \"$1\" && shift && exec \"$@\""
    let output = try await ProcessRunner.run(
        ["/bin/sh", "-c", script, "sh", directory, binary] + arguments, environment: env, timeout: .seconds(timeout))
    return Invocation(exitCode: output.exitCode, stdout: output.standardOutput, stderr: output.standardError)
}

/// ``runbook(_:in:environment:timeout:)`` in `directory` (so relative file names are the user's).
package func runbook(in directory: String, _ arguments: [String], environment: [String: String] = [:])
    async throws -> Invocation
{
    try await runbook(arguments, in: directory, environment: environment)
}
