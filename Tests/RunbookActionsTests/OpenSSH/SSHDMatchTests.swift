import Testing
@testable import RunbookActions

@Suite("OpenSSH pattern matching")
struct SSHDMatchTests {
    /// `match_user(user, host, addr, entry)` as OpenSSH's match.c/addrmatch.c decide it:
    /// 1 match, 0 no match, -1 invalid entry (sshd -t rejects it).
    static let userRows: [(user: String, host: String?, address: String?, entry: String, expected: Int)] = [
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rb*", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rb?ab", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rb?b", 0),
        ("rblab", "10.231.5.1", "10.231.5.1", "*", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "RBLAB", 0),  // user patterns are case-sensitive
        ("rblab", "10.231.5.1", "10.231.5.1", "!rblab", 0),  // `!` is literal in a user pattern
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab,alice", 0),  // so is `,`
        ("rblab", "10.231.5.1", "10.231.5.1", "r*b", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "*b*", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "**l?b", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab?", 0),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.231.5.1", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.9.9.9", 0),
        ("rblab", "10.231.5.1", "10.231.5.1", "alice@10.231.5.1", 0),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.231.0.0/16", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.232.0.0/16", 0),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.231.5.0/24,!10.231.5.1", 0),  // negation wins
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@!10.231.5.1,*", 0),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@!10.9.9.9,*", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.231.*", 1),  // wildcard on the address text
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.9.9.9,10.231.5.1", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@*", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rb*@10.231.5.?", 1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.231.5.1/16", -1),  // host bits set
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@10.0.0.0/33", -1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@", -1),
        ("rblab", "10.231.5.1", "10.231.5.1", "rblab@,x", -1),
        ("rblab", "client.example.com", "10.231.5.1", "rblab@*.example.com", 1),
        ("rblab", "client.example.com", "10.231.5.1", "rblab@*.EXAMPLE.com", 1),  // host patterns lower-cased
        ("rblab", "client.example.com", "10.231.5.1", "rblab@client.example.com,!10.231.5.1", 0),
        ("rblab", "client.example.com", "10.231.5.1", "rblab@!*.example.com,10.231.5.1", 0),
        ("rblab", "2001:db8::5", "2001:db8::5", "rblab@2001:db8::/32", 1),
        ("rblab", "2001:db8::5", "2001:db8::5", "rblab@2001:db9::/32", 0),
        ("rblab", "2001:db8::5", "2001:db8::5", "rblab@10.0.0.0/8", 0),  // another family never matches
        ("rblab", "2001:db8::5", "2001:db8::5", "rblab@2001:db8::5", 1),
    ]

    @Test("match_user", arguments: Self.userRows.indices)
    func user(row: Int) {
        let (user, host, address, entry, expected) = Self.userRows[row]
        #expect(SSHDMatch.user(user, host: host, address: address, entry) == expected, "\(entry)")
    }

    @Test("match_pattern_list and addr_match_list", arguments: [
        ("example.com", "*.com,!example.com", -1),
        ("example.com", "!foo.com,*.com", 1),
        ("example.com", "!foo.com", 0),
        ("example.com", "EXAMPLE.COM", 0),
    ])
    func patternList(string: String, list: String, expected: Int) {
        #expect(SSHDMatch.patternList(string, list) == expected)
    }

    @Test("addr_match_list", arguments: [
        ("10.0.0.5", "10.0.0.0/8,!10.0.0.5", -1),
        ("10.0.0.6", "10.0.0.0/8,!10.0.0.5", 1),
        ("10.0.0.6", "192.168.0.0/16", 0),
        ("10.0.0.6", "10.0.0.0/8,,", -2),
        ("not-an-address", "*", 0),
        ("::ffff:10.0.0.6", "::ffff:10.0.0.0/104", 1),
    ])
    func addressList(address: String, list: String, expected: Int) {
        #expect(SSHDMatch.addressList(address, list) == expected)
    }

    @Test("ga_match: plain patterns against each group, no negation")
    func groups() {
        #expect(SSHDMatch.groups(["rblab", "wheel"], ["whe*"])?.group == "wheel")
        #expect(SSHDMatch.groups(["rblab", "wheel"], ["!wheel"]) == nil)
        #expect(SSHDMatch.groups(["rblab"], ["adm", "rb?ab"])?.pattern == "rb?ab")
        #expect(SSHDMatch.groups([], ["*"]) == nil)
    }

    /// The rows whose entry is invalid (-1) are those the real sshd rejects in `AllowUsers`, and no others.
    @Test("invalid entries are exactly those the real sshd -t rejects")
    func invalidAgreesWithSSHD() async throws {
        let directory = try TemporaryDirectory("rb-match")
        defer { directory.remove() }
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("host_key")])
        for (_, _, _, entry, expected) in Self.userRows where entry.contains("@") {
            let path = try directory.write(
                "sshd_config", "HostKey \(directory.file("host_key"))\nUsePAM no\nAllowUsers \(entry)\n")
            let test = try await ProcessRunner.run(["/usr/sbin/sshd", "-t", "-f", path], timeout: testTimeout)
            #expect(test.succeeded == (expected != -1), "\(entry): \(test.standardError)")
        }
    }
}
