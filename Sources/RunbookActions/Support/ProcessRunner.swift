import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Starts commands with swift-subprocess: an argument array, never a shell string built from
/// inputs, and a timeout after which the child is torn down.
public enum ProcessRunner {
    /// Runs `argv` and collects its output (up to 4 MiB each).
    ///
    /// - Parameters:
    ///   - argv: the program (a name looked up in PATH, or a path) and its arguments.
    ///   - environment: variables to set on top of this process's environment.
    ///   - input: text written to the command's standard input.
    ///   - timeout: after this the command is terminated and ``ExecutorError/timedOut(command:after:)`` thrown.
    public static func run(
        _ argv: [String], environment: [String: String] = [:], input: String? = nil, timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput {
        guard let program = argv.first else { throw .notFound("(empty command)") }
        let executable: Executable = program.contains("/") ? .path(FilePath(program)) : .name(program)
        let overrides = Dictionary(
            uniqueKeysWithValues: environment.map { (Environment.Key(rawValue: $0.key)!, Optional($0.value)) })
        var options = PlatformOptions()
        // Each child leads its own session and process group, and a timeout or a cancelled run
        // (SIGINT, SIGTERM, SIGHUP) stops the whole group: SIGTERM, then SIGKILL after a grace
        // period, so a fix's `sleep` or subshell is not left running after runbook returns.
        options.createSession = true
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500))
        ]
        let childEnvironment = Environment.inherit.updating(overrides)
        // On Linux, through setpriv and timeout so that the child and its process group also stop
        // when runbook is killed outright (see ProcessRunner+ParentDeath.swift).
        let guarded = await guardedConfiguration(
            executable, arguments: Array(argv.dropFirst()), environment: childEnvironment, options: options)
        let configuration =
            guarded
            ?? Configuration(
                executable: executable, arguments: Subprocess.Arguments(Array(argv.dropFirst())),
                environment: childEnvironment, platformOptions: options)
        do {
            return try await withTimeout(timeout) {
                let result = try await Subprocess.run(
                    configuration, input: .string(input ?? ""),
                    output: .string(limit: 4 << 20), error: .string(limit: 4 << 20))
                let code: Int32 =
                    switch result.terminationStatus {
                    case .exited(let code): code
                    case .signaled(let signal): 128 + signal
                    }
                return ProcessOutput(
                    exitCode: code, standardOutput: result.standardOutput,
                    standardError: result.standardError)
            }
        } catch is TimeoutError {
            throw .timedOut(command: argv.joined(separator: " "), after: timeout)
        } catch let error as SubprocessError {
            if "\(error)".contains("executableNotFound") || "\(error)".lowercased().contains("not found") {
                throw .notFound(program)
            }
            throw .failedToStart(command: program, reason: "\(error)")
        } catch {
            throw .failedToStart(command: program, reason: "\(error)")
        }
    }
}

/// Thrown by ``withTimeout(_:operation:)`` when the time ran out.
public struct TimeoutError: Error, Sendable {}

/// Runs `operation`, cancelling it and throwing ``TimeoutError`` when it takes longer than `timeout`.
///
/// The work races a sleep in a throwing task group; whichever finishes first wins and the other
/// is cancelled (cancelling a subprocess tears the child down).
public func withTimeout<T: Sendable>(
    _ timeout: Duration, operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimeoutError() }
        return first
    }
}
