import Testing

@testable import RunbookActions

/// sshd's account rules over real `getent passwd` / `getent shadow` lines, captured on Debian 12 on
/// day 20786 (2026-11-29) after `useradd`, `usermod -L`, `usermod -e 2020-01-01`, `chage -d 0`,
/// `chage -d 2020-01-01 -M 30 -I 10`, `usermod -p '*'` in a `--prefix` copy of /etc.
@Suite("account rules")
struct AccountRulesTests {
    static let today = 20786
    static let hash =
        "$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG."

    /// (passwd line, shadow line, UsePAM, expected verdict prefix: "allowed", "refused: …", "noSession: …")
    @Test(
        "locked and expired accounts as sshd and pam_unix decide",
        arguments: [
            // useradd leaves "!" (no password set): with UsePAM no, sshd refuses even a key.
            (
                "alice:x:1001:1001::/home/alice:/bin/bash", "alice:!:20786:0:99999:7:::", false,
                "refused: the account is locked"
            ),
            ("alice:x:1001:1001::/home/alice:/bin/bash", "alice:!:20786:0:99999:7:::", true, "allowed"),
            // usermod -L on a real hash: "!$6$…".
            (
                "gina:x:1008:1008::/home/gina:/bin/bash", "gina:!\(hash):20786:0:99999:7:::", false,
                "refused: the account is locked"
            ),
            ("gina:x:1008:1008::/home/gina:/bin/bash", "gina:!\(hash):20786:0:99999:7:::", true, "allowed"),
            ("frank:x:1007:1007::/home/frank:/bin/bash", "frank:\(hash):20786:0:99999:7:::", false, "allowed"),
            // "*" is not a lock on Linux (LOCKED_PASSWD_PREFIX is "!"): key logins work.
            ("hank:x:1009:1009::/home/hank:/bin/bash", "hank:*:20786:0:99999:7:::", false, "allowed"),
            ("root:x:0:0:root:/root:/bin/bash", "root:*:20228:0:99999:7:::", false, "allowed"),
            // usermod -e 2020-01-01: expire field 18262.
            (
                "ivy:x:1010:1010::/home/ivy:/bin/bash", "ivy:*:20786:0:99999:7::18262:", false,
                "refused: the account expired on 2020-01-01"
            ),
            (
                "ivy:x:1010:1010::/home/ivy:/bin/bash", "ivy:*:20786:0:99999:7::18262:", true,
                "refused: the account expired on 2020-01-01"
            ),
            // Expiring today: sshd (daysleft < 0) still lets in, pam_unix (today >= expire) does not.
            ("ivy:x:1010:1010::/home/ivy:/bin/bash", "ivy:*:20786:0:99999:7::20786:", false, "allowed"),
            (
                "ivy:x:1010:1010::/home/ivy:/bin/bash", "ivy:*:20786:0:99999:7::20786:", true,
                "refused: the account expired on 2026-11-29"
            ),
            // chage -d 0: a password change is forced; with PAM no command runs, without PAM keys ignore it.
            (
                "carol:x:1004:1004::/home/carol:/bin/bash", "carol:*:0:0:99999:7:::", true,
                "noSession: the password must be changed first"
            ),
            ("carol:x:1004:1004::/home/carol:/bin/bash", "carol:*:0:0:99999:7:::", false, "allowed"),
            // chage -d 2020-01-01 -M 30 -I 10: aged past max + inactive.
            (
                "dave:x:1005:1005::/home/dave:/bin/bash", "dave:*:18262:0:30:7:10::", true,
                "refused: the password expired and the inactivity period is over"
            ),
            ("dave:x:1005:1005::/home/dave:/bin/bash", "dave:*:18262:0:30:7:10::", false, "allowed"),
            // chage -d 2025-01-01 -M 30: aged, no inactivity limit.
            (
                "erin:x:1006:1006::/home/erin:/bin/bash", "erin:*:20089:0:30:7:::", true,
                "noSession: the password expired"
            ),
            // A password kept in passwd itself: pam_unix does not read shadow.
            ("old:\(hash):1012:1012::/home/old:/bin/sh", "old:*:18262:0:30:7:10:18262:", true, "allowed"),
        ])
    func verdict(passwdLine: String, shadowLine: String, usePAM: Bool, expected: String) throws {
        let passwd = try #require(AccountRules.Passwd(line: passwdLine))
        let shadow = try #require(AccountRules.Shadow(line: shadowLine))
        let verdict = AccountRules.verdict(
            passwd: passwd, shadow: shadow, usePAM: usePAM, chrooted: false, today: Self.today)
        let text: String =
            switch verdict {
            case .allowed: "allowed"
            case .refused(let reason): "refused: " + reason
            case .noSession(let reason): "noSession: " + reason
            }
        #expect(text.hasPrefix(expected), "\(text)")
    }

    @Test("passwd and shadow fields")
    func fields() throws {
        let nobody = try #require(
            AccountRules.Passwd(line: "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"))
        #expect(nobody.home == "/nonexistent" && nobody.uid == 65534)
        #expect(AccountRules.refusesSessions(nobody.shell))
        #expect(AccountRules.refusesSessions("/bin/false"))
        #expect(!AccountRules.refusesSessions("/bin/bash"))
        let empty = try #require(AccountRules.Passwd(line: "x:x:1:1::/:"))
        #expect(empty.effectiveShell == "/bin/sh")
        let shadow = try #require(AccountRules.Shadow(line: "jack:*:20786:0:99999:7:::"))
        #expect(shadow.expire == -1 && shadow.inactive == -1 && shadow.maximum == 99999)
        #expect(AccountRules.Shadow(line: "broken:*:x:0:99999:7:::") == nil)
        #expect(AccountRules.date(days: 18262) == "2020-01-01")
        #expect(LoginAccount.masked("!\(Self.hash)") == "!(hash)")
        #expect(LoginAccount.masked("*") == "*")
    }
}

/// The one `getent passwd USER` reading, for login-account and authorized-keys.
@Suite("passwd lookup in the VM")
struct PasswdLookupTests {
    @Test(
        "found, missing (exit 2 or nothing printed), or unreadable with getent's reason",
        arguments: [
            (0, "rblab:x:1000:1000::/home/rblab:/bin/bash\n", "", "found rblab /home/rblab"),
            (2, "", "", "missing"),
            (0, "\n", "", "missing"),
            (1, "", "getent: bad database\n", "unreadable getent: bad database"),
            (0, "not a passwd line\n", "", "unreadable "),
        ] as [(Int32, String, String, String)])
    func lookup(exitCode: Int32, output: String, standardError: String, expected: String) async throws {
        let vm = CannedExecutor(output: output, exitCode: exitCode, standardError: standardError)
        let shown: String
        switch try await AccountRules.Passwd.lookup("rblab", on: vm, timeout: testTimeout) {
        case .found(let passwd): shown = "found \(passwd.name) \(passwd.home)"
        case .missing: shown = "missing"
        case .unreadable(let reason): shown = "unreadable \(reason)"
        }
        #expect(shown == expected)
    }
}
