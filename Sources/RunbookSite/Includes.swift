import Foundation
import RunbookCore
import RunbookMarkdown
import Synchronization

/// Finds and caches the files that `[AZURE.INCLUDE [name](path)]` names.
///
/// A path is resolved against the including file's folder; when it is not there, the
/// `fallbackDirectories` are searched by file name (the `ssh-family` corpus is flat). Rendered
/// includes are cached, so one shared between many articles is rendered once per site.
public final class Includes: Sendable {
    let fallbackDirectories: [String]
    private let texts = Mutex<[String: String?]>([:])
    private let rendered = Mutex<[String: [UInt8]]>([:])
    /// Resolved paths by including folder and reference (resolving touches the file system).
    private let resolved = Mutex<[String: String?]>([:])

    public init(fallbackDirectories: [String] = []) {
        self.fallbackDirectories = fallbackDirectories
    }

    /// The file an include in `includingFile` points to, if it exists.
    func resolve(_ reference: String, from includingFile: String) -> String? {
        // The including file's folder (as `deletingLastPathComponent` gives it), without Foundation.
        let directory: Substring
        if let slash = includingFile.lastIndex(of: "/") {
            directory = slash == includingFile.startIndex ? "/" : includingFile[..<slash]
        } else {
            directory = ""
        }
        let key = directory + "\u{0}" + reference
        if let cached = resolved.withLock({ $0[key] }) { return cached }
        let path = resolveUncached(reference, in: directory.isEmpty ? "." : String(directory))
        resolved.withLock { $0[key] = .some(path) }
        return path
    }

    private func resolveUncached(_ reference: String, in directory: String) -> String? {
        // Only Markdown files, and only inside the includes folders or the document's own tree:
        // `[AZURE.INCLUDE [x](../../../../etc/hostname)]` must not pull any readable file in.
        guard reference.hasSuffix(".md") else { return nil }
        let roots = allowedRoots(for: directory)
        let normalized = Self.lexicallyNormalized(directory + "/" + reference)
        if Self.isInside(normalized, roots), text(of: normalized) != nil { return normalized }
        let name = reference.split(separator: "/").last.map(String.init) ?? reference
        for fallback in fallbackDirectories {
            let path = Self.lexicallyNormalized(fallback + "/" + name)
            if Self.isInside(path, roots), text(of: path) != nil { return path }
        }
        return nil
    }

    /// The folders an include from `directory` may come from: the includes folders, and the
    /// document's tree — the folder that holds the nearest `articles` folder above it (the
    /// layout of the docs repositories: `articles/x/a.md` includes `../../includes/b.md`), else
    /// the document's own folder.
    func allowedRoots(for directory: String) -> [String] {
        var roots = fallbackDirectories.compactMap(Self.realPath)
        let parts = Self.lexicallyNormalized(directory).split(separator: "/", omittingEmptySubsequences: false)
        var tree = directory
        if let articles = parts.lastIndex(of: "articles") {
            tree = parts[..<articles].joined(separator: "/")
            if tree.isEmpty { tree = directory.hasPrefix("/") ? "/" : "." }
        }
        if let real = Self.realPath(tree) { roots.append(real) }
        return roots
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether the file's real path (symbolic links resolved) lies inside one of `roots`.
    static func isInside(_ path: String, _ roots: [String]) -> Bool {
        guard let real = realPath(path) else { return false }
        return roots.contains { root in root == "/" || real == root || real.hasPrefix(root + "/") }
    }

    /// `path` with `.` and `name/..` taken out, as a URL resolver does (no file system access:
    /// a symbolic link is not followed first).
    static func lexicallyNormalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    func text(of path: String) -> String? {
        if let cached = texts.withLock({ $0[path] }) { return cached }
        let loaded = TextFile.read(path)
        texts.withLock { $0[path] = .some(loaded) }
        return loaded
    }

    func cachedHTML(_ key: String, render: () -> [UInt8]) -> [UInt8] {
        if let html = rendered.withLock({ $0[key] }) { return html }
        let html = render()
        rendered.withLock { $0[key] = html }
        return html
    }
}

/// An `[AZURE.INCLUDE [name](path)]` found in a Markdown text, replaced there by a placeholder.
struct IncludeReference {
    var path: String
    var original: String

    static let open: Character = "\u{E000}"
    static let close: Character = "\u{E001}"

    typealias Extracted = (text: String, references: [IncludeReference])

    /// Replaces every include in `text` by `U+E000 n U+E001`, keeping lines where they were.
    static func extract(from text: String) -> Extracted {
        var text = text
        // A byte scan (memchr for `[`): `range(of:options:.caseInsensitive)` costs more than the
        // rest of rendering, and most files have no include at all.
        let starts: [Int] = text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return [] }
            let length = AzureInclude.marker.count
            var found: [Int] = []
            var position = 0
            while position + length <= buffer.count,
                let hit = memchr(base + position, 91, buffer.count - position - length + 1)
            {
                let start = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if AzureInclude.hasMarker(buffer, at: start) { found.append(start) }
                position = start + 1
            }
            return found
        }
        guard !starts.isEmpty else { return (text, []) }
        let pattern = AzureInclude.marker.count
        var references: [IncludeReference] = []
        // Where each include starts and ends, as byte offsets.
        var cuts: [(start: Int, end: Int)] = []
        text.withUTF8 { bytes in
            var copied = 0
            for start in starts where start >= copied {
                let afterMarker = start + pattern
                guard let parsed = AzureInclude.parse(afterMarker: bytes[afterMarker...]) else { continue }
                let end = afterMarker + parsed.length
                references.append(
                    IncludeReference(
                        path: parsed.include.path, original: String(decoding: bytes[start..<end], as: UTF8.self)))
                cuts.append((start, end))
                copied = end
            }
        }
        // The new string from slices of the text, which Swift copies without checking their UTF-8
        // again (the cuts are at ASCII brackets); a 50 MB file is not validated twice.
        let utf8 = text.utf8
        func at(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var result = ""
        result.reserveCapacity(utf8.count)
        var copied = 0
        for (number, cut) in cuts.enumerated() {
            result += text[at(copied)..<at(cut.start)]
            result += "\(open)\(number)\(close)"
            copied = cut.end
        }
        result += text[at(copied)...]
        return (result, references)
    }
}
