import Foundation

/// Unbuffered writes to standard output or standard error.
public struct FileOutput: Sendable {
    let descriptor: Int32

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
}
