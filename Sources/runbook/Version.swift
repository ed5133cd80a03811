/// The one place the version of `runbook` is written: `runbook --version` prints it. Raise it
/// with each release (the log's format has its own version, `v` in every event).
enum RunbookVersion {
    static let current = "0.9.0"
}
