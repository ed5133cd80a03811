/// Escaping for HTML text and attributes, and decoding of character references in attribute
/// values (numeric ones and every named one of HTML5, see `HTMLEntityTable.swift`).
package enum HTMLEntities {
    /// Escapes `&`, `<`, `>`, `"` and `'`: safe in text and in quoted attribute values.
    package static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8 where byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39 {
            needs = true
            break
        }
        guard needs else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Appends ``escape(_:)`` of `text` to `output`.
    static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { buffer in
            var runStart = 0
            for index in 0..<buffer.count {
                let byte = buffer[index]
                // `>` is the largest byte to escape: one comparison passes most bytes.
                guard byte <= 62, byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39 else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
                appendReference(for: byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...]))
        }
    }

    /// The character reference ``escape(_:)`` writes for one of `&<>"'`.
    @inline(__always)
    static func appendReference(for byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case 38: output.append(contentsOf: [38, 97, 109, 112, 59])  // &amp;
        case 60: output.append(contentsOf: [38, 108, 116, 59])  // &lt;
        case 62: output.append(contentsOf: [38, 103, 116, 59])  // &gt;
        case 34: output.append(contentsOf: [38, 113, 117, 111, 116, 59])  // &quot;
        default: output.append(contentsOf: [38, 35, 51, 57, 59])  // &#39;
        }
    }

    /// Appends ``escape(_:)`` of the UTF-8 `bytes` to `output`.
    static func appendEscaped(_ bytes: some Sequence<UInt8>, to output: inout [UInt8]) {
        for byte in bytes {
            // `>` is the largest byte to escape: one comparison passes most bytes.
            guard byte <= 62 else {
                output.append(byte)
                continue
            }
            switch byte {
            case 38: output.append(contentsOf: [38, 97, 109, 112, 59])  // &amp;
            case 60: output.append(contentsOf: [38, 108, 116, 59])  // &lt;
            case 62: output.append(contentsOf: [38, 103, 116, 59])  // &gt;
            case 34: output.append(contentsOf: [38, 113, 117, 111, 116, 59])  // &quot;
            case 39: output.append(contentsOf: [38, 35, 51, 57, 59])  // &#39;
            default: output.append(byte)
            }
        }
    }

    /// Appends `bytes` escaped for HTML text to `output`; existing character references are kept.
    static func appendText(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var runStart = 0
            for index in 0..<buffer.count {
                let byte = buffer[index]
                guard byte == 60 || byte == 62 else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
                output.append(contentsOf: byte == 60 ? [38, 108, 116, 59] : [38, 103, 116, 59])  // &lt; &gt;
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...]))
        }
    }

    /// Decodes character references in an attribute value (`&#106;`, `&#x6A`, `&colon;`, `&ouml;`).
    ///
    /// Numeric references without `;` are decoded too, as browsers do; a name is decoded only with
    /// its `;` (as cmark does); unknown names stay as written (and their `&` is escaped on output,
    /// so the browser reads them as written too).
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(38) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        var result = ""
        var scalars = text.unicodeScalars[...]
        while let first = scalars.first {
            scalars.removeFirst()
            guard first == "&" else {
                result.unicodeScalars.append(first)
                continue
            }
            if scalars.first == "#" {
                var rest = scalars.dropFirst()
                var radix = 10
                if let x = rest.first, x == "x" || x == "X" {
                    radix = 16
                    rest = rest.dropFirst()
                }
                let digits = rest.prefix { $0.properties.isASCIIHexDigit && (radix == 16 || ("0"..."9").contains($0)) }
                if !digits.isEmpty, let value = UInt32(String(String.UnicodeScalarView(digits)), radix: radix) {
                    result.unicodeScalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                    rest = rest.dropFirst(digits.count)
                    if rest.first == ";" { rest = rest.dropFirst() }
                    scalars = rest
                    continue
                }
                result += "&"
                continue
            }
            let name = scalars.prefix { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            if scalars.dropFirst(name.count).first == ";",
                let decoded = namedTable[String(String.UnicodeScalarView(name))]
            {
                result += decoded
                scalars = scalars.dropFirst(name.count + 1)
            } else {
                result += "&"
            }
        }
        return result
    }
}
