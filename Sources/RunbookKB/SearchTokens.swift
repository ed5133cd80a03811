import Foundation

/// The words of a text as the index's tokenizer (FTS5 `unicode61 remove_diacritics 2`) sees them:
/// runs of letters and digits, lowercased, accents removed. Used for the site's exported index,
/// so that the page ranks the same tokens SQLite does.
enum SearchTokens {
    /// Calls `body` with each word of `text` in turn; how many there were.
    static func forEach(in text: String, _ body: (String) -> Void) -> Int {
        var total = 0
        var word: [UInt8] = []
        var nonASCII = false
        func finish() {
            guard !word.isEmpty else { return }
            var token = String(decoding: word, as: UTF8.self)
            if nonASCII {
                token = token.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            }
            body(token)
            total += 1
            word.removeAll(keepingCapacity: true)
            nonASCII = false
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
                default: finish()
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || scalar.properties.generalCategory == .nonspacingMark
            {
                word.append(contentsOf: String(scalar).utf8)
                nonASCII = true
            } else {
                finish()
            }
        }
        finish()
        return total
    }
}
