import Foundation
import RunbookMarkdown
// The shared files' folder and the rest of the shared test support, for every file here.
@_exported import RunbookTestSupport
import Testing

/// `SourceLocation(line:column:)` in short, for tables of expected positions.
func at(_ line: Int, _ column: Int) -> RunbookMarkdown.SourceLocation {
    RunbookMarkdown.SourceLocation(line: line, column: column)
}

extension MarkdownDocument {
    var headings: [MarkdownBlock.Heading] {
        blocks.compactMap { if case .heading(let heading) = $0 { heading } else { nil } }
    }

    var fences: [MarkdownBlock.Fence] {
        blocks.compactMap { if case .fence(let fence) = $0 { fence } else { nil } }
    }

    var anchors: [MarkdownBlock.Anchor] {
        blocks.compactMap { if case .anchor(let anchor) = $0 { anchor } else { nil } }
    }

    var htmlBlocks: [MarkdownBlock.HTML] {
        blocks.compactMap { if case .html(let html) = $0 { html } else { nil } }
    }

    /// One line per block: kind, range and the text that identifies it, for readable comparisons.
    func dump() -> [String] {
        blocks.map { block in
            switch block {
            case .heading(let heading):
                "heading(\(heading.level)) \(heading.range.start)-\(heading.range.end) \(heading.text)"
            case .fence(let fence):
                "fence \(fence.range.start)-\(fence.range.end) info=\(fence.info) closed=\(fence.isClosed)"
            case .html(let html):
                "html \(html.range.start)-\(html.range.end)"
            case .anchor(let anchor):
                "anchor \(anchor.range.start) \(anchor.id)"
            case .other(let other):
                // Only the start: cmark ends some of these blocks at column 0 of the next line.
                "\(other.kind) \(other.range.start)"
            }
        }
    }
}

/// Files shared beside the project (`../shared`), read in place: they are never copied into the repository.
enum SharedFiles {
    static func url(_ relativePath: String) -> URL {
        URL(fileURLWithPath: Repository.shared).appendingPathComponent(relativePath).standardizedFileURL
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }
}
