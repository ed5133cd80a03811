import Foundation
public import RunbookCore

/// Writes events as JSON Lines, one `write` per line, so a killed run leaves a valid log.
///
/// Every write is checked: when one fails (a full disk, a closed pipe) the run goes on, the
/// sink warns once on standard error that the log is incomplete, and later lines are dropped
/// rather than torn.
public final class JSONLSink: EventSink, @unchecked Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let encoder: JSONEncoder
    private let lock = NSLock()
    private var failed = false
    private let name: String
    private let warn: @Sendable (String) -> Void

    /// Why a log could not be opened.
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// How to open a log path.
    public enum Mode: Sendable {
        /// A new file that must not exist yet (`O_EXCL`): default log names never replace a log.
        case createNew
        /// A path the user named: a regular file is truncated in place; a device node or a FIFO
        /// (`/dev/null`, a pipe) is written into; a symbolic link is refused.
        case userPath
    }

    /// Opens (creating folders as needed) a log file at `path`.
    public init(
        path: String, mode: Mode = .userPath,
        warn: @escaping @Sendable (String) -> Void = { FileOutput.standardError.write($0) }
    ) throws(OpenError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw OpenError(description: "cannot create the folder '\(folder)': \(error.localizedDescription)")
            }
        }
        descriptor = try Self.open(path, mode: mode)
        ownsDescriptor = true
        encoder = JSONLSink.makeEncoder()
        name = path
        self.warn = warn
    }

    /// Writes to an already open descriptor (standard output for `--format json`).
    public init(
        descriptor: Int32, name: String = "standard output",
        warn: @escaping @Sendable (String) -> Void = { FileOutput.standardError.write($0) }
    ) {
        self.descriptor = descriptor
        ownsDescriptor = false
        encoder = JSONLSink.makeEncoder()
        self.name = name
        self.warn = warn
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    static func open(_ path: String, mode: Mode) throws(OpenError) -> Int32 {
        var info = stat()
        let exists = lstat(path, &info) == 0
        let kind = info.st_mode & S_IFMT
        switch mode {
        case .createNew:
            let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw OpenError(description: "cannot create '\(path)': \(Self.errnoText())") }
            return fd
        case .userPath:
            if exists && kind == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                throw OpenError(description: "'\(path)' is a symbolic link (to '\(target)'); name the file itself")
            }
            if exists && kind == S_IFDIR { throw OpenError(description: "'\(path)' is a folder") }
            // A device node or a FIFO is written into, never replaced; a regular file is
            // truncated in place (same inode, same owner and mode).
            let regular = !exists || kind == S_IFREG
            let flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | (regular ? O_CREAT | O_TRUNC : 0)
            let fd = Foundation.open(path, flags, 0o600)
            guard fd >= 0 else { throw OpenError(description: "cannot write '\(path)': \(Self.errnoText())") }
            return fd
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    public func receive(_ event: RunEvent, context: EventContext) async {
        guard var data = try? encoder.encode(event) else { return }
        data.append(0x0A)
        lock.withLock { write(data) }
    }

    /// Whether a write failed, so the log misses lines.
    public var isIncomplete: Bool { lock.withLock { failed } }

    private func write(_ data: Data) {
        guard !failed else { return }
        let complete = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        if !complete {
            failed = true
            warn("runbook: warning: the log \(name) is incomplete from here on: \(Self.errnoText())\n")
        }
    }
}
