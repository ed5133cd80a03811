public import Foundation
public import RunbookCore
import RunbookActions

/// Names an earlier run by its log: `runbook run --again REF` and `runbook report REF` take the
/// log's path, or, for a log in the default folder under its own name, the run's short id (the
/// 8 characters its file name ends with: `…-ssh-connection-arm-6f0c1a2b.jsonl` → `6f0c1a2b`).
public enum RunLogs {
    /// Why a reference names no log.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The short id of a run: the part of its id its default log name carries.
    public static func shortID(_ runID: String) -> String { String(runID.prefix(8)) }

    /// How the console names a run's log in the commands it prints: the short id when the log is
    /// the default one (its full path hardly fits 80 columns), else the path, shell-quoted.
    public static func reference(logPath: String, runID: String, environment: [String: String]) -> String {
        let folder = JSONLSink.defaultDirectory(environment: environment)
        let name = (logPath as NSString).lastPathComponent
        if (logPath as NSString).deletingLastPathComponent == folder, name.hasSuffix("-\(shortID(runID)).jsonl") {
            return shortID(runID)
        }
        return ShellQuote.quote(logPath)
    }

    /// The default folder of logs as a person types it: `$XDG_STATE_HOME/runbook/runs` when that
    /// variable is set, else `~/.local/state/runbook/runs` (``JSONLSink/defaultDirectory(environment:)``).
    public static func defaultFolderText(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return "$XDG_STATE_HOME/runbook/runs" }
        return "~/.local/state/runbook/runs"
    }

    /// The log `reference` names: an existing path, else a short id looked up in the default folder.
    public static func path(of reference: String, environment: [String: String]) throws(Problem) -> String {
        if FileManager.default.fileExists(atPath: reference) || reference.contains("/")
            || reference.wholeMatch(of: /[0-9a-f]{8}/) == nil
        {
            return reference
        }
        let folder = JSONLSink.defaultDirectory(environment: environment)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix("-\(reference).jsonl") }.sorted()
        guard names.count == 1, let name = names.first else {
            throw Problem(description: names.isEmpty
                ? "no file '\(reference)' and no log of run \(reference) in \(folder)"
                : "\(names.count) logs of run \(reference) in \(folder): give the path of one")
        }
        return folder + "/" + name
    }

    /// The `run-start` line (the first line) of the log at `path`.
    public static func start(ofLog path: String) throws(Problem) -> RunEvent {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Problem(description: "cannot read '\(path)'") }
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
