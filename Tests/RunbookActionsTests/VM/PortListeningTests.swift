import Testing

@testable import RunbookActions

@Suite("port-listening")
struct PortListeningTests {
    @Test("parses LISTEN lines captured from /proc/net/tcp and /proc/net/tcp6")
    func parses() {
        let tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1499 1 00000000919509f3 100 0 0 10 0
               1: 0100007F:C3A1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 55487 1 00000000e137f356 100 0 0 10 0
               2: 0100007F:C3A1 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 55490 1 00000000e137f357 20 4 30 10 -1
            """
        #expect(
            ListeningSocket.parse(procNetTCP: tcp) == [
                ListeningSocket(address: "0.0.0.0", port: 2024, inode: "1499", isIPv6: false),
                ListeningSocket(address: "127.0.0.1", port: 50081, inode: "55487", isIPv6: false),
            ])
        let tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:D0F5 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 82110 1 00000000df54a582 100 0 0 10 0
               1: 00000000000000000000000001000000:90A9 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 82111 1 00000000bfff24ae 100 0 0 10 0
            """
        let sockets = ListeningSocket.parse(procNetTCP: tcp6)
        #expect(sockets.map(\.endpoint) == ["[::]:53493", "[::1]:37033"])
    }

    @Test(
        "formats IPv6 addresses the usual way",
        arguments: [
            ("B80D0120000000000000000001000000", "2001:db8::1"),
            ("0000000000000000FFFF00000100007F", "::ffff:127.0.0.1"),
            ("000080FE00000000FF4F1F024C3412FE", "fe80::21f:4fff:fe12:344c"),
        ])
    func ipv6(hex: String, expected: String) {
        #expect(ListeningSocket.decodeAddress(hex)?.0 == expected)
    }

    @Test("finds a real listener on 127.0.0.1 and its process")
    func realListener() async throws {
        let port = try freePort()
        let listener = startGarbageListener(port: port)
        defer { listener.stop() }
        try await waitForListener(port)

        let any = await PortListening().run(["port": String(port)], context: localVM())
        #expect(any.status == .pass, "\(any)")
        #expect(any.summary == "python3 listens on 127.0.0.1:\(port)")

        let python = await PortListening().run(["port": String(port), "process": "python3"], context: localVM())
        #expect(python.status == .pass, "\(python)")

        let sshd = await PortListening().run(["port": String(port), "process": "sshd"], context: localVM())
        #expect(sshd.status == .fail)
        #expect(sshd.summary == "python3 on 127.0.0.1:\(port) listens on port \(port), not sshd")
    }

    @Test("says where the process listens instead")
    func elsewhere() async throws {
        let port = try freePort()
        let listener = startGarbageListener(port: port)
        defer { listener.stop() }
        try await waitForListener(port)
        let closed = try freePort()
        let result = await PortListening().run(["port": String(closed), "process": "python3"], context: localVM())
        #expect(result.status == .fail)
        #expect(result.summary.hasPrefix("nothing listens on port \(closed); python3 listens on "), "\(result)")
        #expect(result.summary.contains("127.0.0.1:\(port)"))
    }

    @Test("a listener of the host is not seen from another network namespace")
    func namespace() async throws {
        let port = try freePort()
        let listener = startGarbageListener(port: port)
        defer { listener.stop() }
        try await waitForListener(port)
        let namespace = try await TestNetworkNamespace("port")
        defer { namespace.delete() }
        let result = await PortListening().run(
            ["port": String(port)], context: CheckContext(timeout: testTimeout, vm: namespace.executor))
        #expect(result.status == .fail, "\(result)")
        #expect(result.summary == "nothing listens on port \(port)")
    }
}
