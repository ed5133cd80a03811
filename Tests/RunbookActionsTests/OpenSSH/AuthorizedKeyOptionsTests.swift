import Testing

@testable import RunbookActions

/// The authorized_keys option parser and `from=` matching, row by row against OpenSSH's source
/// (`auth-options.c` `sshauthopt_parse`, `opt_flag`, `opt_match`, `opt_dequote`; `match.c`
/// `match_host_and_ip`; `addrmatch.c` `addr_match_list`; `addr.c` `addr_pton_cidr`; `misc.c`
/// `parse_absolute_time`).
@Suite("authorized_keys options")
struct AuthorizedKeyOptionsTests {
    /// Option text → nil when sshd accepts it, else sshd's `errstr`.
    @Test(
        "sshd accepts or rejects the option list",
        arguments: [
            ("no-pty", nil),
            ("NO-PTY,No-Port-Forwarding", nil),  // strncasecmp
            ("restrict,pty", nil),
            ("command=\"echo hi\"", nil),
            ("command=\"echo \\\"quoted\\\"\",no-pty", nil),  // \" inside quotes
            ("from=\"10.0.0.0/8,!10.1.2.3\"", nil),
            ("expiry-time=\"20300101\"", nil),
            ("expiry-time=\"203001011230Z\"", nil),
            ("expiry-time=\"20300101123059UTC\"", nil),
            ("environment=\"FOO=bar\"", nil),
            ("permitopen=\"host:22\",permitlisten=\"8080\"", nil),
            ("tunnel=\"1\"", nil),
            ("cert-authority,principals=\"a,b\"", nil),
            ("restrictive", "unknown key option"),  // opt_flag matches the prefix, then no comma
            ("no-restrict", "unknown key option"),  // restrict cannot be negated
            ("bogus", "unknown key option"),
            ("no-pty,", "unexpected end-of-options"),  // only where the text ends: before a key it is fine
            ("no-pty, ssh-ed25519", nil),
            ("command=echo", "missing start quote"),
            ("command=\"echo", "missing end quote"),
            ("command=\"a\",command=\"b\"", "multiple \"command\" clauses"),
            ("from=\"a\",from=\"b\"", "multiple \"from\" clauses"),
            ("expiry-time=\"2030\"", "invalid expires time"),
            ("expiry-time=\"20301301\"", "invalid expires time"),
            ("expiry-time=\"19700101Z\"", "invalid expires time"),  // valid_before == 0
            ("environment=\"FOO\"", "invalid environment string"),
            ("environment=\"F-O=1\"", "invalid environment string"),
            ("from =\"10.0.0.1\"", "unknown key option"),
        ] as [(String, String?)])
    func parse(text: String, rejection: String?) {
        switch AuthorizedKeyOptions.parse(text) {
        case .success: #expect(rejection == nil, "\(text) was accepted")
        case .failure(let reason): #expect(reason.reason == rejection, "\(text)")
        }
    }

    @Test("options set what sshd sets")
    func values() throws {
        let restricted = try AuthorizedKeyOptions.parse("restrict,pty,command=\"echo \\\"x\\\"\" rest").get()
        #expect(restricted.restrict && restricted.pty && !restricted.portForwarding && !restricted.userRC)
        #expect(restricted.command == "echo \"x\"")
        let flags = try AuthorizedKeyOptions.parse("no-agent-forwarding,x11-forwarding,no-pty").get()
        #expect(!flags.agentForwarding && flags.x11Forwarding && !flags.pty && flags.portForwarding)
        let two = try AuthorizedKeyOptions.parse("expiry-time=\"20300101\",expiry-time=\"20250101\"").get()
        #expect(two.expiryTimes == ["20300101", "20250101"])
    }

    /// (patterns, client address, expected match_host_and_ip) with `UseDNS no` (host = address).
    @Test(
        "expiry-time in UTC and local time",
        arguments: [
            ("20300101Z", 0, 1_893_456_000),
            ("20300101", 3600, 1_893_452_400),  // an hour east of UTC: midnight comes an hour earlier
            ("203001010130UTC", 0, 1_893_461_400),
            ("20300101013005z", -7200, 1_893_461_405),
            ("20240231Z", 0, 1_709_337_600),  // Feb 31 rolls over to Mar 2, as timegm does
        ])
    func expiry(text: String, offset: Int, seconds: Int) throws {
        let time = try #require(ExpiryTime(text))
        #expect(time.seconds(utcOffset: offset) == seconds)
    }

    @Test("a line's outcome for the client")
    func outcomes() throws {
        let client = AuthorizedKeys.Client(address: "10.231.5.1", host: "10.231.5.1", now: 1_800_000_000, utcOffset: 0)
        func outcome(_ text: String) throws -> AuthorizedKeys.LineOutcome {
            AuthorizedKeys.outcome(try AuthorizedKeyOptions.parse(text).get(), client: client)
        }
        #expect(
            try outcome("from=\"10.9.9.9\"")
                == .refused("from=\"10.9.9.9\" does not match the client address 10.231.5.1"))
        #expect(
            try outcome("expiry-time=\"20200101\"")
                == .refused("expiry-time=\"20200101\" has passed (the VM's local time); sshd ignores the key"))
        #expect(
            try outcome("expiry-time=\"20300101\",expiry-time=\"20200101Z\"")
                == .refused("expiry-time=\"20200101Z\" has passed (UTC); sshd ignores the key"))
        #expect(try outcome("from=\"10.0.0.1/8\"") == .refused("from=\"10.0.0.1/8\" is invalid; sshd refuses the key"))
        #expect(
            try outcome("principals=\"x\"")
                == .refused("principals= on a key that is not a cert-authority; sshd refuses it"))
        if case .accepted(let options) = try outcome("from=\"10.0.0.0/8\",expiry-time=\"20300101\",no-pty") {
            #expect(options.restrictions == ["from=\"10.0.0.0/8\"", "expiry-time=\"20300101\"", "no-pty"])
        } else {
            Issue.record("not accepted")
        }
    }
}
