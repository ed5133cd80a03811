import RunbookActions

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a set-up command to the end; throws when it fails.
///
/// Goes through ``ProcessRunner`` (swift-subprocess), not Foundation's `Process`: tests run in parallel, and a
/// child started by `Process` inherits the pipes of others, so their readers never see the end.
@discardableResult
package func sh(_ argv: [String], allowFailure: Bool = false) async throws -> String {
    let output = try await ProcessRunner.run(argv, timeout: .seconds(20))
    if !output.succeeded && !allowFailure {
        throw SetupError("\(argv.joined(separator: " ")) exited \(output.exitCode): \(output.standardError)")
    }
    return output.standardOutput
}

/// Runs a bash script and returns its standard output; throws when it fails.
@discardableResult
package func shell(_ script: String) async throws -> String {
    let output = try await ProcessRunner.run(["/bin/bash", "-c", script], timeout: .seconds(30))
    guard output.succeeded else {
        throw SetupError("bash -c \(script) exited \(output.exitCode): \(output.standardError)")
    }
    return output.standardOutput
}

/// Runs a command to the end without capturing anything, for clean-up in `defer`.
///
/// `system(3)` waits for its own child only; Foundation's `Process` is not used in tests because,
/// beside swift-subprocess in one test process, it left children unreaped.
package func runToEnd(_ argv: [String]) {
    _ = system(argv.map(ShellQuote.quote).joined(separator: " ") + " </dev/null >/dev/null 2>&1")
}

/// A process started for a test (a server, a listener), torn down by `stop()`.
///
/// It runs in a task; cancelling the task makes swift-subprocess terminate the child.
package final class BackgroundProcess: Sendable {
    private let task: Task<Void, Never>

    package init(_ argv: [String]) {
        // Long enough for a slow suite on a loaded machine (an sshd killed mid-test fails its logins);
        // `stop()` ends it as soon as the test is done.
        task = Task { _ = try? await ProcessRunner.run(argv, timeout: .seconds(900)) }
    }

    package func stop() { task.cancel() }
}
