/// Whether sshd lets an account log in at all, before any key is looked at, and whether a login
/// gets a session: OpenSSH `auth.c` `allowed_user` and `platform.c` `platform_locked_account`
/// (`UsePAM no`), `auth-shadow.c` `auth_shadow_acctexpired`; with `UsePAM yes`, pam_unix's account
/// rules (Linux-PAM `modules/pam_unix/passverify.c` `check_shadow_expiry`).
enum AccountRules {
    /// A `getent passwd` line.
    struct Passwd: Equatable {
        var name: String
        var password: String
        var uid: Int
        var gid: Int
        var home: String
        var shell: String

        init?(line: String) {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 7, let uid = Int(fields[2]), let gid = Int(fields[3]) else { return nil }
            name = fields[0]
            password = fields[1]
            self.uid = uid
            self.gid = gid
            home = fields[5]
            shell = fields[6]
        }

        /// The shell sshd runs: an empty field means `/bin/sh` (`_PATH_BSHELL`).
        var effectiveShell: String { shell.isEmpty ? "/bin/sh" : shell }
    }

    /// A `getent shadow` line; empty number fields are -1, as glibc's `getspnam` gives them.
    struct Shadow: Equatable {
        var name: String
        var password: String
        var lastChange: Int
        var minimum: Int
        var maximum: Int
        var warning: Int
        var inactive: Int
        var expire: Int

        init?(line: String) {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 9 else { return nil }
            func number(_ index: Int) -> Int? { fields[index].isEmpty ? -1 : Int(fields[index]) }
            guard let lastChange = number(2), let minimum = number(3), let maximum = number(4),
                let warning = number(5), let inactive = number(6), let expire = number(7)
            else { return nil }
            name = fields[0]
            password = fields[1]
            self.lastChange = lastChange
            self.minimum = minimum
            self.maximum = maximum
            self.warning = warning
            self.inactive = inactive
            self.expire = expire
        }
    }

    /// What sshd does with the account.
    enum Verdict: Equatable {
        /// sshd refuses every authentication ("User X not allowed because …", or PAM's account check).
        case refused(String)
        /// Authentication works but the session cannot do anything (a `nologin` shell, a forced
        /// password change).
        case noSession(String)
        case allowed
    }

    /// sshd's account rules for `passwd` (and `shadow` when readable) on day `today` (days since
    /// the epoch, UTC, as `time(NULL) / 86400`).
    static func verdict(passwd: Passwd, shadow: Shadow?, usePAM: Bool, chrooted: Bool, today: Int) -> Verdict {
        if !usePAM {
            // platform_locked_account: an expired account, or a password starting with "!" (Linux).
            if let shadow, shadow.expire != -1, shadow.expire - today < 0 {
                return .refused(
                    "the account expired on \(date(days: shadow.expire)) (shadow expire field \(shadow.expire); UsePAM no)"
                )
            }
            let password = shadow?.password ?? passwd.password
            if password.hasPrefix("!") {
                return .refused(
                    "the account is locked: its password field starts with \"!\" (UsePAM no: sshd refuses locked accounts, even with a key)"
                )
            }
        } else if let shadow, passwd.password == "x" {
            // pam_unix account management, run by sshd for every method when UsePAM is yes.
            if shadow.expire >= 0 && today >= shadow.expire {
                return .refused(
                    "the account expired on \(date(days: shadow.expire)) (shadow expire field \(shadow.expire); pam_unix refuses it)"
                )
            }
            if shadow.lastChange == 0 {
                return .noSession(
                    "the password must be changed first (shadow last-change field 0): the session runs only passwd, no command"
                )
            }
            if shadow.lastChange > 0 && today >= shadow.lastChange && shadow.maximum >= 0 {
                let passed = today - shadow.lastChange
                if shadow.inactive >= 0 && passed >= shadow.maximum + shadow.inactive {
                    return .refused(
                        "the password expired and the inactivity period is over (changed \(date(days: shadow.lastChange)), max \(shadow.maximum) days, inactive \(shadow.inactive) days): pam_unix refuses the account"
                    )
                }
                if passed >= shadow.maximum {
                    return .noSession(
                        "the password expired (changed \(date(days: shadow.lastChange)), max \(shadow.maximum) days): the session runs only passwd, no command"
                    )
                }
            }
        }
        return .allowed
    }

    /// Shells that end every session at once with a message (`nologin`, `false`), by file name.
    static func refusesSessions(_ shell: String) -> Bool {
        let name = shell.split(separator: "/").last.map(String.init) ?? shell
        return name == "nologin" || name == "false"
    }

    /// `YYYY-MM-DD` of a day count since the epoch.
    static func date(days: Int) -> String {
        // Inverse of ExpiryTime.daysFromCivil (Howard Hinnant's civil_from_days).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
