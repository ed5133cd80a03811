import Foundation

extension RunReport {
    /// Reads the log at `path` in one pass, a megabyte at a time: memory does not grow with the log.
    public init(contentsOf path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        self.init()
        var lines = LineSplitter()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            lines.feed([UInt8](chunk)[...]) { read($0) }
        }
        lines.finish { read($0) }
    }
}
