import Testing

@testable import RunbookActions

@Suite("OpenSSH pattern matching")
struct OpenSSHMatchTests {
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
        // Addresses are read with getaddrinfo(AI_NUMERICHOST), as sshd reads them: `10.1` is 10.0.0.1
        // (the AllowUsers port read it with inet_pton and four parts, so it compared text and said 0).
        ("rblab", "10.0.0.1", "10.0.0.1", "rblab@10.1", 1),
        ("rblab", "10.0.0.1", "10.0.0.1", "rblab@10.1/8", -1),  // 10.0.0.1/8: host bits set
        ("rblab", "10.0.0.1", "10.0.0.1", "rblab@10/8", -1),  // `10` is 0.0.0.10: host bits past /8
        // sshd's 1,023-byte cutoff of a host pattern (the from= port had it, the AllowUsers port not).
        ("rblab", "client.example.com", "10.231.5.1", "rblab@" + Self.hostPattern(bytes: 1022), 1),
        ("rblab", "client.example.com", "10.231.5.1", "rblab@" + Self.hostPattern(bytes: 1023), 0),
    ]

    /// `*…*.example.com`, `bytes` long: matches client.example.com, never the address text.
    static func hostPattern(bytes: Int) -> String {
        String(repeating: "*", count: bytes - ".example.com".utf8.count) + ".example.com"
    }

    @Test("match_user", arguments: Self.userRows.indices)
    func user(row: Int) {
        let (user, host, address, entry, expected) = Self.userRows[row]
        #expect(OpenSSHMatch.user(user, host: host, address: address, entry) == expected, "\(entry)")
    }

    @Test(
        "match_pattern_list and addr_match_list",
        arguments: [
            ("example.com", "*.com,!example.com", -1),
            ("example.com", "!foo.com,*.com", 1),
            ("example.com", "!foo.com", 0),
            ("example.com", "EXAMPLE.COM", 0),
        ])
    func patternList(string: String, list: String, expected: Int) {
        #expect(OpenSSHMatch.patternList(string, list) == expected)
    }

    @Test(
        "addr_match_list",
        arguments: [
            ("10.0.0.5", "10.0.0.0/8,!10.0.0.5", -1),
            ("10.0.0.6", "10.0.0.0/8,!10.0.0.5", 1),
            ("10.0.0.6", "192.168.0.0/16", 0),
            ("10.0.0.6", "10.0.0.0/8,,", -2),
            ("not-an-address", "*", 0),
            ("::ffff:10.0.0.6", "::ffff:10.0.0.0/104", 1),
            ("10.0.0.1", "10.1", 1),  // getaddrinfo reads 10.1 as 10.0.0.1
            ("10.0.0.1", "10.0.0.0/08", 1),  // strtoul reads the length's leading zero
            ("10.0.0.1", "10.0.0.0/+8", 0),  // no sign: not CIDR, compared as text
            ("10.0.0.1", "10.0.0.0/129", 0),  // longer than any family: not CIDR either
            ("10.0.0.1", "10.0.0.0/99999999999999999999", 0),
            ("10.1", "10.0.0.0/8", 1),  // the client's address is read the same way
            ("fe80::1%bogus0", "fe80::/10", 0),  // a scope getaddrinfo cannot resolve: no address, no match
        ])
    func addressList(address: String, list: String, expected: Int) {
        #expect(OpenSSHMatch.addressList(address, list) == expected)
    }

    /// `from="…"` of authorized_keys (this table was the from= port's; it runs against the one port).
    @Test(
        "from= against the client address",
        arguments: [
            ("10.231.5.1", "10.231.5.1", 1),
            ("10.231.5.2", "10.231.5.1", 0),
            ("10.0.0.0/8", "10.231.5.1", 1),
            ("10.0.0.0/8", "11.0.0.1", 0),
            ("10.231.5.0/30", "10.231.5.3", 1),
            ("10.231.5.0/30", "10.231.5.4", 0),
            ("10.0.0.0/8,!10.231.5.1", "10.231.5.1", 0),  // a negated match wins
            ("!10.231.5.1,10.0.0.0/8", "10.231.5.1", 0),
            ("!10.9.9.9,10.0.0.0/8", "10.231.5.1", 1),
            ("!10.9.9.9", "10.231.5.1", 0),  // only negations: nothing matched positively
            ("10.231.5.*", "10.231.5.1", 1),  // wildcard on the address text
            ("10.231.?.1", "10.231.5.1", 1),
            ("10.231.?.1", "10.231.55.1", 0),
            ("*", "192.0.2.7", 1),
            ("10.0.0.1/8", "10.0.0.1", -1),  // host bits set: invalid list, sshd denies
            ("10.0.0.0/33", "10.0.0.1", -1),  // mask too long for IPv4
            ("10.0.0.1,,10.0.0.2", "10.0.0.1", -1),  // empty entry
            ("::1", "::1", 1),
            ("2001:db8::/32", "2001:db8:1::5", 1),
            ("2001:db8::/32", "10.0.0.1", 0),  // other family
            ("127.0.0.1", "::1", 0),
            ("*.example.com", "10.0.0.1", 0),  // a name pattern never matches an address
            ("10.1", "10.0.0.1", 1),  // getaddrinfo reads 10.1 as 10.0.0.1, as inet_aton does
            ("10.0.0.0/8x", "10.0.0.1", 0),  // not CIDR: compared as text, no match
        ])
    func from(patterns: String, address: String, expected: Int) {
        #expect(
            OpenSSHMatch.hostAndAddress(host: address, address: address, patterns) == expected,
            "\(patterns) vs \(address)")
    }

    @Test("host patterns apply to the name with UseDNS yes")
    func hostNames() {
        #expect(OpenSSHMatch.hostAndAddress(host: "client.example.com", address: "10.0.0.1", "*.EXAMPLE.com") == 1)
        #expect(
            OpenSSHMatch.hostAndAddress(host: "client.example.com", address: "10.0.0.1", "*.example.com,!client.*") == 0
        )
        #expect(OpenSSHMatch.hostAndAddress(host: nil, address: "10.0.0.1", "10.0.0.1") == 0)
    }

    @Test("ga_match: plain patterns against each group, no negation")
    func groups() {
        #expect(OpenSSHMatch.groups(["rblab", "wheel"], ["whe*"])?.group == "wheel")
        #expect(OpenSSHMatch.groups(["rblab", "wheel"], ["!wheel"]) == nil)
        #expect(OpenSSHMatch.groups(["rblab"], ["adm", "rb?ab"])?.pattern == "rb?ab")
        #expect(OpenSSHMatch.groups([], ["*"]) == nil)
    }

    @Test("match_pattern_list lower-cases only ASCII letters, as C's tolower does")
    func asciiLowercase() {
        #expect(OpenSSHMatch.hostAndAddress(host: "CLIENT.example.com", address: "10.0.0.1", "client.EXAMPLE.com") == 1)
        #expect(OpenSSHMatch.hostAndAddress(host: "straße.example", address: "10.0.0.1", "STRASSE.example") == 0)
        #expect(OpenSSHMatch.hostAndAddress(host: "Ä.example", address: "10.0.0.1", "ä.example") == 0)
    }

    @Test("an IPv4-mapped client is matched as its IPv4 address, as sshd normalises it")
    func mappedClient() async throws {
        let client = try #require(
            try await ClientAddress.resolve(clientIP: "::ffff:10.231.5.1", host: nil, context: localVM()))
        #expect(client.address == "10.231.5.1")
        #expect(OpenSSHMatch.user("rblab", host: client.address, address: client.address, "rblab@10.231.5.0/24") == 1)
        #expect(OpenSSHMatch.hostAndAddress(host: client.address, address: client.address, "10.231.5.1") == 1)
        // What sshd never sees: the mapped text itself is another family and another string.
        #expect(OpenSSHMatch.user("rblab", host: nil, address: "::ffff:10.231.5.1", "rblab@10.231.5.0/24") == 0)
    }

    /// The cutoff is the real sshd's: a `Match Host` list goes through the same `match_pattern_list`.
    @Test("the 1,023-byte cutoff is what the real sshd -T does with Match Host")
    func cutoffAgreesWithSSHD() async throws {
        let directory = try TemporaryDirectory("rb-cutoff")
        defer { directory.remove() }
        try await sh(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.file("host_key")])
        for bytes in [1022, 1023] {
            let pattern = Self.hostPattern(bytes: bytes)
            let path = try directory.write(
                "sshd_config",
                "HostKey \(directory.file("host_key"))\nUsePAM no\nMatch Host \(pattern)\n  MaxAuthTries 2\n")
            let spec = "user=rblab,host=client.example.com,addr=10.231.5.1"
            let test = try await ProcessRunner.run(
                ["/usr/sbin/sshd", "-T", "-f", path, "-C", spec], timeout: testTimeout)
            #expect(test.succeeded, "\(test.standardError)")
            let matched = test.standardOutput.contains("maxauthtries 2")
            let ours = OpenSSHMatch.hostAndAddress(host: "client.example.com", address: "10.231.5.1", pattern) == 1
            #expect(matched == ours, "\(bytes) bytes: sshd \(matched), ours \(ours)")
            #expect(matched == (bytes == 1022))
        }
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
