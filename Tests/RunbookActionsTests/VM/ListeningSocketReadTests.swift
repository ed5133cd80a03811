import Testing

@testable import RunbookActions

/// The one reading of the VM's LISTEN sockets, for port-listening and for finding the running sshd.
@Suite("listening sockets read in the VM")
struct ListeningSocketReadTests {
    static let tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1
           1: 0100007F:0019 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2222 1
        """
    static let tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue
           0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3333 1
        """

    @Test("tcp and tcp6 in one command: LISTEN sockets of both, others skipped")
    func both() async throws {
        let output = Self.tcp + "\n--- tcp6\n" + Self.tcp6 + "\n"
        let sockets = try await ListeningSocket.read(on: CannedExecutor(output: output), timeout: testTimeout)
        #expect(sockets.map(\.endpoint) == ["0.0.0.0:22", "[::]:22"])
        #expect(sockets.map(\.inode) == ["1111", "3333"])
    }

    @Test("no /proc/net/tcp: Unreadable with cat's reason; each check says it its own way")
    func unreadable() async throws {
        let vm = CannedExecutor(
            output: "", exitCode: 3, standardError: "cat: /proc/net/tcp: No such file or directory\n")
        await #expect(throws: ListeningSocket.Unreadable.self) {
            try await ListeningSocket.read(on: vm, timeout: testTimeout)
        }
        let result = await PortListening().run(["port": "22"], context: CheckContext(timeout: testTimeout, vm: vm))
        #expect(result.status == .error)
        #expect(result.summary == "cannot read /proc/net/tcp in the VM")
        await #expect(throws: EarlyResult.self) {
            try await RunningSSHD.listeningSockets(executor: vm, timeout: testTimeout)
        }
    }
}
