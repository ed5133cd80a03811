import Foundation

/// The text an executor feeds to `sh -s` to run a fix: the environment, the secret files and the
/// script itself travel on standard input, never in an argument.
///
/// ```sh
/// __runbook_dir=$(umask 077 && mktemp -d) || exit 125   # a folder of mode 0700
/// trap 'rm -rf "$__runbook_dir"' EXIT                    # gone when the fix ends, however it ends
/// export VM='vm1'                                        # one line per variable, single-quoted
/// (umask 077 && printf '%s' '…' >"$__runbook_dir/1") || exit 125   # printf is a builtin: no argv
/// export NEW_PASSWORD_FILE="$__runbook_dir/1"
/// cat >"$__runbook_dir/fix" <<'__RUNBOOK_FIX_…'          # the script, unexpanded
/// …
/// __RUNBOOK_FIX_…
/// sh "$__runbook_dir/fix" </dev/null                     # its stdin is not the rest of this text
/// ```
///
/// Running the script from a file, not from the rest of standard input, means a command of the
/// fix that reads standard input cannot swallow the script's later lines, and an `exit` in the
/// fix still leaves the clean-up to the outer shell.
enum ScriptPayload {
    static func make(
        _ script: String, shell: String, environment: [String: String], files: [String: String], trailer: String = ""
    ) -> String {
        var lines = [
            "__runbook_dir=$(umask 077 && mktemp -d) || exit 125",
            "trap 'rm -rf \"$__runbook_dir\"' EXIT",
            "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM",
        ]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            lines.append("export \(name)=\(ShellQuote.quote(value))")
        }
        for (number, entry) in files.sorted(by: { $0.key < $1.key }).enumerated() {
            lines.append(
                "(umask 077 && printf '%s' \(ShellQuote.quote(entry.value)) >\"$__runbook_dir/\(number)\") || exit 125")
            lines.append("export \(entry.key)=\"$__runbook_dir/\(number)\"")
        }
        var delimiter = "__RUNBOOK_FIX_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        while script.split(separator: "\n").contains(where: { $0 == delimiter }) { delimiter += "_" }
        lines.append("cat >\"$__runbook_dir/fix\" <<'\(delimiter)'")
        lines.append(script.hasSuffix("\n") ? String(script.dropLast()) : script)
        lines.append(delimiter)
        lines.append("\(ShellQuote.quote(shell)) \"$__runbook_dir/fix\" </dev/null")
        if !trailer.isEmpty { lines.append(trailer) }
        return lines.joined(separator: "\n") + "\n"
    }
}
