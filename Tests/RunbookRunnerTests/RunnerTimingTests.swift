import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner
import Testing

/// A clock that never waits: a retry's pause (and, when `timeoutsFire`, a check's deadline)
/// passes at once and moves the clock on; otherwise a deadline waits until the check ends.
final class TestClock: RunClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero
    private var asked: [Duration] = []
    let timeoutsFire: Bool

    init(timeoutsFire: Bool = false) { self.timeoutsFire = timeoutsFire }

    var now: Duration { lock.withLock { elapsed } }
    /// Every wait the run asked for, in order.
    var sleeps: [Duration] { lock.withLock { asked } }

    func sleep(for duration: Duration) async throws {
        lock.withLock { asked.append(duration) }
        if duration == Runner.retryPause || timeoutsFire {
            lock.withLock { elapsed += duration }
            return
        }
        try await Task.sleep(for: .seconds(3600))
    }
}

/// A check that fails its first `failures` runs, then passes; counts its runs.
final class FlakyAction: CheckAction, @unchecked Sendable {
    private let lock = NSLock()
    private var runs = 0
    let failures: Int

    init(failures: Int) { self.failures = failures }

    var count: Int { lock.withLock { runs } }

    var schema: ActionSchema {
        ActionSchema(name: "test-flaky", summary: "fails, then passes", arguments: [], example: "check test-flaky")
    }

    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        let run = lock.withLock {
            runs += 1
            return runs
        }
        return run <= failures ? .fail("run \(run) failed") : .pass("run \(run) passed")
    }
}

/// A check that never answers by itself (it ends only when cancelled).
struct HangingAction: CheckAction {
    var schema: ActionSchema {
        ActionSchema(name: "test-hang", summary: "never answers", arguments: [], example: "check test-hang")
    }

    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        try? await Task.sleep(for: .seconds(3600))
        return .pass("woke up")
    }
}

/// Records the commands and fixes run on this computer instead of running them: every command
/// exits 1, every fix succeeds.
final class RecordingExecutor: Executor, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(script: String, environment: [String: String])] = []
    private var commands: [[String]] = []
    var argvs: [[String]] { lock.withLock { commands } }
    var description: String { "recording" }
    var scriptTravelsInArgv: Bool { false }
    var scripts: [(script: String, environment: [String: String])] { lock.withLock { recorded } }

    func run(_ argv: [String], timeout: Duration) async throws(ExecutorError) -> ProcessOutput {
        lock.withLock { commands.append(argv) }
        return ProcessOutput(exitCode: 1, standardOutput: "", standardError: "")
    }

    func runScript(
        _ script: String, shell: String, environment: [String: String], files: [String: String], timeout: Duration
    ) async throws(ExecutorError) -> ProcessOutput {
        lock.withLock { recorded.append((script, environment)) }
        return ProcessOutput(exitCode: 0, standardOutput: "recorded", standardError: "")
    }
}

@Suite struct RunnerTimingTests {
    static func runbook(_ fence: String) -> String {
        """
        ---
        id: timing
        title: Timing
        verify: works
        ---
        # Timing

        ## Works {#works}

        ```\(fence)
        ```
        """
    }

    func run(
        _ fence: String, action: any CheckAction, clock: TestClock, lintClean: Bool = true
    ) async throws -> RunResult {
        try await runRunbook(
            Self.runbook(fence), model: "default", options: RunOptions(), lintClean: lintClean,
            registry: ActionRegistry(BuiltInActions.all + [action]), clock: clock)
    }

    @Test("retries=2: a check that keeps failing runs three times, pausing between runs on the clock")
    func retriesUntilTheLimit() async throws {
        let action = FlakyAction(failures: 100)
        let clock = TestClock()
        let result = try await run("check test-flaky retries=2", action: action, clock: clock)
        #expect(action.count == 3)
        #expect(clock.sleeps.filter { $0 == Runner.retryPause }.count == 2)
        let step = try #require(result.events.first { $0.step == "works" })
        #expect(step.status == .fail && step.summary == "run 3 failed" && step.durationMS == 1000)
    }

    @Test("retries stop at the first run that does not fail")
    func retriesStopOnPass() async throws {
        let action = FlakyAction(failures: 1)
        let result = try await run("check test-flaky retries=5", action: action, clock: TestClock())
        #expect(action.count == 2)
        #expect(result.end.outcome == .healthy)
    }

    @Test("retries above the limit are the limit; no retries= runs once")
    func retriesCapped() async throws {
        let capped = FlakyAction(failures: 100)
        // Lint reports a count over the limit; a run still caps it.
        _ = try await run("check test-flaky retries=99", action: capped, clock: TestClock(), lintClean: false)
        #expect(capped.count == RetryLimit.maximum + 1)
        let once = FlakyAction(failures: 100)
        _ = try await run("check test-flaky", action: once, clock: TestClock())
        #expect(once.count == 1)
    }

    @Test("a check that overruns its timeout is given the grace, then is an error naming its own timeout")
    func timeoutGrace() async throws {
        let clock = TestClock(timeoutsFire: true)
        let result = try await run("check test-hang timeout=3s", action: HangingAction(), clock: clock)
        #expect(clock.sleeps == [.seconds(3) + Runner.timeoutGrace])
        let step = try #require(result.events.first { $0.step == "works" })
        #expect(step.status == .error && step.summary == "did not finish within 3.0s" && step.durationMS == 5000)
    }

    @Test("calls nest at most 8 deep: the ninth call is an error at its step")
    func callDepthLimit() async throws {
        let loop = """
            ---
            id: loop
            title: Loop
            verify: loop-ok
            ---
            # Loop

            ## OK {#loop-ok}

            ```check command run="true"
            ```

            ## Again {#again}

            ```call loop
            ```
            """
        let knowledgeBase = ["loop": Runbook.load(text: loop, path: "loop.md").runbook]
        let caller = """
            ---
            id: caller
            title: Caller
            verify: works
            ---
            # Caller

            ## Works {#works}

            ```check command run="false"
            ```

            ## Enter {#enter}

            ```call loop
            ```
            """
        let result = try await runRunbook(
            caller, model: "default", options: RunOptions(), knowledgeBase: knowledgeBase, lintClean: false)
        let again = result.events.filter { $0.step == "loop/again" && $0.event == .step }
        #expect(again.count == Runner.maximumCallDepth)
        let deepest = try #require(again.first)
        #expect(deepest.status == .error && deepest.summary == "calls nested deeper than 8 runbooks")
    }

    @Test("checks' commands and fixes on this computer run through the injected client executor")
    func clientExecutorInjected() async throws {
        let executor = RecordingExecutor()
        let text = """
            ---
            id: fixing
            title: Fixing
            inputs:
              group: {description: resource group}
            verify: works
            ---
            # Fixing

            ## Works {#works}

            ```check command run="true" fix=#repair
            ```

            ## Repair {#repair}

            ```run sh
            echo "$GROUP"
            ```
            """
        let result = try await runRunbook(
            text, model: "default", options: RunOptions(inputs: ["group": "rg1"], assumeYes: true),
            clientExecutor: { _ in executor })
        #expect(!executor.argvs.isEmpty, "the check's command ran through the executor (it answered exit 1)")
        #expect(executor.scripts.map(\.script) == ["echo \"$GROUP\"\n"])
        #expect(executor.scripts.first?.environment["GROUP"] == "rg1")
        let repair = try #require(result.events.first { $0.step == "repair" })
        #expect(repair.status == .done && repair.evidence?["stdout"] == "recorded")
    }
}
