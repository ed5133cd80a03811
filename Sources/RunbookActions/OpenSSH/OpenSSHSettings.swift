/// The effective settings OpenSSH prints with `sshd -T` and `ssh -G` (both `dump_config`): one
/// `keyword value...` line each, a keyword repeated for each of its values.
enum OpenSSHSettings {
    /// Lower-case keyword → its values, repeated keywords in order (a keyword alone has one empty value).
    static func parse(_ text: String) -> [String: [String]] {
        var settings: [String: [String]] = [:]
        for line in text.nonEmptyLines {
            let parts = line.split(separator: " ", maxSplits: 1)
            settings[String(parts[0]).lowercased(), default: []].append(parts.count > 1 ? String(parts[1]) : "")
        }
        return settings
    }
}
