import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The throw-away keys and the configuration of a test sshd: the one place they are written.
package enum TestSSHD {
    /// Makes `folder/host_key` and `folder/client_key` (ed25519, no passphrase, with `.pub` files),
    /// authorizes the client key in `folder/authorized_keys`, and makes sshd's `/run/sshd`.
    package static func makeKeys(in folder: String) async throws {
        try await sh(["mkdir", "-p", "/run/sshd"])
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "\(folder)/host_key"])
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "\(folder)/client_key"])
        try await sh(["cp", "\(folder)/client_key.pub", "\(folder)/authorized_keys"])
    }

    /// An sshd_config for 127.0.0.1:`port` with the keys of ``makeKeys(in:)``: keys only, no PAM,
    /// `root` by key, its pid file in `folder`.
    ///
    /// - Parameters:
    ///   - authorizedKeysFile: the `AuthorizedKeysFile` value (default `folder/authorized_keys`).
    ///   - strictModes: sshd's `StrictModes` (off by default: test folders are not the user's).
    ///   - extra: lines added at the end (later lines do not override earlier ones in sshd_config).
    package static func config(
        port: Int, folder: String, authorizedKeysFile: String? = nil, strictModes: Bool = false, extra: String = ""
    ) -> String {
        let lines = [
            "Port \(port)",
            "ListenAddress 127.0.0.1",
            "HostKey \(folder)/host_key",
            "PidFile \(folder)/sshd.pid",
            "AuthorizedKeysFile \(authorizedKeysFile ?? "\(folder)/authorized_keys")",
            "StrictModes \(strictModes ? "yes" : "no")",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
        ]
        return (lines + (extra.isEmpty ? [] : [extra])).joined(separator: "\n") + "\n"
    }
}

/// A real OpenSSH server on 127.0.0.1 with a throw-away host key, logging in `root` with `clientKey`.
///
/// `stop()` ends sshd and waits until it is gone (the port closed); the folder, with the log and
/// the client's files, stays until the server is released.
package final class TestSSHServer: Sendable {
    package let directory: TemporaryDirectory
    package let port: Int
    private let process: BackgroundProcess

    /// The client's private key (authorized for every user).
    package var clientKey: String { directory.file("client_key") }
    /// ``clientKey``, by the name the CLI tests give it.
    package var identity: String { clientKey }
    package var knownHosts: String { directory.file("known_hosts") }
    /// An ssh_config for the client: this known_hosts, new host keys accepted, only the given identity.
    package var clientConfig: String { directory.file("ssh_config") }
    /// Options that keep the client away from the user's own files.
    package var clientOptions: String {
        "UserKnownHostsFile=\(knownHosts),GlobalKnownHostsFile=/dev/null,StrictHostKeyChecking=accept-new"
    }

    private init(directory: TemporaryDirectory, port: Int, process: BackgroundProcess) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    /// Starts sshd in the foreground (`-D`, a child of this test process) and waits until it listens.
    package static func start() async throws -> TestSSHServer {
        let directory = try TemporaryDirectory("rb-sshd")
        do {
            try await sh(["chmod", "755", directory.path])
            try await TestSSHD.makeKeys(in: directory.path)
            let port = try freePort()
            try directory.write("sshd_config", TestSSHD.config(port: port, folder: directory.path))
            try directory.write(
                "ssh_config",
                """
                Host *
                    UserKnownHostsFile \(directory.file("known_hosts"))
                    StrictHostKeyChecking accept-new
                    IdentitiesOnly yes

                """)
            let process = BackgroundProcess(
                ["/usr/sbin/sshd", "-D", "-E", directory.file("sshd.log"), "-f", directory.file("sshd_config")])
            let server = TestSSHServer(directory: directory, port: port, process: process)
            do {
                try await waitForListener(port)
            } catch {
                server.stop()
                throw error
            }
            return server
        } catch {
            directory.remove()
            throw error
        }
    }

    /// Ends sshd and waits (at most 50 × 20 ms) until it is gone, so that its port is closed.
    package func stop() {
        if let text = try? String(contentsOfFile: directory.file("sshd.pid"), encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(pid, SIGTERM)
            for _ in 0..<50 where kill(pid, 0) == 0 { usleep(20_000) }
        }
        process.stop()
    }

    deinit {
        process.stop()
        directory.remove()
    }
}
