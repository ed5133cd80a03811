/// sshd's checks on an authorized_keys file before it reads it (OpenSSH `auth2-pubkeyfile.c`
/// `auth_openfile`, `misc.c` `safe_path`): the file must be a regular file; with `StrictModes yes`
/// the file and every directory above it, up to the user's home directory or `/`, must be owned by
/// root or the user and not writable by group or others. sshd opens the file as the user, so the
/// user must also be able to read it.
///
/// Debian and Ubuntu patch the ownership rule (`debian/patches/user-group-modes.patch`, "Allow
/// harmless group-writability", `secure_permissions` in `misc.c`): a group-writable path is
/// accepted when its group has exactly one member, the user: see ``debianAllowsGroupWrite``.
enum StrictModes {
    /// What `stat` says about one path.
    struct Status: Equatable {
        /// `st_mode`, with the file type bits.
        var mode: Int
        var uid: Int
        var gid: Int
        /// The owner's name (`UNKNOWN` when it has none), for messages.
        var owner: String

        var isRegularFile: Bool { mode & 0o170000 == 0o100000 }
        var isDirectory: Bool { mode & 0o170000 == 0o040000 }
        var permissions: String { String(mode & 0o7777, radix: 8) }

        /// `%f %u %g %U` as printed by `stat -c`.
        init?(statFields fields: [Substring]) {
            guard fields.count >= 4, let mode = Int(fields[0], radix: 16), let uid = Int(fields[1]),
                let gid = Int(fields[2])
            else { return nil }
            self.init(mode: mode, uid: uid, gid: gid, owner: String(fields[3]))
        }

        init(mode: Int, uid: Int, gid: Int, owner: String) {
            self.mode = mode
            self.uid = uid
            self.gid = gid
            self.owner = owner
        }
    }

    /// One reason sshd refuses the file, naming the path, its owner and mode.
    struct Violation: Equatable, CustomStringConvertible {
        var path: String
        var problem: String

        var description: String { "\(path) \(problem)" }
    }

    /// The directories `safe_path` checks above `file` (both canonical paths), in its order: each
    /// parent up to and including `home`, or up to `/` when the file is not under it.
    static func directories(above file: String, home: String?) -> [String] {
        var result: [String] = []
        var path = file
        for _ in 0..<256 {
            path = dirname(path)
            result.append(path)
            if path == home || path == "/" || path == "." { break }
        }
        return result
    }

    /// `dirname(3)` of a canonical path.
    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// Why sshd would ignore `file` (canonical path) for the user `uid`, in the order sshd looks:
    /// the file, then each directory above it. `statuses` holds `stat` of the file and those
    /// directories; one that is missing counts as a failed `stat`. With `strict` false only the
    /// regular-file rule applies.
    static func violations(
        file: String, home: String?, uid: Int, statuses: [String: Status], strict: Bool,
        harmlessGroupWrite: (Status) -> Bool = { _ in false }
    ) -> [Violation] {
        guard let status = statuses[file] else { return [Violation(path: file, problem: "cannot be examined")] }
        guard status.isRegularFile else { return [Violation(path: file, problem: "is not a regular file")] }
        guard strict else { return [] }
        var found: [Violation] = []
        if let problem = problem(status, uid: uid, harmlessGroupWrite: harmlessGroupWrite) {
            found.append(Violation(path: file, problem: problem))
        }
        for directory in directories(above: file, home: home) {
            guard let status = statuses[directory] else {
                found.append(Violation(path: directory, problem: "cannot be examined"))
                continue
            }
            if let problem = problem(status, uid: uid, harmlessGroupWrite: harmlessGroupWrite) {
                found.append(Violation(path: directory, problem: problem))
            }
        }
        return found
    }

    /// Owned by someone other than root and the user, or writable by group or others.
    static func problem(_ status: Status, uid: Int, harmlessGroupWrite: (Status) -> Bool = { _ in false }) -> String? {
        let badOwner = status.uid != 0 && status.uid != uid
        let badMode =
            status.mode & 0o002 != 0 || (status.mode & 0o020 != 0 && (badOwner || !harmlessGroupWrite(status)))
        guard badOwner || badMode else { return nil }
        let what = badOwner && badMode ? "owner and mode" : badOwner ? "owner" : "mode"
        let group = badMode && status.mode & 0o002 == 0 ? ", group \(status.gid)" : ""
        return "has a bad \(what): owner \(status.owner) (uid \(status.uid))\(group), mode \(status.permissions)"
    }

    /// Whether the user (`uid`, in `groups`) can open `file` for reading: read permission on the
    /// file and search permission on every directory above it up to `/`. Root always can.
    static func readable(file: String, uid: Int, groups: Set<Int>, statuses: [String: Status]) -> Violation? {
        guard uid != 0 else { return nil }
        func allows(_ status: Status, _ bit: Int) -> Bool {
            if status.uid == uid { return status.mode & (bit << 6) != 0 }
            if groups.contains(status.gid) { return status.mode & (bit << 3) != 0 }
            return status.mode & bit != 0
        }
        for directory in directories(above: file, home: nil).reversed() {
            guard let status = statuses[directory] else { continue }
            if !allows(status, 1) {
                return Violation(
                    path: directory,
                    problem: "cannot be searched by the user (owner \(status.owner), mode \(status.permissions))")
            }
        }
        if let status = statuses[file], !allows(status, 4) {
            return Violation(
                path: file, problem: "cannot be read by the user (owner \(status.owner), mode \(status.permissions))")
        }
        return nil
    }

    /// Debian's `secure_permissions` for a group-writable path: every account whose primary group
    /// is the path's group is the user (`uid`), the group's member list is empty or exactly the
    /// path's owner, and the group has at least one member. `groupLine` is `getent group GID`
    /// (`nil`: no such group); `primaryGroups` holds (uid, gid) of every account.
    static func debianAllowsGroupWrite(
        _ status: Status, uid: Int, groupLine: String?, primaryGroups: [(uid: Int, gid: Int)]
    )
        -> Bool
    {
        guard let groupLine else { return false }
        var members = 0
        for account in primaryGroups where account.gid == status.gid {
            members += 1
            if account.uid != uid { return false }
        }
        guard status.owner != "UNKNOWN" else { return false }
        let fields = groupLine.split(separator: ":", omittingEmptySubsequences: false)
        let listed = fields.count >= 4 ? fields[3].split(separator: ",").map(String.init) : []
        if let first = listed.first {
            members += 1
            if first != status.owner || listed.count > 1 { return false }
        }
        return members > 0
    }
}
