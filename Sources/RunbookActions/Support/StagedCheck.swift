import RunbookCore

/// A check whose body may stop early with a decided result, by throwing it.
///
/// Reading arguments and running commands can each end a check (`error` for a bad argument or a
/// tool that could not run); throwing keeps those exits short. ``run(_:context:)`` turns what was
/// thrown back into a ``CheckResult``, so the action itself never throws.
protocol StagedCheck: CheckAction {
    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult
}

extension StagedCheck {
    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        do {
            return try await check(arguments, context: context)
        } catch let stop as EarlyResult {
            return stop.result
        } catch let problem as Arguments.Problem {
            return .error(problem.description)
        } catch let failure as ExecutorError {
            return .error(failure.description)
        } catch {
            return .error("\(error)")
        }
    }
}

/// A result decided before a check's end, thrown to leave the check.
struct EarlyResult: Error {
    var result: CheckResult

    init(_ result: CheckResult) { self.result = result }
}

extension CheckContext {
    /// The VM's executor, or an early `error` when no `--vm` was given.
    func vmExecutor() throws(EarlyResult) -> any Executor {
        guard let vm else { throw EarlyResult(.error("needs --vm to look inside the VM")) }
        return vm
    }

    /// The check's timeout in whole seconds, at least one (for tools that take seconds).
    var timeoutSeconds: Int { max(1, timeout.milliseconds / 1000) }
}

/// Rejects a value that a command would read as an option (`-oProxyCommand=...`).
func requireNotOption(_ value: String, argument: String) throws(EarlyResult) {
    if value.hasPrefix("-") {
        throw EarlyResult(.error("\(argument): '\(value)' must not start with '-'"))
    }
}

/// Runs `argv` and hands back the output or the reason it could not run, for checks that treat
/// some of those reasons (a timeout) as a finding rather than an error.
func runCapturing(_ executor: any Executor, _ argv: [String], timeout: Duration) async -> Result<
    ProcessOutput, ExecutorError
> {
    do {
        return .success(try await executor.run(argv, timeout: timeout))
    } catch {
        return .failure(error)
    }
}
