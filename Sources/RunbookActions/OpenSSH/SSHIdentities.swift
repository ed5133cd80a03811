import Foundation
import RunbookCore

#if canImport(Glibc)
    import Glibc
#endif

/// What ssh makes of its identity files when it loads them for a login: OpenSSH's
/// `load_identity_file` (sshconnect2.c) and `sshkey_perm_ok` (authfile.c).
///
/// - a file named by `IdentityFile` or `-i` that does not exist: "no such identity" (the key is skipped);
/// - a key owned by the running user with any group or other bit (`mode & 077`): "UNPROTECTED PRIVATE
///   KEY FILE", the key is ignored (a key owned by someone else is not checked, only read);
/// - a key the user cannot read: `Load key "F": Permission denied`;
/// - a key with a passphrase: in batch mode ssh cannot ask for it and skips the key, silently,
///   unless an agent holds it.
enum SSHIdentities {
    enum Problem: String, Sendable {
        case missing = "identity missing"
        case unreadable = "identity unreadable"
        case badPermissions = "bad key permissions"
        case passphrase = "key needs passphrase"
        case unusable = "identity unusable"
        case none = "no identity"
    }

    struct Finding: Sendable {
        var problem: Problem
        var file: String
        var summary: String
        var evidence: [String: String]
    }

    /// The first identity file ssh cannot use, and a line per file checked.
    static func inspect(_ config: SSHEffectiveConfig, context: CheckContext) async throws(EarlyResult)
        -> (finding: Finding?, checked: [String])
    {
        let explicit = !config.identityFilesAreDefaults
        var checked: [String] = []
        var agentKeys: [String]?
        func agent() async -> [String] {
            if let agentKeys { return agentKeys }
            var blobs: [String] = []
            if let socket = context.environment["SSH_AUTH_SOCK"], !socket.isEmpty,
                let listed = try? await context.local.run(["ssh-add", "-L"], timeout: context.timeout), listed.succeeded
            {
                blobs = listed.standardOutput.nonEmptyLines.compactMap { line in
                    let words = line.split(separator: " ")
                    return words.count >= 2 ? String(words[1]) : nil
                }
            }
            agentKeys = blobs
            return blobs
        }
        let uid = Int(getuid())
        for file in config.identityFiles {
            let stat = try await run(["stat", "-L", "-c", "%u %U %a", "--", file], context)
            guard stat.succeeded else {
                if stat.standardError.contains("No such file") {
                    guard explicit else { continue }
                    return (
                        Finding(
                            problem: .missing, file: file,
                            summary:
                                "identity file \(file) does not exist (ssh: \"no such identity\"), so ssh offers no key from it",
                            evidence: [
                                "file": file, "class": Problem.missing.rawValue,
                                "identityfiles": config.identityFiles.joined(separator: ", "),
                            ]),
                        checked
                    )
                }
                throw EarlyResult(.error("cannot stat \(file): \(stat.standardError.trimmedLine)"))
            }
            let fields = stat.standardOutput.trimmedLine.split(separator: " ")
            guard fields.count == 3, let owner = Int(fields[0]), let mode = Int(fields[2], radix: 8) else {
                throw EarlyResult(.error("unexpected stat output: \(stat.standardOutput.trimmedLine)"))
            }
            var evidence = ["file": file, "mode": String(fields[2]), "owner": String(fields[1])]
            if owner == uid && mode & 0o077 != 0 {
                evidence["class"] = Problem.badPermissions.rawValue
                return (
                    Finding(
                        problem: .badPermissions, file: file,
                        summary:
                            "private key \(file) is mode \(fields[2]): ssh ignores a key of yours that others can access"
                            + " (UNPROTECTED PRIVATE KEY FILE); chmod 600 \(file)",
                        evidence: evidence), checked
                )
            }
            if !(try await run(["test", "-r", file], context)).succeeded {
                evidence["class"] = Problem.unreadable.rawValue
                return (
                    Finding(
                        problem: .unreadable, file: file,
                        summary:
                            "\(config.localUser) cannot read the private key \(file) (owner \(fields[1]), mode \(fields[2]))",
                        evidence: evidence), checked
                )
            }
            // An empty passphrase opens an unencrypted key; an encrypted one says "incorrect passphrase".
            let load = try await run(["ssh-keygen", "-y", "-P", "", "-f", file], context)
            if load.succeeded {
                checked.append("\(file) \(fields[2])")
                continue
            }
            if load.standardError.contains("incorrect passphrase") {
                let publicBlob = try? await context.local.readFile(file + ".pub", timeout: context.timeout)
                    .split(separator: " ").dropFirst().first.map(String.init)
                if let publicBlob, await agent().contains(publicBlob) {
                    checked.append("\(file) \(fields[2]) (passphrase; held by the agent)")
                    continue
                }
                evidence["class"] = Problem.passphrase.rawValue
                return (
                    Finding(
                        problem: .passphrase, file: file,
                        summary:
                            "private key \(file) has a passphrase and no agent holds it: ssh in batch mode cannot ask"
                            + " for it and skips the key (ssh-add \(file) first, or log in interactively)",
                        evidence: evidence), checked
                )
            }
            evidence["class"] = Problem.unusable.rawValue
            evidence["stderr"] = load.standardError.trimmedLine
            return (
                Finding(
                    problem: .unusable, file: file,
                    summary: "ssh cannot load the private key \(file): \(load.standardError.trimmedLine)",
                    evidence: evidence), checked
            )
        }
        if checked.isEmpty, await agent().isEmpty {
            return (
                Finding(
                    problem: .none, file: "",
                    summary:
                        "no private key: none of ssh's identity files exists (\(config.identityFiles.joined(separator: ", ")))"
                        + " and no agent holds a key",
                    evidence: [
                        "class": Problem.none.rawValue, "identityfiles": config.identityFiles.joined(separator: ", "),
                    ]),
                checked
            )
        }
        return (nil, checked)
    }

    static func run(_ argv: [String], _ context: CheckContext) async throws(EarlyResult) -> ProcessOutput {
        switch await runCapturing(context.local, argv, timeout: context.timeout) {
        case .success(let output): return output
        case .failure(let failure): throw EarlyResult(.error("\(argv[0]): \(failure.description)"))
        }
    }
}
