/// What sshd decides for the client's key, line by line (OpenSSH `auth2-pubkeyfile.c`
/// `auth_check_authkey_line` and `auth_authorise_keyopts`).
extension AuthorizedKeys {
    /// The client as sshd sees it, and the clock sshd compares `expiry-time` with.
    struct Client {
        /// The client's address (`nil`: unknown, `from=` cannot be decided).
        var address: String?
        /// The name sshd uses for `from=` host patterns: the address unless `UseDNS yes`.
        var host: String?
        /// Seconds since the epoch on the VM.
        var now: Int
        /// The VM's offset from UTC in seconds, for `expiry-time` values without `Z`.
        var utcOffset: Int
    }

    /// What happened to a line holding the client's key.
    enum LineOutcome: Equatable {
        /// sshd accepts the key here; the options that shape the session.
        case accepted(AuthorizedKeyOptions)
        /// Accepted unless `from=` excludes the client, which could not be decided.
        case undecided(AuthorizedKeyOptions, String)
        /// sshd finds the key but refuses it, for this reason (names the option).
        case refused(String)
    }

    /// The outcome of each line that holds `key`, in file order (sshd stops at the first accepted).
    static func outcomes(_ lines: [AuthorizedKeyLine], key: PublicKey, client: Client) -> [(
        line: Int, outcome: LineOutcome
    )] {
        var result: [(Int, LineOutcome)] = []
        for line in lines where line.key == key {
            if let invalid = line.invalid {
                result.append((line.number, .refused("bad key options: \(invalid)")))
                continue
            }
            // sshd parses the options in place, so the blank before the key ends them (a trailing
            // comma is then harmless: "unexpected end-of-options" needs the line itself to end).
            switch AuthorizedKeyOptions.parse(line.optionsText.map { $0 + " " } ?? "") {
            case .failure(let rejection):
                result.append(
                    (line.number, .refused("bad key options (\(line.optionsText ?? "")): \(rejection.reason)")))
            case .success(let options):
                // A cert-authority line trusts certificates signed by the key, not the key itself.
                if options.certAuthority { continue }
                result.append((line.number, outcome(options, client: client)))
            }
        }
        return result
    }

    /// `auth_authorise_keyopts` for a plain key.
    static func outcome(_ options: AuthorizedKeyOptions, client: Client) -> LineOutcome {
        let expiries = options.expiryTimes.compactMap { text in ExpiryTime(text).map { (text, $0) } }
        if let (text, earliest) = expiries.min(by: {
            $0.1.seconds(utcOffset: client.utcOffset) < $1.1.seconds(utcOffset: client.utcOffset)
        }),
            earliest.seconds(utcOffset: client.utcOffset) < client.now
        {
            let zone = earliest.isUTC ? "UTC" : "the VM's local time"
            return .refused("expiry-time=\"\(text)\" has passed (\(zone)); sshd ignores the key")
        }
        if options.principals != nil {
            return .refused("principals= on a key that is not a cert-authority; sshd refuses it")
        }
        if let from = options.from {
            guard let address = client.address else {
                return .undecided(
                    options, "from=\"\(from)\" not checked: the client's address is unknown (give client-ip)")
            }
            switch OpenSSHMatch.hostAndAddress(host: client.host ?? address, address: address, from) {
            case 1: break
            case -1: return .refused("from=\"\(from)\" is invalid; sshd refuses the key")
            default: return .refused("from=\"\(from)\" does not match the client address \(address)")
            }
        }
        return .accepted(options)
    }
}
