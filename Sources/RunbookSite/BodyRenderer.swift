import Foundation
import RunbookCore
import RunbookMarkdown

/// An entry of a page's table of contents.
struct TOCEntry {
    var level: Int
    var id: String
    /// The heading's text, already HTML (escaped, tags removed).
    var html: String
    var models: [String]?
}

/// Turns one Markdown file into the HTML of a page's main column.
///
/// cmark parses the whole file (so reference links work across it); a walk over its tree then
/// writes what cmark's HTML writer would, and on the way wraps sections and steps (with their ids,
/// models and kinds), replaces executable fences by a readable view, builds pipe tables, call-out
/// boxes and includes, checks every link and image URL, and sends raw HTML tag by tag through
/// ``SafeHTML``. Nothing from the Markdown reaches the page any other way.
struct BodyRenderer {
    let path: String
    let runbook: Runbook?
    let options: RenderOptions
    var depth = 0
    /// HTML (trusted, built by this module) put right after a step's heading, by step id.
    var annotations: [String: String] = [:]
    /// Extra classes for a step's wrapper (a run's status), by step id.
    var stepClasses: [String: String] = [:]
    /// On a run's report: the values the run used, shown in the blocks instead of `{{input}}`.
    var runValues: RunValues?

    struct Output {
        /// The HTML as UTF-8.
        var bytes: [UInt8]
        var html: String { String(decoding: bytes, as: UTF8.self) }
        var toc: [TOCEntry]
        var hasTitleHeading: Bool
    }

    /// A section's or step's heading, with what the page shows of it.
    struct Node {
        var id: String
        var models: [String]?
        /// The step's facts; `nil` for a section.
        var step: StepFacts?
        /// Whether the heading ends with an attribute list, which the page does not show.
        var hasAttributeList = false
    }

    /// What the page shows of a step (kept instead of the `Step`, which is costly to copy around).
    struct StepFacts {
        var kind: String
        var isSymptom: Bool
    }

    /// Renders `source`; `parsed` is cmark's tree from loading the same file, used when it is the
    /// tree of exactly the text this renderer gives cmark (includes replaced by placeholders).
    /// `extracted`, when given, is what ``IncludeReference/extract(from:)`` gives for `source`
    /// (which then has no byte-order mark and no front matter).
    func render(
        _ source: String, parsed: MarkdownDocument.Parsed? = nil,
        extracted given: IncludeReference.Extracted? = nil
    ) -> Output {
        let extracted: IncludeReference.Extracted
        if let given {
            extracted = given
        } else {
            var text = source
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            extracted = IncludeReference.extract(from: Self.blankingFrontMatter(text))
        }
        let tree: MarkdownTree
        let lines: SourceLines
        if let parsed, Self.sameBytes(parsed.source, extracted.text) {
            (tree, lines) = (parsed.tree, parsed.lines)
        } else {
            (tree, lines) = (MarkdownTree(parsing: extracted.text), SourceLines(extracted.text))
        }
        var walk = Walk(renderer: self, tree: tree, lines: lines, includes: extracted.references)
        walk.renderTree()
        return Output(
            bytes: walk.out, toc: walk.toc,
            hasTitleHeading: walk.sawH1)
    }

    /// Whether two strings have the same UTF-8 bytes (not only the same characters).
    static func sameBytes(_ first: String, _ second: String) -> Bool {
        guard first.utf8.count == second.utf8.count else { return false }
        var first = first
        var second = second
        return first.withUTF8 { a in
            second.withUTF8 { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }

    /// Empties the YAML front matter's lines (keeping their count, so cmark's lines are the file's),
    /// as ``MarkdownDocument`` does: only a block that is front matter (a YAML mapping).
    static func blankingFrontMatter(_ text: String) -> String {
        MarkdownDocument.blankingFrontMatter(text)
    }

    var showsSteps: Bool { runbook.map { $0.hasFrontMatter || $0.isExecutable } ?? false }

    func nodesByLine() -> (headings: [Int: Node], blocks: [Int: Block]) {
        guard let runbook else { return ([:], [:]) }
        var headings: [Int: Node] = [:]
        headings.reserveCapacity(runbook.sections.count + runbook.steps.count)
        var blocks: [Int: Block] = [:]
        for section in runbook.sections {
            headings[section.location.line] = Node(
                id: section.id, models: section.models, step: nil, hasAttributeList: section.hasAttributeList)
        }
        // A step's kind is drawn only on pages that show steps; an article (of thousands of
        // headings, each a step) does not need its graphs built.
        let kinds = showsSteps ? StepGraph.kinds(of: runbook) : [:]
        for step in runbook.steps {
            let facts = StepFacts(kind: (kinds[step.id] ?? .check).rawValue, isSymptom: step.isSymptom)
            headings[step.location.line] = Node(
                id: step.id, models: step.models, step: facts, hasAttributeList: step.hasAttributeList)
            for block in step.blocks { blocks[block.location.line] = block }
        }
        return (headings, blocks)
    }

    /// Renders a short Markdown text (a table cell) as sanitized inline HTML.
    func inlineHTML(_ markdown: String) -> String {
        Self.plainInlineHTML(markdown) ?? cmarkInlineHTML(markdown)
    }

    /// ``inlineHTML(_:)`` of a table's cells, with one cmark parse for all the cells that need one
    /// (a parser per cell was most of a big table's time): the cells, each a line of its own, are
    /// parsed as paragraphs apart, and each paragraph is its cell. When the parse is not one
    /// paragraph per cell (a cell that is a link definition, or opens an HTML block), every cell is
    /// parsed alone, as ``inlineHTML(_:)`` does.
    func inlineHTML(cells: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(cells.count)
        var pending: [(index: Int, text: String)] = []
        for (index, cell) in cells.enumerated() {
            if let plain = Self.plainInlineHTML(cell) {
                result.append(plain)
            } else {
                result.append("")
                pending.append((index, Self.startsBlock(cell) ? "\\" + cell : cell))
            }
        }
        guard !pending.isEmpty else { return result }
        if pending.count > 1, !pending.contains(where: { $0.text.utf8.contains(10) || $0.text.utf8.contains(13) }) {
            let tree = MarkdownTree(parsing: pending.map(\.text).joined(separator: "\n\n"))
            var paragraphs: [Int] = []
            var child = tree.nodes.isEmpty ? nil : tree.firstChild(of: 0)
            while let current = child, tree.nodes[current].kind == .paragraph {
                paragraphs.append(current)
                child = tree.nextSibling(of: current, in: 0)
            }
            if child == nil, paragraphs.count == pending.count {
                for (paragraph, cell) in zip(paragraphs, pending) {
                    var writer = InlineWriter(tree: tree, links: options.links)
                    writer.children(of: paragraph)
                    result[cell.index] = String(decoding: writer.out, as: UTF8.self)
                }
                return result
            }
        }
        for cell in pending { result[cell.index] = cmarkInlineHTML(cells[cell.index]) }
        return result
    }

    /// ``inlineHTML(_:)`` always through cmark and the sanitizer.
    func cmarkInlineHTML(_ markdown: String) -> String {
        var text = markdown
        // Keep a cell from turning into a heading, list, quote or code block.
        if Self.startsBlock(text) { text = "\\" + text }
        let tree = MarkdownTree(parsing: text)
        if let first = tree.firstChild(of: 0), tree.nextSibling(of: first, in: 0) == nil,
            tree.nodes[first].kind == .paragraph
        {
            // The usual cell: one paragraph, whose content is the cell's HTML.
            var writer = InlineWriter(tree: tree, links: options.links)
            writer.children(of: first)
            return String(decoding: writer.out, as: UTF8.self)
        }
        var html = Self.sanitize(MarkdownDocument.html(from: text), links: options.links)
        html = html.trimming(while: { $0 == " " || $0 == "\n" })
        if html.hasPrefix("<p>"), html.hasSuffix("</p>") { html = String(html.dropFirst(3).dropLast(4)) }
        return html
    }

    /// What ``inlineHTML(_:)`` gives for a one-line text that cmark can only read as plain text,
    /// without calling cmark; `nil` for any text that might hold Markdown (then cmark renders it).
    ///
    /// Plain means: no line break, no byte that starts inline syntax (`\`, `` ` ``, `*`, `_`, `[`,
    /// `]`, `<`, `&`), no control character, and a first byte (an ASCII letter or digit; digits not
    /// followed by `.` or `)` as in a list) that cannot open a block. cmark then writes
    /// `<p>text</p>` with `"` and `>` escaped, which the sanitizer leaves as it is.
    static func plainInlineHTML(_ text: String) -> String? {
        var utf8 = text.utf8.makeIterator()
        guard let first = utf8.next() else { return "" }
        let isDigit = first >= 48 && first <= 57
        guard isDigit || (first | 0x20 >= 97 && first | 0x20 <= 122) else { return nil }
        var leadingDigits = isDigit
        var needsEscape = false
        while let byte = utf8.next() {
            if leadingDigits {
                if byte >= 48 && byte <= 57 { continue }
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")") { return nil }
                leadingDigits = false
            }
            switch byte {
            case 0..<9, 10..<32, 127: return nil
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: "&"):
                return nil
            case UInt8(ascii: "\""), UInt8(ascii: ">"): needsEscape = true
            default: break
            }
        }
        // A trailing tab or space would be dropped by cmark; cells come trimmed, but be exact.
        if let last = text.utf8.last, last == 32 || last == 9 { return nil }
        guard needsEscape else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: Array("&quot;".utf8))
            case UInt8(ascii: ">"): out.append(contentsOf: Array("&gt;".utf8))
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a cell's text would open a block (heading, quote, list, fence) rather than a paragraph.
    static func startsBlock(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        let second = text.dropFirst().first
        switch first {
        case "#", ">", "=": return true
        case "-", "+", "*": return second == nil || second == " " || text.allSatisfy { $0 == first || $0 == " " }
        case "`", "~": return text.hasPrefix("```") || text.hasPrefix("~~~")
        default: return false
        }
    }

    /// Sends HTML through the allow-list without any of the page structure.
    static func sanitize(_ html: String, links: SafeHTML.Links = .init()) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(html.utf8.count)
        for token in HTMLTokenizer.tokens(html) {
            switch token {
            case .text(let bytes): HTMLEntities.appendText(bytes, to: &out)
            case .start(let tag): SafeHTML.appendStart(tag, links: links, to: &out)
            case .end(let name): _ = SafeHTML.appendEnd(name, to: &out)
            case .ignored: break
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
