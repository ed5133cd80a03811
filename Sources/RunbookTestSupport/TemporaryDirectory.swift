package import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh folder for one test, removed by `remove()`.
package struct TemporaryDirectory: Sendable {
    /// The folder's path.
    package let path: String

    /// The folder as a file URL.
    package var url: URL { URL(fileURLWithPath: path) }

    /// Makes the folder.
    ///
    /// - Parameters:
    ///   - label: the start of its name, under the system's temporary folder (`label-XXXXXX`, mode 700).
    ///   - short: a short path instead (`/tmp/rb-1a2b3c4d`, mode 755), as the paths a person types are:
    ///     for tests whose output shows the path within a terminal's width.
    package init(_ label: String = "rb-test", short: Bool = false) throws {
        if short {
            path = "/tmp/rb-\(UUID().uuidString.prefix(8).lowercased())"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return
        }
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SetupError("mkdtemp \(base)/\(label)-XXXXXX failed") }
        path = String(cString: made)
    }

    /// The path of `name` inside the folder.
    package func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to `name` inside the folder (making the folders on the way) with `mode`.
    ///
    /// - Returns: the file's path.
    @discardableResult
    package func write(_ name: String, _ text: String, mode: Int = 0o644) throws -> String {
        let target = file(name)
        let folder = (target as NSString).deletingLastPathComponent
        if folder != path {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try text.write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, mode_t(mode))
        return target
    }

    /// Removes the folder and everything in it.
    package func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A test's set-up went wrong (not the behaviour under test).
package struct SetupError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
