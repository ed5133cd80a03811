import Glibc

/// A TCP connection attempt with its outcome told apart the way a person needs it:
/// open, refused (something answered "no"), timed out (filtered: nothing answered),
/// or unreachable (no route).
///
/// Uses non-blocking POSIX sockets and polls in short slices, so a probe never blocks a thread
/// for long and stops when its task is cancelled.
enum TCPProbe {
    enum Outcome: Sendable, Equatable {
        case open(address: String)
        case refused(address: String)
        case timedOut(address: String)
        case unreachable(address: String, reason: String)
        case resolveFailed(String)
    }

    /// Connects to `host:port`, trying each resolved address until one answers.
    ///
    /// When it connects, `body` gets the socket (non-blocking) before it is closed.
    static func connect(
        host: String, port: Int, timeout: Duration, body: ((Int32, Duration) async -> Void)? = nil
    ) async -> Outcome {
        let deadline = ContinuousClock.now + timeout
        let addresses: [Address]
        let resolved: Resolver.Result
        do {
            // getaddrinfo blocks its thread on a name; it runs on its own so the timeout still holds.
            // A numeric address needs no lookup and is resolved here.
            resolved =
                IPAddress(host) != nil
                ? Resolver.resolve(host, port: port)
                : try await BlockingCall.run(timeout: timeout) { Resolver.resolve(host, port: port) }
        } catch {
            return .resolveFailed("no answer resolving \(host) within \(timeout.milliseconds)ms")
        }
        switch resolved {
        case .success(let list): addresses = list
        case .failure(let message): return .resolveFailed(message)
        }
        var last: Outcome = .resolveFailed("no address for \(host)")
        for address in addresses {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { break }
            last = await attempt(address, timeout: remaining, body: body)
            if case .open = last { return last }
            if case .refused = last { return last }
        }
        return last
    }

    private static func attempt(
        _ address: Address, timeout: Duration, body: ((Int32, Duration) async -> Void)?
    ) async -> Outcome {
        let text = address.description
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .unreachable(address: text, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let result = address.storage.withUnsafeBytes { raw in
            Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), address.length)
        }
        let started = ContinuousClock.now
        if result != 0 && errno != EINPROGRESS {
            return classify(errno, address: text)
        }
        // Wait for the connection in slices of at most 50 ms so cancellation is noticed.
        while true {
            var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&pollfd, 1, 0)
            if ready > 0 { break }
            if ready < 0 && errno != EINTR { return classify(errno, address: text) }
            if Task.isCancelled || ContinuousClock.now - started >= timeout { return .timedOut(address: text) }
            try? await Task.sleep(
                for: .milliseconds(min(50, max(1, (timeout - (ContinuousClock.now - started)).milliseconds))))
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error != 0 { return classify(error, address: text) }
        if let body { await body(fd, timeout - (ContinuousClock.now - started)) }
        return .open(address: text)
    }

    private static func classify(_ code: Int32, address: String) -> Outcome {
        switch code {
        case ECONNREFUSED: .refused(address: address)
        case ETIMEDOUT: .timedOut(address: address)
        default: .unreachable(address: address, reason: String(cString: strerror(code)))
        }
    }

    /// Reads from a connected non-blocking socket until a line ends, the peer closes, `limit`
    /// bytes arrive, or the time is up.
    static func readLine(_ fd: Int32, timeout: Duration, limit: Int = 512) async -> (bytes: [UInt8], closed: Bool) {
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        let started = ContinuousClock.now
        while collected.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                collected += buffer[0..<count]
                if collected.contains(UInt8(ascii: "\n")) { return (collected, false) }
                continue
            }
            if count == 0 { return (collected, true) }
            if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { return (collected, true) }
            if Task.isCancelled || ContinuousClock.now - started >= timeout { return (collected, false) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return (collected, false)
    }
}

/// A resolved socket address.
struct Address: Sendable, CustomStringConvertible {
    var family: Int32
    var storage: [UInt8]
    var length: socklen_t
    var description: String
}

/// Name resolution with `getaddrinfo`.
enum Resolver {
    enum Result: Sendable {
        case success([Address])
        case failure(String)
    }

    static func resolve(_ host: String, port: Int) -> Result {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            return .failure(String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = list
        while let entry = cursor {
            let info = entry.pointee
            if let sockaddrPointer = info.ai_addr {
                let bytes = Array(UnsafeRawBufferPointer(start: sockaddrPointer, count: Int(info.ai_addrlen)))
                let text = numericHost(sockaddrPointer, length: info.ai_addrlen)
                let shown = info.ai_family == AF_INET6 ? "[\(text)]:\(port)" : "\(text):\(port)"
                if !addresses.contains(where: { $0.description == shown }) {
                    addresses.append(
                        Address(family: info.ai_family, storage: bytes, length: info.ai_addrlen, description: shown))
                }
            }
            cursor = info.ai_next
        }
        return addresses.isEmpty ? .failure("no address") : .success(addresses)
    }

    static func numericHost(_ address: UnsafePointer<sockaddr>, length: socklen_t) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return "?"
        }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The numeric addresses a name resolves to.
    static func addresses(of host: String) -> Result { resolve(host, port: 0) }
}
