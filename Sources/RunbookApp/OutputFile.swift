import Foundation
import RunbookRunner

/// Writes a command's result (`-o PATH`, or standard output).
///
/// A regular file is replaced atomically (a temporary file in the same folder, then `rename`),
/// so a reader never sees half a page. Anything else that already exists is never replaced: a
/// device node or a FIFO (`/dev/null`, a pipe) is written into; a symbolic link or a folder is
/// refused with an error. What was written (path and size) is printed on stderr.
public enum OutputFile {
    public static func write(_ text: String, to path: String?, announce: Bool = true) throws(AppError) {
        try write(bytes: Array(text.utf8), to: path, announce: announce)
    }

    public static func write(bytes: [UInt8], to path: String?, announce: Bool = true) throws(AppError) {
        guard let path else {
            FileOutput.standardOutput.write(bytes: bytes)
            return
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                throw .badInput("\(path) is a symbolic link (to \(target)); name the file itself")
            case S_IFDIR: throw .badInput("\(path) is a folder")
            default:
                try writeInto(path, bytes)
                if announce { FileOutput.standardError.write("wrote \(path) (\(bytes.count) bytes)\n") }
                return
            }
        }
        do {
            // Data without a copy of the bytes (a page can be tens of megabytes).
            try bytes.withUnsafeBytes { raw in
                let data =
                    raw.baseAddress.map {
                        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: raw.count, deallocator: .none)
                    } ?? Data()
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        } catch {
            throw .badInput("cannot write \(path): \(error.localizedDescription)")
        }
        if announce { FileOutput.standardError.write("wrote \(path) (\(bytes.count) bytes)\n") }
    }

    /// Writes into an existing device node or FIFO without creating or truncating anything.
    private static func writeInto(_ path: String, _ bytes: [UInt8]) throws(AppError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .badInput("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw .badInput("cannot write \(path): \(String(cString: strerror(errno)))") }
            offset += written
        }
    }
}
