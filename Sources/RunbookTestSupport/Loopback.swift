import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listener on 127.0.0.1 with a port the kernel picked; closed on `close()`.
package final class LoopbackListener: @unchecked Sendable {
    package let fd: Int32
    package let port: Int

    package init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SetupError("socket failed") }
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            Glibc.close(fd)
            throw SetupError("bind or listen on 127.0.0.1 failed")
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether ``close()`` ran: the descriptor is closed once only. Closed twice, the second close
    /// may hit a descriptor another test opened meanwhile under the same number (a parallel test's
    /// socket then fails with EBADF: seen as "bind or listen on 127.0.0.1 failed").
    private let closed = Mutex(false)

    package func close() {
        closed.withLock { closed in
            guard !closed else { return }
            closed = true
            _ = Glibc.close(fd)
        }
    }

    deinit { close() }

    /// A port on 127.0.0.1 that nothing listens on (bound once, then released).
    package static func closedPort() throws -> Int {
        let listener = try LoopbackListener()
        let port = listener.port
        listener.close()
        return port
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
package func freePort() throws -> Int { try LoopbackListener.closedPort() }

/// Whether a TCP connection to 127.0.0.1:port succeeds now.
package func acceptsConnections(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// Waits (at most 100 tries over about 5 s) until 127.0.0.1:port accepts connections.
package func waitForListener(_ port: Int) async throws {
    for _ in 0..<100 {
        if acceptsConnections(port) { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw SetupError("nothing came to listen on 127.0.0.1:\(port)")
}
