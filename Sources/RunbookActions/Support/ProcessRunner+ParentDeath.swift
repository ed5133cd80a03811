import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// On Linux a child started by runbook also stops when runbook itself is killed (`kill -9`, the
/// OOM killer), through two programs of Debian's essential set:
///
/// ```sh
/// setpriv --pdeathsig TERM -- timeout --kill-after=0.5s 0 /usr/bin/ssh …
/// ```
///
/// `setpriv` (util-linux) sets the parent-death signal and execs `timeout` (coreutils) in the
/// same process, which runs the command as its child in its own process group (the session
/// swift-subprocess made) and, when that signal comes, sends SIGTERM to the command and to the
/// whole group, then SIGKILL after half a second if the command is still there: the same stop as
/// a timeout's. So not only the direct child (`ssh`, the `sh` of a fix) goes, but also what it
/// started (the fix's own shell, its `sleep`, a subshell). A duration of `0` means `timeout`
/// never times out by itself; exit codes and signals of the command come through unchanged.
///
/// The parent-death signal fires when the thread that forked the child ends. swift-subprocess
/// forks on its one background worker thread (`runOnBackgroundThread`), which lives until the
/// process exits, so the signal comes when runbook dies, not when a pool thread is retired.
extension ProcessRunner {
    /// The words to put before an absolute program path, or nil where the tools are missing or
    /// too old (no `--pdeathsig`) or the system is not Linux: then children are started plainly.
    /// Decided once, by running the wrapper one time.
    static let parentDeathPrefix = Task<[String]?, Never> {
        #if os(Linux)
            guard let setpriv = try? await Executable.name("setpriv").resolveExecutablePath(in: .inherit),
                let timeout = try? await Executable.name("timeout").resolveExecutablePath(in: .inherit)
            else { return nil }
            let prefix = [setpriv.string, "--pdeathsig", "TERM", "--", timeout.string, "--kill-after=0.5s", "0"]
            let probe = Configuration(
                executable: .path(setpriv),
                arguments: Subprocess.Arguments(Array(prefix.dropFirst()) + [timeout.string, "--version"]))
            guard let result = try? await Subprocess.run(probe, output: .discarded, error: .discarded),
                result.terminationStatus == .exited(0)
            else { return nil }
            return prefix
        #else
            return nil
        #endif
    }

    /// `argv` started through ``parentDeathPrefix`` when that is available and the program is found
    /// in the child's PATH as a regular executable file that the kernel runs itself (ELF or `#!`).
    /// Otherwise `nil`: the plain spawn then fails or succeeds exactly as it always did (a missing
    /// program is still ``ExecutorError/notFound(_:)``).
    static func guardedConfiguration(
        _ executable: Executable, arguments: [String], environment: Environment, options: PlatformOptions
    ) async -> Configuration? {
        guard let prefix = await parentDeathPrefix.value,
            let path = try? await executable.resolveExecutablePath(in: environment),
            startsDirectly(path.string)
        else { return nil }
        return Configuration(
            executable: .path(FilePath(prefix[0])),
            arguments: Subprocess.Arguments(Array(prefix.dropFirst()) + [path.string] + arguments),
            environment: environment, platformOptions: options)
    }

    /// A regular file (after symlinks) we may execute whose first bytes are an ELF header or `#!`.
    /// `timeout` starts its command with `execvp`, which hands any other file to `/bin/sh`; a
    /// plain spawn refuses it.
    static func startsDirectly(_ path: String) -> Bool {
        var status = stat()
        guard FileManager.default.isExecutableFile(atPath: path), stat(path, &status) == 0,
            status.st_mode & S_IFMT == S_IFREG,
            let file = FileHandle(forReadingAtPath: path)
        else { return false }
        defer { try? file.close() }
        let head = (try? file.read(upToCount: 4)).map { [UInt8]($0) } ?? []
        return head.starts(with: [0x7F, 0x45, 0x4C, 0x46]) || head.starts(with: [0x23, 0x21])
    }
}
