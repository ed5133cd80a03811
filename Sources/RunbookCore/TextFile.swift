#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a text file straight into a `String` (UTF-8; invalid bytes become U+FFFD, as
/// `String(decoding:as:)` does), with one copy from the kernel and no `Data` in between.
public enum TextFile {
    /// The file's text, or `nil` when it cannot be opened or read (or is not a regular file).
    public static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(status.st_size)
        guard size > 0 else { return "" }
        var failed = false
        // Read into a buffer one byte larger than the file, so that a file that grew since
        // `fstat` shows as such and is read again the slow way.
        let text = String(unsafeUninitializedCapacity: size + 1) { buffer in
            var filled = 0
            while filled < buffer.count {
                let count = systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else {
                    failed = true
                    return 0
                }
                if count == 0 { break }
                filled += count
            }
            if filled > size { failed = true }
            return filled
        }
        if failed { return slowRead(path) }
        return text
    }

    /// Reads a file whose size changed while it was read (or after an error), in chunks.
    static func slowRead(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
    #else
        Darwin.read(descriptor, buffer, count)
    #endif
}
