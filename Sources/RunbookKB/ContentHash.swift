/// FNV-1a, 64 bits, with the length: enough to notice a changed file or document.
struct ContentHash {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private var count = 0

    mutating func add(_ text: String) { add(text.utf8) }

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
            count += 1
        }
    }

    var value: String { String(hash, radix: 16) + "-" + String(count) }

    static func of(_ bytes: [UInt8]) -> String {
        var hasher = ContentHash()
        hasher.add(bytes)
        return hasher.value
    }
}
