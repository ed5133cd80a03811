public import Foundation
import Synchronization

/// Finds and caches the files that `[AZURE.INCLUDE [name](path)]` names.
///
/// A path is resolved against the including file's folder; when it is not there, the
/// `fallbackDirectories` are searched by file name (the `ssh-family` corpus is flat). Rendered
/// includes are cached, so one shared between many articles is rendered once per site.
public final class Includes: Sendable {
    let fallbackDirectories: [String]
    private let texts = Mutex<[String: String?]>([:])
    private let rendered = Mutex<[String: String]>([:])

    public init(fallbackDirectories: [String] = []) {
        self.fallbackDirectories = fallbackDirectories
    }

    /// The file an include in `includingFile` points to, if it exists.
    func resolve(_ reference: String, from includingFile: String) -> String? {
        let directory = (includingFile as NSString).deletingLastPathComponent
        let candidate = ((directory.isEmpty ? "." : directory) as NSString).appendingPathComponent(reference)
        let normalized = (candidate as NSString).standardizingPath
        if text(of: normalized) != nil { return normalized }
        let name = (reference as NSString).lastPathComponent
        for fallback in fallbackDirectories {
            let path = (fallback as NSString).appendingPathComponent(name)
            if text(of: path) != nil { return path }
        }
        return nil
    }

    func text(of path: String) -> String? {
        if let cached = texts.withLock({ $0[path] }) { return cached }
        let loaded = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
        texts.withLock { $0[path] = .some(loaded) }
        return loaded
    }

    func cachedHTML(_ key: String, render: () -> String) -> String {
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

    /// Replaces every include in `text` by `U+E000 n U+E001`, keeping lines where they were.
    static func extract(from text: String) -> (text: String, references: [IncludeReference]) {
        guard text.range(of: "[azure.include", options: .caseInsensitive) != nil else { return (text, []) }
        var references: [IncludeReference] = []
        var result = ""
        var rest = Substring(text)
        while let found = rest.range(of: "[azure.include", options: .caseInsensitive) {
            result += rest[..<found.lowerBound]
            let after = rest[found.upperBound...]
            guard let parsed = parse(after) else {
                result += rest[found]
                rest = after
                continue
            }
            let original = String(rest[found.lowerBound..<parsed.end])
            result += "\(open)\(references.count)\(close)"
            references.append(IncludeReference(path: parsed.path, original: original))
            rest = rest[parsed.end...]
        }
        result += rest
        return (result, references)
    }

    /// Reads ` [name](path)]` after `[AZURE.INCLUDE`.
    private static func parse(_ text: Substring) -> (path: String, end: Substring.Index)? {
        var rest = text.drop { $0 == " " || $0 == "\t" }
        guard rest.first == "[", let nameEnd = rest.firstIndex(of: "]") else { return nil }
        rest = rest[rest.index(after: nameEnd)...]
        guard rest.first == "(", let pathEnd = rest.firstIndex(of: ")") else { return nil }
        let path = rest[rest.index(after: rest.startIndex)..<pathEnd].trimmingCharacters(in: .whitespaces)
        rest = rest[rest.index(after: pathEnd)...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == "]", !path.isEmpty, !path.contains("\n") else { return nil }
        return (path, rest.index(after: rest.startIndex))
    }
}
