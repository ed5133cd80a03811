import Foundation
import RunbookRunner
import Synchronization

/// `runbook site`'s progress: one line on a terminal, rewritten in place, once the build has
/// taken more than a second; nothing at all when standard error is not a terminal.
final class SiteProgress: Sendable {
    private struct State {
        var shown = false
        var lastDraw = 0.0
    }

    private let output = FileOutput.standardError
    private let start = Date()
    private let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool = FileOutput.standardError.isTerminal) {
        self.enabled = enabled
    }

    /// Redraws the line (at most ten times a second) once a second has passed.
    func update(done: Int, total: Int) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed > 1 else { return }
        let line: String? = state.withLock { state in
            guard done == total || elapsed - state.lastDraw >= 0.1 else { return nil }
            state.lastDraw = elapsed
            state.shown = true
            return String(
                format: "\r\u{1B}[Kbuilding the site: %d of %d pages (%d%%), %.0f s",
                done, total, total > 0 ? done * 100 / total : 100, elapsed)
        }
        if let line { output.write(line) }
    }

    /// Clears the line, if one was shown.
    func finish() {
        let shown = state.withLock { $0.shown }
        if shown { output.write("\r\u{1B}[K") }
    }
}
