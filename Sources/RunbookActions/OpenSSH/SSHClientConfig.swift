import RunbookCore

/// `ssh-client-config`: the client's effective ssh settings for a host (`ssh -G`), compared with the
/// port and user the runbook expects, and the proxy (ProxyCommand or ProxyJump) tried for real.
///
/// `ssh -G` runs as the login does: the user's own `~/.ssh/config` (home from passwd) or `-F config`,
/// `-p port`, `-l user`, `--` before the host. A configuration ssh refuses (bad owner or mode, a syntax
/// error) is a finding with the file and line ssh names.
struct SSHClientConfig: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "ssh-client-config",
            summary: "Reads the effective ssh client settings for a host and tries its proxy.",
            arguments: [
                ArgumentSpec("host", .string, required: true, help: "Host as the user types it after ssh."),
                ArgumentSpec("port", .port, help: "The port the login uses (ssh -G -p)."),
                ArgumentSpec("user", .string, help: "The user the login uses (ssh -G -l)."),
                ArgumentSpec("identity", .string, help: "A private key passed as -i."),
                ArgumentSpec("config", .string, help: "ssh client configuration file, passed as -F."),
            ],
            example: "check ssh-client-config host={{host}} port=22 user={{user}}")
    }

    /// Runs `$1` (an expanded ProxyCommand) for at most `$2` seconds with a standard input that stays open
    /// and empty (a FIFO it holds itself), and stops as soon as it printed a first line.
    static let proxyScript = #"""
        d=$(mktemp -d) || exit 125
        trap 'rm -rf "$d"' EXIT
        mkfifo "$d/in" && : >"$d/out" && : >"$d/err" || exit 125
        timeout -k 1 "$2" sh -c "$1" 0<>"$d/in" >"$d/out" 2>"$d/err" &
        pid=$!
        i=0
        while kill -0 "$pid" 2>/dev/null && [ "$(wc -l <"$d/out")" -eq 0 ] && [ $i -lt $(($2 * 50)) ]; do
          sleep 0.02; i=$((i + 1))
        done
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        head -c 256 "$d/out"
        head -c 512 "$d/err" >&2
        """#

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let host = try arguments.string("host")
        try requireNotOption(host, argument: "host")
        let wantedPort = try arguments.optional("port").map { _ in try arguments.port("port") }
        let wantedUser = arguments.optional("user")
        // As the login runs it: the user's own config (or -F), -p and -l; a config ssh refuses is the finding.
        let config = try await SSHEffectiveConfig.read(
            host: host, port: wantedPort, user: wantedUser, config: arguments.optional("config"),
            identity: arguments.optional("identity"), context: context, problemStatus: .fail)
        func first(_ key: String) -> String { config.first(key) }
        let port = first("port")
        let user = first("user")
        let proxyCommand = first("proxycommand")
        let proxyJump = first("proxyjump")
        var evidence = [
            "hostname": first("hostname"), "port": port, "user": user,
            "identityfile": config.identityFiles.joined(separator: ", "),
            "proxycommand": proxyCommand, "proxyjump": proxyJump,
            "userknownhostsfile": first("userknownhostsfile"),
            "stricthostkeychecking": first("stricthostkeychecking"),
            "command": config.command,
        ]
        let basics = "port \(port), user \(user)"
        // The VM was named by its address, and the config sends ssh to another one (a `HostName`
        // in a `Host` or `Match` block): every connection goes to the wrong machine. (A name given
        // as host may be an alias whose HostName is the point; that is only reported.)
        let hostName = first("hostname")
        if IPAddress(host) != nil, let target = IPAddress(hostName), target != IPAddress(host) {
            return .fail(
                "the ssh configuration sends \(host) to \(hostName) (HostName): ssh connects to another machine",
                evidence: evidence)
        }
        if !hostName.isEmpty && hostName != host { evidence["note"] = "HostName \(hostName) for \(host)" }
        if !proxyCommand.isEmpty && proxyCommand != "none" {
            let expanded = Self.expand(proxyCommand, host: first("hostname"), port: port, user: user, alias: host)
            let seconds = max(1, min(3, context.timeoutSeconds))
            let probe = try await context.local.run(
                ["sh", "-c", Self.proxyScript, "sh", expanded, String(seconds)], timeout: .seconds(seconds + 3))
            let answer = probe.standardOutput.nonEmptyLines.first ?? ""
            evidence["proxy-answer"] = answer.truncated(to: 120)
            if answer.hasPrefix("SSH-") {
                return .pass("\(basics), ProxyCommand reaches \(answer)", evidence: evidence)
            }
            let why =
                probe.standardError.trimmedLine.isEmpty
                ? (answer.isEmpty ? "no output" : "it answered '\(answer.truncated(to: 40))'")
                : probe.standardError.trimmedLine
            return .fail("ProxyCommand '\(proxyCommand)' reaches no SSH server: \(why)", evidence: evidence)
        }
        if !proxyJump.isEmpty && proxyJump != "none" {
            let (jumpHost, jumpPort) = Self.firstJump(proxyJump)
            let script = #"exec 3<>"/dev/tcp/$1/$2""#
            let seconds = max(1, min(3, context.timeoutSeconds))
            let probe = await runCapturing(
                context.local, ["timeout", String(seconds), "bash", "-c", script, "bash", jumpHost, String(jumpPort)],
                timeout: .seconds(seconds + 2))
            guard case .success(let result) = probe, result.succeeded else {
                let reason: String
                if case .success(let result) = probe {
                    reason =
                        result.exitCode == 124 ? "timed out" : result.standardError.nonEmptyLines.last ?? "unreachable"
                } else {
                    reason = "could not probe"
                }
                return .fail("jump host \(jumpHost):\(jumpPort) does not answer: \(reason)", evidence: evidence)
            }
            return .pass("\(basics), via jump host \(jumpHost):\(jumpPort) (reachable)", evidence: evidence)
        }
        return .pass("\(basics), no proxy", evidence: evidence)
    }

    /// ssh's tokens in a ProxyCommand: `%h` host name, `%p` port, `%r` user, `%n` the host as typed, `%%`.
    static func expand(_ command: String, host: String, port: String, user: String, alias: String) -> String {
        SSHEffectiveConfig.expandTokens(command, ["h": host, "p": port, "r": user, "n": alias])
    }

    /// The first hop of `[user@]host[:port][,next...]` (also `ssh://user@host:port`, `[::1]:22`).
    static func firstJump(_ proxyJump: String) -> (host: String, port: Int) {
        var hop = String(proxyJump.split(separator: ",").first ?? "")
        if hop.hasPrefix("ssh://") { hop.removeFirst(6) }
        if let at = hop.lastIndex(of: "@") { hop = String(hop[hop.index(after: at)...]) }
        if hop.hasPrefix("["), let close = hop.firstIndex(of: "]") {
            let host = String(hop[hop.index(after: hop.startIndex)..<close])
            let rest = hop[hop.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 22 : 22)
        }
        if let colon = hop.lastIndex(of: ":"), hop.filter({ $0 == ":" }).count == 1 {
            return (String(hop[..<colon]), Int(hop[hop.index(after: colon)...]) ?? 22)
        }
        return (hop, 22)
    }
}
