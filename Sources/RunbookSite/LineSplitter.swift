/// Splits bytes that arrive in pieces into lines (at `\n`), keeping at most one line in memory.
///
/// A line longer than ``maxLength`` is not kept: it is reported as ``Line/tooLong(number:)`` and
/// its bytes are skipped up to its end, so a log without line breaks cannot fill the memory.
struct LineSplitter {
    enum Line {
        /// A line without its `\n`; `number` counts from 1.
        case text(ArraySlice<UInt8>, number: Int)
        case tooLong(number: Int)
    }

    static let maxLength = 16 << 20

    private var pending: [UInt8] = []
    private var number = 1
    private var skipping = false

    /// Calls `line` for each line that `bytes` completes.
    mutating func feed(_ bytes: ArraySlice<UInt8>, _ line: (Line) -> Void) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: 10) {
            if skipping {
                skipping = false
            } else if pending.count + (newline - start) > Self.maxLength {
                line(.tooLong(number: number))
                pending.removeAll()
            } else if pending.isEmpty {
                line(.text(bytes[start..<newline], number: number))
            } else {
                pending.append(contentsOf: bytes[start..<newline])
                line(.text(pending[...], number: number))
                pending.removeAll(keepingCapacity: true)
            }
            number += 1
            start = newline + 1
        }
        guard !skipping else { return }
        pending.append(contentsOf: bytes[start...])
        if pending.count > Self.maxLength {
            line(.tooLong(number: number))
            pending = []
            skipping = true
        }
    }

    /// Calls `line` for a last line without `\n`.
    mutating func finish(_ line: (Line) -> Void) {
        if !skipping, !pending.isEmpty { line(.text(pending[...], number: number)) }
        pending = []
    }
}
