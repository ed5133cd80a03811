import Foundation

/// Unbuffered writes to standard output or standard error.
public struct FileOutput: Sendable {
    let descriptor: Int32

    /// Writes to (or reads from) an open file descriptor, which the caller keeps open.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public static let standardInput = FileOutput(descriptor: 0)
    public static let standardOutput = FileOutput(descriptor: 1)
    public static let standardError = FileOutput(descriptor: 2)

    public func write(_ text: String) { write(bytes: Array(text.utf8)) }

    public func write(bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Whether it is a terminal.
    public var isTerminal: Bool { isatty(descriptor) == 1 }

    /// The width to write for: `COLUMNS` when set, else the terminal's (`TIOCGWINSZ`), else 80.
    public func columns(environment: [String: String]) -> Int {
        if let text = environment["COLUMNS"], let value = Int(text), value > 0 { return value }
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// One line read from this descriptor (without its newline), or nil at end of input, or when
    /// the current task is cancelled (a signal ends the run) while it waits: the read polls, so
    /// Ctrl-C at a prompt ends the run at once, not after Enter.
    public func readLine() async -> String? {
        var bytes: [UInt8] = []
        while true {
            if Task.isCancelled { return nil }
            var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptorSet, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if ready == 0 { continue }
            var byte: UInt8 = 0
            let count = Foundation.read(descriptor, &byte, 1)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
