public import Foundation
import RunbookActions
public import RunbookCore

/// Names an earlier run by its log: `runbook run --again REF` and `runbook report REF` take the
/// log's path, or, for a log in the default folder under its own name, the run's short id (the
/// 8 characters its file name ends with: `…-ssh-connection-arm-6f0c1a2b.jsonl` → `6f0c1a2b`).
public enum RunLogs {
    /// Why a reference names no log.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The default folder of run logs, as a path and as a person types it: the one place of the rule
    /// `$XDG_STATE_HOME/runbook/runs` when that variable is set, else `~/.local/state/runbook/runs`.
    public struct Folder: Sendable, Equatable {
        /// The folder's path: `$XDG_STATE_HOME/runbook/runs`, else `$HOME/.local/state/runbook/runs`.
        public var path: String
        /// The folder as the console shows it: `$XDG_STATE_HOME/runbook/runs` or `~/.local/state/runbook/runs`.
        public var text: String

        public init(environment: [String: String]) {
            if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
                path = state + "/runbook/runs"
                text = "$XDG_STATE_HOME/runbook/runs"
            } else {
                path = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/runbook/runs"
                text = "~/.local/state/runbook/runs"
            }
        }
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
        return "\(stamp)-\(runbook)-\(model)-\(shortID(runID)).jsonl"
    }

    /// The short id of a run: the part of its id its default log name carries.
    public static func shortID(_ runID: String) -> String { String(runID.prefix(8)) }

    /// How the console names a run's log in the commands it prints: the short id when the log is
    /// the default one (its full path hardly fits 80 columns), else the path, shell-quoted.
    public static func reference(logPath: String, runID: String, environment: [String: String]) -> String {
        let folder = Folder(environment: environment).path
        let name = (logPath as NSString).lastPathComponent
        if (logPath as NSString).deletingLastPathComponent == folder, name.hasSuffix("-\(shortID(runID)).jsonl") {
            return shortID(runID)
        }
        return ShellQuote.quote(logPath)
    }

    /// The log `reference` names: an existing path, else a short id looked up in the default folder.
    public static func path(of reference: String, environment: [String: String]) throws(Problem) -> String {
        if FileManager.default.fileExists(atPath: reference) || reference.contains("/")
            || reference.wholeMatch(of: /[0-9a-f]{8}/) == nil
        {
            return reference
        }
        let folder = Folder(environment: environment).path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix("-\(reference).jsonl") }.sorted()
        guard names.count == 1, let name = names.first else {
            throw Problem(
                description: names.isEmpty
                    ? "no file '\(reference)' and no log of run \(reference) in \(folder)"
                    : "\(names.count) logs of run \(reference) in \(folder): give the path of one")
        }
        return folder + "/" + name
    }

    /// The `run-start` line (the first line) of the log at `path`.
    public static func start(ofLog path: String) throws(Problem) -> RunEvent {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Problem(description: "cannot read '\(path)'")
        }
        defer { try? handle.close() }
        // The first line only; a run-start line is short (its inputs), 1 MB is plenty.
        let head = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        let line = head.prefix { $0 != 0x0A }
        guard let event = try? JSONDecoder().decode(RunEvent.self, from: Data(line)), event.event == .runStart else {
            throw Problem(description: "\(path):1: not a run log (its first line is no run-start event)")
        }
        return event
    }
}
