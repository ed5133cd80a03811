/// A public key: its type name and base64 blob, and the blob's bytes, which sshd compares.
struct PublicKey: Equatable {
    var type: String
    var blob: String
    var bytes: [UInt8]

    /// `ssh-ed25519 AAAA…abcd`.
    var short: String { "\(type) \(blob.prefix(4))…\(blob.suffix(4))" }

    static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.bytes == rhs.bytes }

    /// The key names `sshkey_read` knows (OpenSSH `sshkey.c` `keytypes`).
    static let typeNames: Set<String> = {
        let plain = [
            "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
            "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com", "ssh-xmss@openssh.com",
        ]
        let certificates = plain.map { name in
            name.hasSuffix("@openssh.com")
                ? name.replacingOccurrences(of: "@openssh.com", with: "-cert-v01@openssh.com")
                : name + "-cert-v01@openssh.com"
        }
        return Set(plain + certificates)
    }()

    /// `sshkey_read` at the start of `text`: a known type name, blanks, a base64 blob whose own type
    /// name matches; `rest` is left after the blob.
    init?(reading text: Substring, rest: inout Substring) {
        guard let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
        let type = String(text[..<space])
        guard Self.typeNames.contains(type) else { return nil }
        let afterType = text[space...].droppingBlanks
        guard !afterType.isEmpty else { return nil }
        let blob = afterType.prefix(while: { $0 != " " && $0 != "\t" })
        // The blob names its own type, which must be the one in front of it.
        guard let bytes = Base64.decode(blob), Self.embeddedType(bytes) == type
        else { return nil }
        self.type = type
        self.blob = String(blob)
        self.bytes = bytes
        rest = afterType[blob.endIndex...]
    }

    /// The first string of a key blob: its type name.
    static func embeddedType(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 4 else { return nil }
        let length = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= bytes.count - 4 else { return nil }
        return String(decoding: bytes[4..<(4 + length)], as: UTF8.self)
    }

    /// The first key of a `.pub` file or `ssh-keygen -y` output.
    init?(publicKeyText text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            var rest = Substring("")
            let trimmed = Substring(line).droppingBlanks
            if let key = PublicKey(reading: trimmed, rest: &rest) {
                self = key
                return
            }
        }
        return nil
    }
}

/// One line of an authorized_keys file as sshd reads it (OpenSSH `auth2-pubkeyfile.c`
/// `auth_check_authkeys_file`, `auth_check_authkey_line`).
struct AuthorizedKeyLine: Equatable {
    var number: Int
    /// The option text in front of the key (`nil` when the line starts with the key).
    var optionsText: String?
    var key: PublicKey?
    /// Why sshd skips the line before comparing keys: unterminated quotes in the options.
    var invalid: String?

    /// The lines that hold something: blank lines and `#` comments are skipped.
    static func parse(_ text: String) -> [AuthorizedKeyLine] {
        var lines: [AuthorizedKeyLine] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.droppingBlanks
            guard let first = line.first, first != "#", first != "\r" else { continue }
            lines.append(AuthorizedKeyLine(number: index + 1, line: line))
        }
        return lines
    }

    init(number: Int, line: Substring) {
        self.number = number
        var rest = Substring("")
        if let key = PublicKey(reading: line, rest: &rest) {
            self.key = key
            return
        }
        // sshkey_advance_past_options: up to a blank outside double quotes (\" does not end them).
        var index = line.startIndex
        var quoted = false
        while index < line.endIndex, quoted || (line[index] != " " && line[index] != "\t") {
            if line[index] == "\\", line.index(after: index) < line.endIndex, line[line.index(after: index)] == "\"" {
                index = line.index(after: index)
            } else if line[index] == "\"" {
                quoted.toggle()
            }
            index = line.index(after: index)
        }
        optionsText = String(line[..<index])
        if index == line.endIndex && quoted {
            invalid = "invalid key option string"
            return
        }
        let afterOptions = line[index...].droppingBlanks
        key = PublicKey(reading: afterOptions, rest: &rest)
    }
}

/// A small base64 decoder (standard alphabet, `=` padding), as `sshbuf_b64tod` accepts.
enum Base64 {
    static func decode(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = 0
        var bits = 0
        var padding = 0
        for character in text.utf8 {
            let value: Int
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = Int(character) - 65
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = Int(character) - 71
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(character) + 4
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            default: return nil
            }
            guard padding == 0 else { return nil }
            buffer = buffer << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> bits) & 0xFF))
            }
        }
        guard !bytes.isEmpty, padding <= 2 else { return nil }
        return bytes
    }
}
