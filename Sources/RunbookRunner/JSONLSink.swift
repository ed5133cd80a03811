public import Foundation
public import RunbookCore

/// Writes events as JSON Lines, one `write` per line, so a killed run leaves a valid log.
public final class JSONLSink: EventSink, @unchecked Sendable {
    private let handle: FileHandle
    private let encoder: JSONEncoder
    private let lock = NSLock()

    /// Opens (creating folders as needed) a new log file at `path`.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: url)
        encoder = JSONLSink.makeEncoder()
    }

    /// Writes to an already open handle (standard output for `--format json`).
    public init(handle: FileHandle) {
        self.handle = handle
        encoder = JSONLSink.makeEncoder()
    }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    public func receive(_ event: RunEvent, context: EventContext) async {
        guard var data = try? encoder.encode(event) else { return }
        data.append(0x0A)
        lock.withLock { handle.write(data) }
    }

    /// The default folder of run logs: `$XDG_STATE_HOME/runbook/runs`, else `~/.local/state/runbook/runs`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/runbook/runs" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/runbook/runs"
    }

    /// A new log file name: `2026-05-01T10-00-00Z-ssh-connection-arm.jsonl`.
    public static func fileName(runbook: String, model: String, date: Date = Date()) -> String {
        let stamp = date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.omitted))
        return "\(stamp)-\(runbook)-\(model).jsonl"
    }
}
