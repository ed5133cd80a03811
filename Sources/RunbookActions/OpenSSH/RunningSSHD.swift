import RunbookCore

/// The sshd that runs in the VM, found from the port it listens on, and the settings it applies to one
/// connection. Everything goes through the VM's ``Executor``.
///
/// How it is found: the LISTEN sockets of `/proc/net/tcp` and `/proc/net/tcp6` on the port give socket
/// inodes; the process whose `/proc/PID/fd` links to `socket:[INODE]` holds it. When nothing listens
/// on the port, an `sshd` process of the VM's network namespace that listens elsewhere (or at all) is
/// taken instead. Its command line gives `-f CONFIG`, each `-o OPTION` and `-p PORT`; sshd rewrites
/// its title to `sshd: /usr/sbin/sshd -f FILE -o A B [listener] 0 of 10-100 startups`, so the words
/// are read back from that title (sshd takes no operands, so a word that is not an option belongs to
/// the value before it).
struct RunningSSHD: Sendable, Equatable {
    var pid: Int
    /// `/proc/PID/exe`, without a ` (deleted)` suffix.
    var executable: String
    /// Whether `/proc/PID/exe` said `(deleted)`: the binary was replaced after sshd started.
    var executableDeleted = false
    /// The command line, split back into words.
    var arguments: [String]
    /// `-f FILE`, or sshd's built-in `/etc/ssh/sshd_config`.
    var configPath: String
    var configFromCommandLine: Bool
    /// Each `-o OPTION` in order.
    var options: [String]
    /// Each `-p PORT` in order.
    var portOptions: [String]
    /// Seconds since the epoch when the process started (`/proc/PID/stat` field 22 and `btime`).
    var startTime: Int?
    /// The LISTEN sockets the process holds.
    var listening: [ListeningSocket]
    /// Whether it listens on the port asked for.
    var onPort: Bool

    static let defaultConfig = "/etc/ssh/sshd_config"

    /// The endpoints it listens on, `10.0.0.4:22, [::]:22`.
    var endpoints: String {
        listening.isEmpty ? "nothing" : listening.map(\.endpoint).joined(separator: ", ")
    }

    /// Ports it listens on, ascending.
    var ports: [Int] { Array(Set(listening.map(\.port))).sorted() }

    /// `sshd -f FILE -o ...` words that load the same configuration as the running daemon.
    var configArguments: [String] {
        ["-f", configPath] + options.flatMap { ["-o", $0] } + portOptions.flatMap { ["-p", $0] }
    }

    // MARK: Finding it

    /// Prints, for each process of the shell's network namespace that is named `sshd` or holds one of
    /// the socket inodes given as arguments: `pid`, `comm`, `exe`, `stat`, each `arg`, each `sock`, `end`.
    static let processScript = #"""
        me=$(readlink /proc/$$/ns/net)
        echo "btime $(sed -n 's/^btime //p' /proc/stat)"
        echo "hz $(getconf CLK_TCK 2>/dev/null)"
        for d in /proc/[0-9]*; do
          [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$me" ] || continue
          comm=$(cat "$d/comm" 2>/dev/null) || continue
          socks=$(find "$d/fd" -maxdepth 1 -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n')
          want=
          [ "$comm" = sshd ] && want=1
          if [ -z "$want" ]; then
            for i in $socks; do for w in "$@"; do [ "$i" = "$w" ] && want=1; done; done
          fi
          [ -n "$want" ] || continue
          echo "pid ${d#/proc/}"
          echo "comm $comm"
          echo "exe $(readlink "$d/exe" 2>/dev/null)"
          echo "stat $(cat "$d/stat" 2>/dev/null)"
          tr '\0' '\n' <"$d/cmdline" 2>/dev/null | while IFS= read -r a; do echo "arg $a"; done
          for i in $socks; do echo "sock $i"; done
          echo end
        done
        """#

    /// One process as the script printed it.
    struct ProcessRecord: Equatable, Sendable {
        var pid: Int
        var comm = ""
        var executable = ""
        var stat = ""
        var arguments: [String] = []
        var sockets: [String] = []
    }

    struct Scan: Sendable {
        var bootTime: Int?
        var ticksPerSecond = 100
        var processes: [ProcessRecord] = []
    }

    static func parseScan(_ text: String) -> Scan {
        var scan = Scan()
        var current: ProcessRecord?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts.first.map(String.init) ?? ""
            let value = parts.count > 1 ? String(parts[1]) : ""
            switch key {
            case "btime": scan.bootTime = Int(value)
            case "hz": if let hz = Int(value), hz > 0 { scan.ticksPerSecond = hz }
            case "pid": current = Int(value).map { ProcessRecord(pid: $0) }
            case "comm": current?.comm = value
            case "exe": current?.executable = value
            case "stat": current?.stat = value
            case "arg": current?.arguments.append(value)
            case "sock": current?.sockets.append(value)
            case "end":
                if let record = current { scan.processes.append(record) }
                current = nil
            default: break
            }
        }
        return scan
    }

    /// The LISTEN sockets of the VM, or an early error naming why `/proc/net/tcp` could not be read.
    static func listeningSockets(executor: any Executor, timeout: Duration) async throws -> [ListeningSocket] {
        do {
            return try await ListeningSocket.read(on: executor, timeout: timeout)
        } catch let unreadable as ListeningSocket.Unreadable {
            throw EarlyResult(.error("cannot read /proc/net/tcp in the VM: \(unreadable.reason)"))
        }
    }

    /// The sshd that serves `port`, or another running sshd when none listens there; `nil` when no
    /// sshd runs. `sockets` are the VM's LISTEN sockets (read once by the caller, or here).
    static func find(
        port: Int, executor: any Executor, timeout: Duration, sockets known: [ListeningSocket]? = nil
    ) async throws -> RunningSSHD? {
        let sockets: [ListeningSocket]
        if let known {
            sockets = known
        } else {
            sockets = try await listeningSockets(executor: executor, timeout: timeout)
        }
        let onPort = sockets.filter { $0.port == port }.map(\.inode)
        let output = try await executor.run(["sh", "-c", processScript, "sh"] + onPort, timeout: timeout)
        return choose(port: port, sockets: sockets, scan: parseScan(output.standardOutput))
    }

    /// Picks the daemon: an sshd holding a LISTEN socket on `port`; else an sshd holding any LISTEN
    /// socket; else the sshd with the lowest pid (the parent of its session processes).
    static func choose(port: Int, sockets: [ListeningSocket], scan: Scan) -> RunningSSHD? {
        let byInode = Dictionary(sockets.map { ($0.inode, $0) }, uniquingKeysWith: { first, _ in first })
        let daemons = scan.processes.filter { $0.comm == "sshd" }.sorted { $0.pid < $1.pid }
        func listens(_ record: ProcessRecord) -> [ListeningSocket] {
            record.sockets.compactMap { byInode[$0] }
        }
        let chosen =
            daemons.first { listens($0).contains { $0.port == port } }
            ?? daemons.first { !listens($0).isEmpty }
            ?? daemons.first
        guard let record = chosen else { return nil }
        return make(record, listening: listens(record), port: port, scan: scan)
    }

    static func make(_ record: ProcessRecord, listening: [ListeningSocket], port: Int, scan: Scan) -> RunningSSHD {
        var executable = record.executable
        var deleted = false
        if executable.hasSuffix(" (deleted)") {
            executable = String(executable.dropLast(" (deleted)".count))
            deleted = true
        }
        let words = commandWords(record.arguments)
        let parsed = parseCommandLine(words)
        var start: Int?
        if let boot = scan.bootTime, let ticks = startTicks(stat: record.stat) {
            start = boot + ticks / scan.ticksPerSecond
        }
        return RunningSSHD(
            pid: record.pid, executable: executable, executableDeleted: deleted, arguments: words,
            configPath: parsed.config ?? defaultConfig, configFromCommandLine: parsed.config != nil,
            options: parsed.options, portOptions: parsed.ports, startTime: start,
            listening: listening.sorted { ($0.port, $0.endpoint) < ($1.port, $1.endpoint) },
            onPort: listening.contains { $0.port == port })
    }

    /// Field 22 (`starttime`, clock ticks after boot) of `/proc/PID/stat`; the name in parentheses may
    /// hold spaces, so fields are counted after its closing parenthesis (field 3 onwards).
    static func startTicks(stat: String) -> Int? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? Int(fields[19]) : nil
    }

    /// The words of the command line: the real argv, or sshd's rewritten title split at spaces, with
    /// ` [listener] …` and the `sshd: ` prefix removed.
    static func commandWords(_ argv: [String]) -> [String] {
        guard argv.count == 1, argv[0].hasPrefix("sshd: ") else { return argv }
        var title = Substring(argv[0].dropFirst("sshd: ".count))
        if let marker = title.range(of: " [listener]") { title = title[..<marker.lowerBound] }
        return title.split(separator: " ").map(String.init)
    }

    /// `-f`, `-o` and `-p` from sshd's words (its getopt string `C:E:b:c:f:g:h:k:o:p:u:` and flags).
    /// A word that is neither an option nor an option's value continues the value before it (sshd
    /// accepts no operands; its title joins `-o "AllowUsers a b"` with spaces).
    static func parseCommandLine(_ words: [String]) -> (config: String?, options: [String], ports: [String]) {
        let takesValue = Set("CEbcfghkopu")
        var config: String?
        var options: [String] = []
        var ports: [String] = []
        var last: (flag: Character, index: Int)?
        var index = 1
        func store(_ flag: Character, _ value: String) {
            switch flag {
            case "f":
                config = value
                last = ("f", 0)
            case "o":
                options.append(value)
                last = ("o", options.count - 1)
            case "p":
                ports.append(value)
                last = ("p", ports.count - 1)
            default: last = (flag, 0)
            }
        }
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("-"), word.count > 1 else {
                // A continuation of the previous value.
                switch last?.flag {
                case "f": config = (config ?? "") + " " + word
                case "o": options[last!.index] += " " + word
                case "p": ports[last!.index] += " " + word
                default: break
                }
                continue
            }
            var letters = Substring(word.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                if takesValue.contains(letter) {
                    var value = String(letters)
                    if value.isEmpty && index < words.count {
                        value = words[index]
                        index += 1
                    }
                    store(letter, value)
                    break
                }
                last = nil
            }
        }
        return (config, options, ports)
    }
}

/// The effective settings of the running sshd (or of the file sshd would read) for one connection.
struct SSHDSettings: Sendable {
    /// `sshd -T` keyword (lower case) → values, one per output line.
    var settings: [String: [String]]
    /// The file read.
    var configPath: String
    /// The running daemon, `nil` when no sshd runs.
    var daemon: RunningSSHD?
    var pid: Int? { daemon?.pid }
    /// Which file was read and why, the daemon, the connection parameters, any staleness.
    var evidence: [String: String]
    /// Set when the file changed after the running sshd started ("edited, not restarted").
    var staleNote: String?

    subscript(keyword: String) -> [String] { settings[keyword] ?? [] }
}

extension RunningSSHD {
    /// Runs sshd from PATH or its usual places with the arguments given after the script.
    static let sshdScript = #"""
        for s in sshd /usr/sbin/sshd /usr/local/sbin/sshd; do
          if command -v "$s" >/dev/null 2>&1; then exec "$s" "$@"; fi
        done
        echo "sshd not found" >&2
        exit 127
        """#

    /// Runs the daemon's own binary when it is still there, else sshd from PATH.
    static func sshdCommand(_ daemon: RunningSSHD?, _ arguments: [String]) -> [String] {
        if let daemon, !daemon.executableDeleted, daemon.executable.hasPrefix("/") {
            return [daemon.executable] + arguments
        }
        return ["sh", "-c", sshdScript, "sh"] + arguments
    }

    /// The running daemon's settings for `user` connecting from `clientAddress` (the address as the VM
    /// sees it) to `port`: `sshd -T -f CONFIG [-o …] -C user=U,host=H,addr=A,lport=P`, so `Match`
    /// blocks apply. `host` is the client's name as sshd would see it; with `UseDNS no` (the default)
    /// sshd uses the address, so `nil` means the address. Without a client address, `Match Address`
    /// and `Match Host` blocks do not apply, and the evidence says so. When no sshd runs, the file sshd
    /// would read (`/etc/ssh/sshd_config`) is used and the evidence says so.
    ///
    /// Throws ``EarlyResult`` (`error`) when sshd cannot be run or rejects its configuration.
    static func effectiveSettings(
        port: Int, user: String?, clientAddress: String?, host: String? = nil, executor: any Executor,
        timeout: Duration
    ) async throws -> SSHDSettings {
        let daemon = try await find(port: port, executor: executor, timeout: timeout)
        return try await effectiveSettings(
            daemon: daemon, port: port, user: user, clientAddress: clientAddress, host: host, executor: executor,
            timeout: timeout)
    }

    static func effectiveSettings(
        daemon: RunningSSHD?, port: Int, user: String?, clientAddress: String?, host: String? = nil,
        executor: any Executor, timeout: Duration, configOverride: String? = nil
    ) async throws -> SSHDSettings {
        var evidence = describe(daemon, port: port)
        let configPath = configOverride ?? daemon?.configPath ?? defaultConfig
        var arguments = daemon?.configArguments ?? ["-f", configPath]
        if let configOverride { arguments = ["-f", configOverride] }
        evidence["config"] = configPath
        var connection: [String] = []
        if let user {
            if user.contains(",") { throw EarlyResult(.error("user: '\(user)' must not contain ','")) }
            connection.append("user=\(user)")
        }
        if let clientAddress {
            connection += ["host=\(host ?? clientAddress)", "addr=\(clientAddress)"]
        } else {
            evidence["match-note"] = "client address unknown: Match Address/Host blocks not applied"
        }
        if !connection.isEmpty { connection.append("lport=\(port)") }
        if !connection.isEmpty {
            arguments += ["-C", connection.joined(separator: ",")]
            evidence["connection"] = connection.joined(separator: ",")
        }
        let stale = try await staleness(daemon, configPath: configPath, executor: executor, timeout: timeout)
        if let stale { evidence["stale"] = stale }
        let output = try await executor.run(sshdCommand(daemon, ["-T"] + arguments), timeout: timeout)
        if output.exitCode == 127 { throw EarlyResult(.error("sshd not found in the VM", evidence: evidence)) }
        guard output.succeeded else {
            let message = firstError(output.standardError, path: configPath)
            evidence["error"] = message
            var summary = "sshd -T on \(configPath) failed: \(message)"
            if daemon != nil {
                summary =
                    "the running sshd's settings cannot be read: \(configPath) is invalid now"
                    + (stale != nil ? " (edited after sshd started)" : "") + ": \(message)"
            }
            throw EarlyResult(.error(summary, evidence: evidence))
        }
        return SSHDSettings(
            settings: OpenSSHSettings.parse(output.standardOutput), configPath: configPath, daemon: daemon,
            evidence: evidence, staleNote: stale)
    }

    /// Evidence naming the daemon (or its absence) and the file read.
    static func describe(_ daemon: RunningSSHD?, port: Int) -> [String: String] {
        guard let daemon else {
            return ["sshd": "none running", "config-source": "no sshd runs: the file sshd would read"]
        }
        var evidence = [
            "sshd": "pid \(daemon.pid) \(daemon.executable)\(daemon.executableDeleted ? " (deleted)" : "")",
            "sshd-listens": daemon.endpoints,
            "sshd-command": daemon.arguments.joined(separator: " ").truncated(to: 300),
            "config-source": daemon.configFromCommandLine
                ? "-f on the running sshd's command line" : "the running sshd's default (no -f)",
        ]
        if !daemon.options.isEmpty { evidence["sshd-options"] = daemon.options.joined(separator: "; ") }
        if !daemon.onPort {
            evidence["sshd-note"] = "no sshd listens on port \(port); this one listens on \(daemon.endpoints)"
        }
        return evidence
    }

    /// "edited, not restarted" when the file's mtime is after the process started.
    static func staleness(
        _ daemon: RunningSSHD?, configPath: String, executor: any Executor, timeout: Duration
    ) async throws -> String? {
        guard let daemon, let start = daemon.startTime else { return nil }
        let output = try await executor.run(["stat", "-L", "-c", "%Y", "--", configPath], timeout: timeout)
        guard output.succeeded, let modified = Int(output.standardOutput.trimmedLine) else { return nil }
        // The start time is whole seconds from btime and clock ticks, each rounded: allow 2 s.
        guard modified > start + 2 else { return nil }
        return "\(configPath) changed after sshd (pid \(daemon.pid)) started: edited, not restarted; "
            + "the running sshd still uses the settings it loaded then"
    }

    /// `line 12: Bad configuration option: Foo` from `/etc/ssh/sshd_config: line 12: ...`.
    static func firstError(_ standardError: String, path: String) -> String {
        guard let line = standardError.nonEmptyLines.first else { return "sshd exited with an error" }
        return line.hasPrefix(path + ": ") ? String(line.dropFirst(path.count + 2)) : line
    }
}
