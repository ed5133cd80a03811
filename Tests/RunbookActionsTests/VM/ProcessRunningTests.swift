import Foundation
import Testing

@testable import RunbookActions

@Suite("process-running")
struct ProcessRunningTests {
    /// Starts a copy of `sleep` under a unique name, so that pgrep -x finds exactly it.
    func startNamedProcess(in directory: TemporaryDirectory) async throws -> (name: String, process: BackgroundProcess)
    {
        let name = "rbsleep\(UInt32.random(in: 10000..<99999))"
        try await sh(["cp", "/bin/sleep", directory.file(name)])
        let process = BackgroundProcess([directory.file(name), "30"])
        for _ in 0..<100 {
            if try await sh(["pgrep", "-x", name], allowFailure: true).isEmpty == false { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (name, process)
    }

    @Test("finds a running process by name, with its pid")
    func finds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (name, process) = try await startNamedProcess(in: directory)
        defer { process.stop() }
        let result = await ProcessRunning().run(["name": name], context: localVM())
        #expect(result.status == .pass, "\(result)")
        let pids = try await sh(["pgrep", "-x", name]).nonEmptyLines.joined(separator: " ")
        #expect(result.evidence["pids"] == pids)
    }

    @Test("fails when no process has that name")
    func missing() async {
        let result = await ProcessRunning().run(["name": "rb-no-such-proc"], context: localVM())
        #expect(result == .fail("no rb-no-such-proc process running", evidence: ["name": "rb-no-such-proc"]))
    }

    @Test("does not see a process of another network namespace")
    func otherNamespace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (name, process) = try await startNamedProcess(in: directory)
        defer { process.stop() }
        let namespace = try await TestNetworkNamespace("proc")
        defer { namespace.delete() }
        let result = await ProcessRunning().run(
            ["name": name], context: CheckContext(timeout: testTimeout, vm: namespace.executor))
        #expect(result.status == .fail, "the host's process must not count inside the namespace: \(result)")
    }

    @Test("needs a VM executor")
    func needsVM() async {
        let result = await ProcessRunning().run([:])
        #expect(result == .error("needs --vm to look inside the VM"))
    }
}
