extension SearchExport {
    /// One term's postings as the page reads them: `doc:tf,tf;doc:tf...`, each document number as the
    /// difference to the previous one in base 36.
    struct Postings {
        var bytes: [UInt8] = []
        var last = 0

        mutating func add(_ document: Int, _ frequencies: ArraySlice<Int32>) {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: ";")) }
            Self.append(document - last, radix: 36, to: &bytes)
            last = document
            bytes.append(UInt8(ascii: ":"))
            for index in frequencies.indices {
                if index > frequencies.startIndex { bytes.append(UInt8(ascii: ",")) }
                Self.append(Int(frequencies[index]), radix: 10, to: &bytes)
            }
        }

        /// The digits of `value` (not negative) as `String(value, radix:)` writes them.
        static func append(_ value: Int, radix: Int, to bytes: inout [UInt8]) {
            var power = 1
            while value / power >= radix { power *= radix }
            var rest = value
            while power > 0 {
                let digit = rest / power
                bytes.append(UInt8(digit < 10 ? Int(UInt8(ascii: "0")) + digit : Int(UInt8(ascii: "a")) + digit - 10))
                rest -= digit * power
                power /= radix
            }
        }
    }

    /// `text` with each run of whitespace made one space and none at either end (as
    /// `split(whereSeparator: \.isWhitespace).joined(separator: " ")` makes it), or, when that is
    /// longer than `count` characters, the start of it: at least `count` characters, the ones it
    /// begins with. Only the start of a long text is looked at.
    static func flattened(_ text: String, atLeast count: Int) -> String {
        var flat = ""
        var added = 0
        var space = false
        for character in text {
            if PlainText.isWhitespace(character) {
                space = !flat.isEmpty
                continue
            }
            // Counted again: a character added can join the one before it.
            if added > count, flat.count > count { return flat }
            if space {
                flat.append(" ")
                added += 1
                space = false
            }
            flat.append(character)
            added += 1
        }
        return flat
    }

    /// JSON that stays inert where a script's text is read as HTML or as JavaScript: `<` (no
    /// `</script>`), U+2028 and U+2029 (line ends to older JavaScript) as `\u` escapes.
    static func inert(_ json: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(json.count + 1024)
        var index = 0
        while index < json.count {
            let byte = json[index]
            if byte == UInt8(ascii: "<") {
                result.append(contentsOf: "\\u003c".utf8)
            } else if byte == 0xE2, index + 2 < json.count, json[index + 1] == 0x80,
                json[index + 2] == 0xA8 || json[index + 2] == 0xA9
            {
                result.append(contentsOf: (json[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 2
            } else {
                result.append(byte)
            }
            index += 1
        }
        return result
    }
}
