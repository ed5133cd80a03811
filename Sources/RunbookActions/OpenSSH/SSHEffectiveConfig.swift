import Foundation
import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

/// The client's effective ssh settings for one destination, read the way `ssh` reads them:
/// `ssh -G [-F FILE] [-i KEY] [-p PORT] [-l USER] -- HOST`. Without `-F`, ssh reads `~/.ssh/config`
/// of the home the passwd database gives the running user (not `$HOME`), then `/etc/ssh/ssh_config`.
struct SSHEffectiveConfig: Sendable {
    /// Lower-case keyword → values, in the order `ssh -G` printed them.
    var settings: [String: [String]]
    /// The home ssh expands `~` with: the passwd entry of the running user.
    var home: String
    var localUser: String
    /// The `ssh -G` command line, for evidence.
    var command: String

    func first(_ key: String) -> String { settings[key]?.first ?? "" }

    /// A setting that may be `none` (ProxyCommand, ProxyJump, HostKeyAlias): nil when unset.
    func optional(_ key: String) -> String? {
        let value = first(key)
        return value.isEmpty || value == "none" ? nil : value
    }

    var hostName: String { first("hostname") }
    var port: Int { Int(first("port")) ?? 22 }
    var user: String { first("user") }

    /// The identity files, `~` and `%` tokens expanded as ssh does when it loads them.
    var identityFiles: [String] { (settings["identityfile"] ?? []).map(expand) }

    /// True when no IdentityFile was configured or given: ssh -G then lists its defaults.
    var identityFilesAreDefaults: Bool {
        (settings["identityfile"] ?? []) == Self.defaultIdentityFiles
    }

    /// ssh's default identity files (OpenSSH 9: `fill_default_options` in readconf.c), in ssh -G's order.
    static let defaultIdentityFiles = [
        "~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk", "~/.ssh/id_ed25519", "~/.ssh/id_ed25519_sk",
        "~/.ssh/id_xmss", "~/.ssh/id_dsa",
    ]

    /// UserKnownHostsFile then GlobalKnownHostsFile (each may list several files), expanded, without
    /// `/dev/null` and `none`.
    var knownHostsFiles: [String] {
        var files: [String] = []
        for key in ["userknownhostsfile", "globalknownhostsfile"] {
            for value in settings[key] ?? [] {
                for word in value.split(separator: " ") {
                    let path = expand(String(word))
                    if path != "/dev/null" && path != "none" && !files.contains(path) { files.append(path) }
                }
            }
        }
        return files
    }

    /// `~/` and the tokens ssh expands in file names (`%d` home, `%u` local user, `%h` host name,
    /// `%r` remote user, `%p` port, `%i` uid, `%%`).
    func expand(_ path: String) -> String {
        var text = path
        if text == "~" { text = home } else if text.hasPrefix("~/") { text = home + text.dropFirst(1) }
        guard text.contains("%") else { return text }
        return Self.expandTokens(
            text,
            [
                "d": home, "u": localUser, "h": hostName, "r": user, "p": String(port), "i": String(getuid()),
            ])
    }

    /// ssh's `%x` tokens replaced from `values` (`%%` is a percent; an unknown token stays as written).
    static func expandTokens(_ text: String, _ values: [Character: String]) -> String {
        var result = ""
        var percent = false
        for character in text {
            if percent {
                if character == "%" {
                    result += "%"
                } else if let value = values[character] {
                    result += value
                } else {
                    result += "%" + String(character)
                }
                percent = false
            } else if character == "%" {
                percent = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// What went wrong when ssh could not read its configuration.
    struct Problem: Equatable, Sendable {
        enum Kind: String, Sendable {
            /// "Bad owner or permissions on FILE" (readconf.c: a user config must be owned by the user or
            /// root and not writable by group or others).
            case badPermissions = "config bad permissions"
            /// "FILE: line N: Bad configuration option: X", "FILE line N: no argument after keyword".
            case syntax = "config syntax error"
            /// "Can't open user config file FILE: ..." (an `-F` file that cannot be read).
            case unreadable = "config unreadable"
        }

        var kind: Kind
        var file: String
        var line: Int?
        var message: String

        var location: String { line.map { "\(file):\($0)" } ?? file }
    }

    /// The configuration problem ssh's standard error reports, if any (OpenSSH readconf.c wording).
    static func problem(in standardError: String) -> Problem? {
        for line in standardError.nonEmptyLines {
            if let range = line.range(of: "Bad owner or permissions on ") {
                return Problem(kind: .badPermissions, file: String(line[range.upperBound...]), line: nil, message: line)
            }
            if let range = line.range(of: "Can't open user config file ") {
                let rest = line[range.upperBound...]
                let file = rest.range(of: ": ").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
                return Problem(kind: .unreadable, file: file, line: nil, message: line)
            }
            // "FILE: line 8: Bad configuration option: x" or "FILE line 2: no argument after keyword \"port\"".
            var searchStart = line.startIndex
            while let range = line.range(of: " line ", range: searchStart..<line.endIndex) {
                searchStart = range.upperBound
                var file = String(line[..<range.lowerBound])
                if file.hasSuffix(":") { file.removeLast() }
                let rest = line[range.upperBound...]
                let digits = rest.prefix(while: \.isNumber)
                guard !file.isEmpty, !digits.isEmpty, let number = Int(digits),
                    rest.dropFirst(digits.count).hasPrefix(":")
                else { continue }
                let message = rest.dropFirst(digits.count + 1).trimmingCharacters(in: .whitespaces)
                // readconf.c ends with "FILE: terminating, N bad configuration options"; its direct fatals
                // name the keyword. A shell's "/bin/bash: line 1: ..." (a ProxyCommand) is neither.
                guard
                    standardError.contains("\(file): terminating")
                        || message.localizedCaseInsensitiveContains("keyword")
                        || message.localizedCaseInsensitiveContains("configuration option")
                else { continue }
                return Problem(kind: .syntax, file: file, line: number, message: message)
            }
        }
        return nil
    }

    /// Runs `ssh -G`. A configuration ssh refuses is thrown as a result with `problemStatus` (a finding for
    /// the step that owns the config, an `error` for the steps that only need the settings); any other
    /// failure of `ssh -G` is an `error`. Never a pass.
    static func read(
        host: String, port: Int?, user: String?, config: String?, identity: String?, context: CheckContext,
        problemStatus: CheckResult.Status = .error
    ) async throws(EarlyResult) -> SSHEffectiveConfig {
        try requireNotOption(host, argument: "host")
        if let user { try requireNotOption(user, argument: "user") }
        var argv = ["ssh", "-G"]
        if let config { argv += ["-F", context.expandingTilde(config)] }
        if let identity { argv += ["-i", context.expandingTilde(identity)] }
        if let port { argv += ["-p", String(port)] }
        if let user { argv += ["-l", user] }
        argv += ["--", host]
        let command = argv.joined(separator: " ")
        let output: ProcessOutput
        switch await runCapturing(context.local, argv, timeout: context.timeout) {
        case .success(let finished): output = finished
        case .failure(.notFound): throw EarlyResult(.error("ssh (the OpenSSH client) is not installed"))
        case .failure(let failure): throw EarlyResult(.error("ssh -G: \(failure.description)"))
        }
        let (home, localUser) = passwdEntry()
        guard output.succeeded else {
            var evidence = [
                "command": command, "stderr": output.standardError.nonEmptyLines.prefix(3).joined(separator: "\n"),
            ]
            guard let problem = problem(in: output.standardError) else {
                throw EarlyResult(.error("ssh -G failed: \(output.standardError.trimmedLine)", evidence: evidence))
            }
            evidence["class"] = problem.kind.rawValue
            evidence["file"] = problem.location
            var summary: String
            switch problem.kind {
            case .badPermissions:
                summary = "ssh refuses \(problem.file): bad owner or permissions"
                if let stat = try? await context.local.run(
                    ["stat", "-c", "%a %U", "--", problem.file], timeout: context.timeout),
                    stat.succeeded
                {
                    let fields = stat.standardOutput.trimmedLine.split(separator: " ")
                    if fields.count == 2 {
                        evidence["mode"] = String(fields[0])
                        evidence["owner"] = String(fields[1])
                        summary += " (mode \(fields[0]), owner \(fields[1]))"
                    }
                }
                summary +=
                    "; it must belong to \(localUser == "root" ? "root" : "\(localUser) or root")"
                    + " and not be writable by group or others (chown \(localUser) FILE; chmod go-w FILE)"
            case .syntax:
                summary = "ssh cannot read its configuration: \(problem.location): \(problem.message)"
            case .unreadable:
                summary = "ssh cannot open its configuration: \(problem.message)"
            }
            if problemStatus != .fail { summary += " (see client-ssh-config)" }
            throw EarlyResult(CheckResult(problemStatus, summary, evidence: evidence))
        }
        return SSHEffectiveConfig(
            settings: OpenSSHSettings.parse(output.standardOutput), home: home, localUser: localUser,
            command: command)
    }

    /// The home directory and name of the running user from the passwd database, as ssh takes them
    /// (`getpwuid(getuid())`; ssh ignores `$HOME` for `~/.ssh`).
    static func passwdEntry() -> (home: String, user: String) {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        return buffer.withUnsafeMutableBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return ("/", String(getuid())) }
            let status = getpwuid_r(getuid(), &entry, base, bytes.count, &result)
            guard status == 0, result != nil, let directory = entry.pw_dir, let name = entry.pw_name else {
                return ("/", String(getuid()))
            }
            return (String(cString: directory), String(cString: name))
        }
    }
}
