/// Scans a VM's serial console log for the lines that explain a VM that does not answer.
///
/// Only the last boot counts: the log is read from the last kernel banner (`Linux version …`) on,
/// since the boot diagnostics blob keeps earlier boots too. ANSI colour codes and carriage returns
/// are removed first (systemd colours `[FAILED]`). A pattern with `resolvedBy` is cleared when such
/// a line follows its match (sshd failed once and was started later, e.g. after `ssh-keygen -A`).
struct BootLogScanner: Sendable {
    struct Pattern: Sendable {
        var name: String
        var finding: String
        var expressions: [String]
        var resolvedBy: [String] = []
    }

    struct Match: Sendable, Equatable {
        var pattern: String
        var finding: String
        /// 1-based line number in the whole log.
        var lineNumber: Int
        var line: String
    }

    static let sshdStarted = [
        #"Started (OpenBSD Secure Shell server|OpenSSH server daemon|OpenSSH Daemon|ssh\.service|sshd\.service)"#,
        #"sshd\[\d+\]: Server listening on "#, #"^Server listening on "#,
    ]

    /// In the order of what stops a boot first; the first match is the finding.
    static let patterns: [Pattern] = [
        Pattern(
            name: "kernel-panic", finding: "The kernel panicked during boot, so the VM never comes up",
            expressions: [#"Kernel panic - not syncing"#, #"---\[ end Kernel panic"#]),
        Pattern(
            name: "fsck-needs-input",
            finding: "The boot stopped for a manual file system check (fsck) that waits for input at the console",
            expressions: [
                #"UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY"#, #"requires a manual fsck"#,
                #"fsck exited with status code [4-9]"#, #"Failed to start (systemd-fsck|File System Check)"#,
            ]),
        Pattern(
            name: "emergency-mode",
            finding:
                "The VM booted into emergency mode (often a bad /etc/fstab entry or a missing disk), so no network service starts",
            expressions: [
                #"You are in emergency mode"#, #"Welcome to emergency mode"#, #"Entering emergency mode"#,
                #"Give root password for maintenance"#, #"Dependency failed for (Local File Systems|/)"#,
                #"Dropping to debug shell"#, #"dracut-initqueue timeout"#,
            ]),
        Pattern(
            name: "out-of-disk", finding: "A file system of the VM is full (No space left on device)",
            expressions: [#"No space left on device"#]),
        Pattern(
            name: "sshd-no-host-keys",
            finding:
                "sshd has no host keys and exits, so nothing listens on the SSH port (regenerate them: ssh-keygen -A)",
            expressions: [#"no hostkeys available"#], resolvedBy: sshdStarted),
        Pattern(
            name: "sshd-failed", finding: "The SSH service failed to start",
            expressions: [
                #"Failed to start (OpenBSD Secure Shell server|OpenSSH server daemon|OpenSSH Daemon|ssh\.service|sshd\.service)"#,
                #"\bsshd?\.service: (Main process exited, code=exited, status=255|Failed with result)"#,
            ], resolvedBy: sshdStarted),
        Pattern(
            name: "cloud-init-failed",
            finding: "cloud-init failed, so provisioning (the user, its SSH key, the host keys) may be incomplete",
            expressions: [
                #"Failed to start .*cloud-init"#,
                #"Failed to start (Apply the settings specified in cloud-config|Execute cloud user/final scripts)"#,
                #"cloud-init(\[\d+\])?: .*(\[CRITICAL\]|Traceback \(most recent call last\))"#,
                #"cloud-init\.service: (Main process exited, code=exited, status=[1-9]|Failed with result)"#,
            ]),
        Pattern(
            name: "agent-failed",
            finding:
                "The Azure Linux Agent (walinuxagent) failed, so extensions such as VMAccess (the SSH resets) cannot run",
            expressions: [
                #"Failed to start (Microsoft )?Azure Linux Agent"#,
                #"\b(walinuxagent|waagent)\.service: (Main process exited, code=exited, status=[1-9]|Failed with result)"#,
            ]),
    ]

    /// Every pattern that matches the last boot, first occurrence each, in pattern order.
    static func scan(_ log: String) -> [Match] {
        let lines = clean(log)
        let start = lastBootStart(lines)
        var matches: [Match] = []
        for pattern in patterns {
            let expressions = pattern.expressions.compactMap { try? Regex($0).ignoresCase() }
            let resolvers = pattern.resolvedBy.compactMap { try? Regex($0).ignoresCase() }
            var found: Match?
            for index in start..<lines.count {
                let line = lines[index]
                if found == nil {
                    if expressions.contains(where: { line.contains($0) }) {
                        found = Match(
                            pattern: pattern.name, finding: pattern.finding, lineNumber: index + 1,
                            line: line.trimmingCharacters(in: " ").truncated(to: 240))
                    }
                } else if resolvers.contains(where: { line.contains($0) }) {
                    found = nil
                }
            }
            if let found { matches.append(found) }
        }
        return matches
    }

    /// The log's lines without ANSI escape sequences and carriage returns.
    static func clean(_ log: String) -> [String] {
        let escape = try? Regex(#"\x1B\[[0-9;?]*[A-Za-z]"#)
        return log.split(separator: "\n", omittingEmptySubsequences: false).map { raw in
            var line = String(raw).filter { $0 != "\r" }
            if let escape { line = line.replacing(escape, with: "") }
            return line
        }
    }

    /// The index of the last kernel banner, or 0.
    static func lastBootStart(_ lines: [String]) -> Int {
        guard let banner = try? Regex(#"(^|\] )Linux version \d"#) else { return 0 }
        return lines.lastIndex { $0.contains(banner) } ?? 0
    }
}
