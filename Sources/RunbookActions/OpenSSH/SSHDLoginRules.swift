/// sshd's own rules for one user from one client, evaluated on the effective settings (`sshd -T -C`),
/// in sshd's order: `DenyUsers`, `AllowUsers`, `DenyGroups`, `AllowGroups` (OpenSSH `auth.c`
/// `allowed_user`), then `PermitRootLogin` for root (`auth_root_allowed`), `PubkeyAuthentication` and
/// `AuthenticationMethods` for a login with a key alone in batch mode.
enum SSHDLoginRules {
    /// One rule that refuses the login: the directive, its value, and why.
    struct Refusal: Equatable, Sendable {
        var directive: String
        var value: String
        var summary: String
    }

    struct Verdict: Equatable, Sendable {
        /// Every rule that refuses, in sshd's order; the first one decides.
        var refusals: [Refusal] = []
        /// Rules whose outcome depends on what is unknown (the client's address), with both outcomes.
        var undecided: [String] = []
        /// Facts worth reporting that do not refuse (root allowed only with forced commands).
        var notes: [String] = []
    }

    /// `address`/`hostName`: the client as sshd sees it; `nil` when unknown, and then rules with a
    /// `USER@HOST` entry are decided only if both outcomes agree. `groups`: the user's group names
    /// (primary and supplementary), needed only when a group rule is set.
    static func evaluate(
        user: String, groups: [String], settings: [String: [String]], address: String?, hostName: String?
    ) -> Verdict {
        var verdict = Verdict()
        let host = hostName ?? address

        func matchAll(_ entries: [String]) -> (match: String?, unknown: [String], invalid: String?) {
            var unknown: [String] = []
            for entry in entries {
                if address == nil && OpenSSHMatch.hasHostPart(entry) {
                    // Decide the user part; the host part is unknown.
                    let userPart = String(entry[..<entry.firstIndex(of: "@")!])
                    if OpenSSHMatch.pattern(user, userPart) { unknown.append(entry) }
                    continue
                }
                switch OpenSSHMatch.user(user, host: host, address: address, entry) {
                case 1: return (entry, unknown, nil)
                case -1: return (nil, unknown, entry)
                default: continue
                }
            }
            return (nil, unknown, nil)
        }

        let denyUsers = settings["denyusers"] ?? []
        let deny = matchAll(denyUsers)
        let clientText = address.map { " from \($0)" } ?? ""
        if let invalid = deny.invalid {
            verdict.refusals.append(
                Refusal(
                    directive: "DenyUsers", value: denyUsers.joined(separator: " "),
                    summary: "DenyUsers entry \(invalid) is invalid: sshd refuses every login"))
        } else if let entry = deny.match {
            verdict.refusals.append(
                Refusal(
                    directive: "DenyUsers", value: denyUsers.joined(separator: " "),
                    summary:
                        "DenyUsers \(denyUsers.joined(separator: " ")) refuses \(user)\(clientText) (entry \(entry))"))
        } else if !deny.unknown.isEmpty {
            verdict.undecided.append(
                "DenyUsers \(deny.unknown.joined(separator: " ")) refuses \(user) if the client's address matches")
        }

        let allowUsers = settings["allowusers"] ?? []
        if !allowUsers.isEmpty {
            let allow = matchAll(allowUsers)
            if let invalid = allow.invalid {
                verdict.refusals.append(
                    Refusal(
                        directive: "AllowUsers", value: allowUsers.joined(separator: " "),
                        summary: "AllowUsers entry \(invalid) is invalid: sshd refuses every login"))
            } else if allow.match == nil {
                if allow.unknown.isEmpty {
                    let near = allowUsers.filter(OpenSSHMatch.hasHostPart).filter { entry in
                        OpenSSHMatch.pattern(user, String(entry[..<entry.firstIndex(of: "@")!]))
                    }
                    let hint =
                        near.isEmpty ? "" : " (\(near.joined(separator: " ")) does not match the client\(clientText))"
                    verdict.refusals.append(
                        Refusal(
                            directive: "AllowUsers", value: allowUsers.joined(separator: " "),
                            summary:
                                "AllowUsers \(allowUsers.joined(separator: " ")) does not let \(user) in\(clientText)\(hint)"
                        ))
                } else {
                    verdict.undecided.append(
                        "AllowUsers lets \(user) in only if the client's address matches \(allow.unknown.joined(separator: " "))"
                    )
                }
            }
        }

        let denyGroups = settings["denygroups"] ?? []
        if !denyGroups.isEmpty, let hit = OpenSSHMatch.groups(groups, denyGroups) {
            verdict.refusals.append(
                Refusal(
                    directive: "DenyGroups", value: denyGroups.joined(separator: " "),
                    summary:
                        "DenyGroups \(denyGroups.joined(separator: " ")) refuses \(user): member of \(hit.group) (entry \(hit.pattern))"
                ))
        }
        let allowGroups = settings["allowgroups"] ?? []
        if !allowGroups.isEmpty && OpenSSHMatch.groups(groups, allowGroups) == nil {
            verdict.refusals.append(
                Refusal(
                    directive: "AllowGroups", value: allowGroups.joined(separator: " "),
                    summary:
                        "AllowGroups \(allowGroups.joined(separator: " ")) includes none of \(user)'s groups (\(groups.joined(separator: " ")))"
                ))
        }

        if user == "root" {
            let value = settings["permitrootlogin"]?.first ?? "prohibit-password"
            switch value {
            case "no":
                verdict.refusals.append(
                    Refusal(
                        directive: "PermitRootLogin", value: value, summary: "PermitRootLogin no refuses root"))
            case "forced-commands-only":
                verdict.notes.append(
                    "PermitRootLogin forced-commands-only: root gets in only with a key whose authorized_keys entry has command="
                )
            default:
                break
            }
        }

        let pubkey = settings["pubkeyauthentication"]?.first ?? "yes"
        if pubkey == "no" {
            let how = address.map { " for \(user) from \($0) (a Match block may set it)" } ?? ""
            verdict.refusals.append(
                Refusal(
                    directive: "PubkeyAuthentication", value: pubkey,
                    summary: "PubkeyAuthentication no: sshd accepts no key\(how)"))
        }

        let methods = (settings["authenticationmethods"] ?? []).flatMap { $0.split(separator: " ").map(String.init) }
        if !methods.isEmpty && !methods.contains("any") {
            // A list completes with one key in batch mode only when it is `publickey` alone: other
            // methods need a password or a prompt, and `publickey,publickey` needs two different keys.
            let keyAlone = methods.contains { $0.split(separator: ",") == ["publickey"] }
            if !keyAlone {
                verdict.refusals.append(
                    Refusal(
                        directive: "AuthenticationMethods", value: methods.joined(separator: " "),
                        summary:
                            "AuthenticationMethods \(methods.joined(separator: " ")): no list completes with a key alone in batch mode"
                    ))
            }
        }
        return verdict
    }

    /// Whether any setting the rules read depends on a group: then the user's groups are needed.
    static func needsGroups(_ settings: [String: [String]]) -> Bool {
        !(settings["allowgroups"] ?? []).isEmpty || !(settings["denygroups"] ?? []).isEmpty
    }
}
