public import Foundation
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
    public init(descriptor: Int32, name: String = "standard output",
                warn: @escaping @Sendable (String) -> Void = { FileOutput.standardError.write($0) }) {
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

    /// The default folder of run logs: `$XDG_STATE_HOME/runbook/runs`, else `~/.local/state/runbook/runs`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/runbook/runs" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/runbook/runs"
    }

    /// A new log file name that no other run shares:
    /// `2026-05-01T10-00-00.123Z-ssh-connection-arm-6f0c1a2b.jsonl` (time with milliseconds, then
    /// the first 8 characters of the run id). It is created with `O_EXCL`, so even a clash never
    /// replaces a log.
    public static func fileName(runbook: String, model: String, runID: String, date: Date = Date()) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(
            format: "%04d-%02d-%02dT%02d-%02d-%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds % 1000))
        return "\(stamp)-\(runbook)-\(model)-\(RunLogs.shortID(runID)).jsonl"
    }

}
