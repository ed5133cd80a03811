/// FNV-1a, 64 bits, with the length: enough to notice a changed file, page or document.
public struct ContentHash: Sendable {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private var count = 0

    public init() {}

    public mutating func add(_ text: String) { add(text.utf8) }

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
            count += 1
        }
    }

    public var value: String { String(hash, radix: 16) + "-" + String(count) }

    public static func of(_ bytes: [UInt8]) -> String {
        var hasher = ContentHash()
        hasher.add(bytes)
        return hasher.value
    }
}
