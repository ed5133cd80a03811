import Testing

@testable import RunbookActions

/// The one reading of `getent hosts ADDRESS` for sshd's `UseDNS yes` (sshd-config and
/// authorized-keys had each their own; only one lower-cased the name as sshd does).
@Suite("sshd's name for the client")
struct SSHDRemoteHostTests {
    @Test(
        "the first name of getent hosts, lower-cased as sshd's remote_hostname does",
        arguments: [
            ("10.0.0.1        Client.Example.COM client\n", "client.example.com"),
            ("10.0.0.1\tvm1.lab\n10.0.0.1 other\n", "vm1.lab"),
            ("\n  10.0.0.1   host-a  \n", "host-a"),
        ])
    func name(output: String, expected: String) async throws {
        let name = try await SSHDRemoteHost.name(
            of: "10.0.0.1", on: CannedExecutor(output: output), timeout: testTimeout)
        #expect(name == expected)
    }

    @Test("no name: nil (sshd then uses the address)", arguments: ["", "10.0.0.1\n"])
    func none(output: String) async throws {
        #expect(
            try await SSHDRemoteHost.name(of: "10.0.0.1", on: CannedExecutor(output: output), timeout: testTimeout)
                == nil)
    }
}
