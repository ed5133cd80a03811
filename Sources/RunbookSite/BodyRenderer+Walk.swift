import RunbookCore
import RunbookMarkdown

extension BodyRenderer {
    /// One pass over cmark's tree (see `BodyRenderer+Tree.swift`), writing the page body; raw HTML
    /// in the Markdown goes through the same handlers tag by tag (``runTokens(_:)``).
    struct Walk {
        let renderer: BodyRenderer
        /// ``BodyRenderer/showsSteps``, computed once (it looks at every step).
        let showsSteps: Bool
        let tree: MarkdownTree
        /// The tokens of the raw HTML being written.
        var tokens: [HTMLToken] = []
        /// The lines of the text cmark parsed (tables are read from them).
        let lines: SourceLines
        let includes: [IncludeReference]
        let headings: [Int: Node]
        let blocks: [Int: Block]
        var out: [UInt8] = []
        var toc: [TOCEntry] = []
        var sawH1 = false
        var usedIDs: Set<String> = []

        var index = 0
        var wrapperLevels: [Int] = []
        var quotes: [Bool] = []
        var paragraphCallout = false
        var strip: (index: Int, length: Int)? = nil
        var preDepth = 0
        var heading: (level: Int, line: Int?, start: Int)? = nil

        /// The last byte cmark's HTML writer would have written by now (0 before the first), which
        /// decides where it puts a line break.
        var cmarkLast: UInt8 = 0
        /// An inline raw-text element (`style`, `script`...) left open in the current paragraph.
        var rawTextSkip: String?
        /// Scratch space for a heading's HTML.
        var headingBuffer: [UInt8] = []

        init(renderer: BodyRenderer, tree: MarkdownTree, lines: SourceLines, includes: [IncludeReference]) {
            self.renderer = renderer
            self.tree = tree
            self.lines = lines
            self.includes = includes
            showsSteps = renderer.showsSteps
            (headings, blocks) = renderer.nodesByLine()
            usedIDs = Set(headings.values.map(\.id))
            out.reserveCapacity(lines.utf8Count * 2)
        }

        /// Writes a piece of raw HTML (an HTML block or inline HTML) token by token.
        mutating func runTokens(_ fragment: [HTMLToken]) {
            tokens = fragment
            index = 0
            strip = nil
            while index < tokens.count {
                switch tokens[index] {
                case .text(var bytes):
                    if let pending = strip, pending.index == index {
                        bytes = bytes.dropFirst(pending.length)
                        strip = nil
                    }
                    appendText(bytes)
                case .start(let tag):
                    start(tag)
                case .end(let name):
                    end(name)
                case .ignored:
                    break
                }
                index += 1
            }
            tokens = []
        }

        // MARK: - Tags

        mutating func start(_ tag: HTMLToken.Tag) {
            switch tag.name {
            case "h1", "h2", "h3", "h4", "h5", "h6":
                let level = Int(tag.name.dropFirst())!
                if heading == nil {
                    heading = (level, Self.sourcePosition(tag)?.line, out.count)
                }
            case "pre":
                if let line = Self.sourcePosition(tag)?.line, let block = blocks[line] {
                    append(renderer.blockHTML(block))
                    skip(to: "pre")
                    return
                }
                preDepth += 1
                SafeHTML.appendStart(tag, to: &out)
            case "p":
                if let position = Self.sourcePosition(tag), position.endLine > position.line, paragraphTable(position) {
                    skip(to: "p")
                    return
                }
                if strip?.index != index + 1, index + 1 < tokens.count, case .text(let text) = tokens[index + 1],
                    let marker = Callout.marker(at: text)
                {
                    append(marker.callout.openingHTML + "<p>")
                    strip = (index + 1, marker.length)
                    paragraphCallout = true
                    return
                }
                SafeHTML.appendStart(tag, to: &out)
            case "blockquote":
                if let (textIndex, marker) = calloutAfterQuote() {
                    append(marker.callout.openingHTML)
                    strip = (textIndex, marker.length)
                    quotes.append(true)
                } else {
                    quotes.append(false)
                    SafeHTML.appendStart(tag, to: &out)
                }
            default:
                SafeHTML.appendStart(tag, links: renderer.options.links, to: &out)
            }
        }

        mutating func end(_ name: String) {
            switch name {
            case "h1", "h2", "h3", "h4", "h5", "h6":
                if let open = heading, "h\(open.level)" == name {
                    finishHeading(open)
                    heading = nil
                } else {
                    _ = SafeHTML.appendEnd(name, to: &out)
                }
            case "blockquote":
                if quotes.popLast() == true {
                    append("</div>")
                } else {
                    _ = SafeHTML.appendEnd(name, to: &out)
                }
            case "p":
                append(paragraphCallout ? "</p></div>" : "</p>")
                paragraphCallout = false
            case "pre":
                preDepth = max(0, preDepth - 1)
                _ = SafeHTML.appendEnd(name, to: &out)
            default:
                _ = SafeHTML.appendEnd(name, to: &out)
            }
        }

        /// The text token right after `<blockquote>` and its `<p>`, when it starts with a call-out marker.
        func calloutAfterQuote() -> (Int, (callout: Callout, length: Int))? {
            var next = index + 1
            while next < tokens.count, case .text(let text) = tokens[next], text.allSatisfy({ $0 == 10 || $0 == 32 }) {
                next += 1
            }
            guard next + 1 < tokens.count, case .start(let tag) = tokens[next], tag.name == "p",
                case .text(let text) = tokens[next + 1], let marker = Callout.marker(at: text)
            else { return nil }
            return (next + 1, marker)
        }

        /// Moves `index` to the end tag that closes the element started at `index`.
        mutating func skip(to name: String) {
            var nesting = 0
            while index + 1 < tokens.count {
                index += 1
                switch tokens[index] {
                case .start(let tag) where tag.name == name: nesting += 1
                case .end(let ended) where ended == name:
                    if nesting == 0 { return }
                    nesting -= 1
                default: break
                }
            }
        }

        // MARK: - Headings, sections and steps

        mutating func finishHeading(_ open: (level: Int, line: Int?, start: Int)) {
            // The heading's HTML moves to a buffer kept from one heading to the next.
            var content = headingBuffer
            headingBuffer = []
            content.removeAll(keepingCapacity: true)
            content.append(contentsOf: out[open.start...])
            out.removeSubrange(open.start...)
            defer { headingBuffer = content }
            let node = open.line.flatMap { headings[$0] }
            // Only an attribute list the loader read: any other `{...}` is heading text.
            if node?.hasAttributeList == true { Self.stripAttributes(&content) }
            while let last = content.last, last == 32 || last == 10 { content.removeLast() }
            let plain = Self.stripTags(content)
            let id: String
            if let node {
                id = node.id
                closeWrappers(downTo: open.level)
                openWrapper(node, level: open.level)
            } else {
                var base = Slug.make(HTMLEntities.decode(ArraySlice(plain.utf8)))
                if base.isEmpty { base = "section" }
                var unique = base
                var number = 2
                while usedIDs.contains(unique) {
                    unique = "\(base)-\(number)"
                    number += 1
                }
                id = unique
            }
            if node == nil { usedIDs.insert(id) }
            if open.level == 1 { sawH1 = true }
            // The page header shows the title; an H1 that repeats it stays in the page for its anchor.
            let repeatsTitle =
                open.level == 1 && renderer.depth == 0
                && HTMLEntities.decode(ArraySlice(plain.utf8)) == renderer.runbook?.title
            let digit = UInt8(ascii: "0") + UInt8(clamping: open.level)
            out.append(contentsOf: [60, 104, digit])  // <hN
            append(" id=\"")
            HTMLEntities.appendEscaped(id, to: &out)
            append(repeatsTitle ? "\" class=\"title-repeat\">" : "\">")
            out.append(contentsOf: content)
            append(" <a class=\"anchor\" href=\"#")
            HTMLEntities.appendEscaped(id, to: &out)
            append("\" title=\"Link to this section\">#</a>")
            if let node, showsSteps { append(badges(node)) }
            out.append(contentsOf: [60, 47, 104, digit, 62, 10])  // </hN>\n
            if let node, node.step != nil, let note = renderer.annotations[node.id] { append(note) }
            if renderer.depth == 0, open.level <= 3 {
                toc.append(TOCEntry(level: open.level, id: id, html: plain, models: node?.models))
            }
        }

        mutating func openWrapper(_ node: Node, level: Int) {
            append(node.step == nil ? "<section class=\"rb-section" : "<section class=\"rb-step")
            if let step = node.step, showsSteps {
                append(" kind-")
                append(step.kind)
            }
            if node.step != nil, let extra = renderer.stepClasses[node.id] {
                append(" ")
                append(extra)
            }
            append("\" data-node=\"")
            HTMLEntities.appendEscaped(node.id, to: &out)
            if let models = node.models {
                append("\" data-model=\"")
                HTMLEntities.appendEscaped(models.joined(separator: " "), to: &out)
            }
            append("\">\n")
            wrapperLevels.append(level)
        }

        mutating func closeWrappers(downTo level: Int) {
            while let last = wrapperLevels.last, last >= level {
                append("</section>\n")
                wrapperLevels.removeLast()
            }
        }

        func badges(_ node: Node) -> String {
            var html = ""
            if let step = node.step {
                html += " <span class=\"badge badge-\(step.kind)\">\(step.kind)</span>"
                if step.isSymptom { html += " <span class=\"badge badge-symptom\">symptom</span>" }
            }
            for model in node.models ?? [] {
                let name = renderer.runbook?.model(model)?.name ?? model
                html +=
                    " <span class=\"badge badge-model\" title=\"\(HTMLEntities.escape(name))\">"
                    + HTMLEntities.escape(model) + "</span>"
            }
            return html
        }

        /// Removes a trailing Pandoc attribute list (`{#id .class key=value}`) from a heading's HTML.
        static func stripAttributes(_ content: inout [UInt8]) {
            var end = content.count
            while end > 0, content[end - 1] == 32 || content[end - 1] == 10 { end -= 1 }
            guard end > 0, content[end - 1] == UInt8(ascii: "}"),
                let open = content[..<end].lastIndex(of: UInt8(ascii: "{")),
                !content[open..<end].contains(UInt8(ascii: "<"))
            else { return }
            content.removeSubrange(open...)
        }

        /// The text of a heading's HTML: tags dropped, spaces and line feeds trimmed off both ends.
        static func stripTags(_ html: [UInt8]) -> String {
            var result: [UInt8] = []
            result.reserveCapacity(html.count)
            var inTag = false
            for byte in html {
                if byte == 60 {
                    inTag = true
                } else if byte == 62 && inTag {
                    inTag = false
                } else if !inTag {
                    result.append(byte)
                }
            }
            var low = 0
            var high = result.count
            while low < high, result[low] == 32 || result[low] == 10 { low += 1 }
            while high > low, result[high - 1] == 32 || result[high - 1] == 10 {
                // `\r\n` is one character, and not one of the two trimmed.
                if result[high - 1] == 10, high - 1 > low, result[high - 2] == 13 { break }
                high -= 1
            }
            return String(decoding: result[low..<high], as: UTF8.self)
        }

        // MARK: - Text, includes, tables

        mutating func appendText(_ bytes: ArraySlice<UInt8>) {
            // U+E000 in UTF-8: an include placeholder.
            guard bytes.contains(0xEE) else {
                HTMLEntities.appendText(bytes, to: &out)
                return
            }
            var rest = bytes
            while let markerStart = Self.placeholder(in: rest) {
                HTMLEntities.appendText(rest[rest.startIndex..<markerStart.start], to: &out)
                if markerStart.number < includes.count {
                    let reference = includes[markerStart.number]
                    if preDepth > 0 {
                        append(HTMLEntities.escape(reference.original))
                    } else {
                        renderer.appendInclude(reference, to: &out)
                    }
                }
                rest = rest[markerStart.end...]
            }
            HTMLEntities.appendText(rest, to: &out)
        }

        static func placeholder(in bytes: ArraySlice<UInt8>) -> (start: Int, end: Int, number: Int)? {
            var position = bytes.startIndex
            while position + 2 < bytes.endIndex {
                if bytes[position] == 0xEE, bytes[position + 1] == 0x80, bytes[position + 2] == 0x80 {
                    var cursor = position + 3
                    var number = 0
                    var digits = 0
                    while cursor < bytes.endIndex, bytes[cursor] >= 48, bytes[cursor] <= 57, digits < 6 {
                        number = number * 10 + Int(bytes[cursor] - 48)
                        cursor += 1
                        digits += 1
                    }
                    if digits > 0, cursor + 2 < bytes.endIndex, bytes[cursor] == 0xEE, bytes[cursor + 1] == 0x80,
                        bytes[cursor + 2] == 0x81
                    {
                        return (position, cursor + 3, number)
                    }
                }
                position += 1
            }
            return nil
        }

        /// Renders the paragraph at `position` as a table if its source lines hold one.
        mutating func paragraphTable(_ position: SourcePosition) -> Bool {
            guard hasPipeRow(from: position.line, to: position.endLine) else { return false }
            var lines: [String] = []
            for line in position.line...position.endLine {
                var text = Substring(sourceLine(line))
                var drop = position.column - 1
                while drop > 0, let first = text.first, first == " " || first == ">" || first == "\t" {
                    text.removeFirst()
                    drop -= 1
                }
                lines.append(String(text))
            }
            guard lines.count >= 2, lines.contains(where: { PipeTable.has($0, 124, { $0.contains("|") }) }),
                let found = PipeTable.find(in: lines)
            else { return false }
            if !found.before.isEmpty {
                append("<p>" + renderer.inlineHTML(found.before.joined(separator: "\n")) + "</p>\n")
            }
            let cells = found.table.header + found.table.rows.joined()
            let cellHTML = Dictionary(
                zip(cells, renderer.inlineHTML(cells: cells)), uniquingKeysWith: { first, _ in first })
            found.table.append(to: &out, inline: { cellHTML[$0] ?? renderer.inlineHTML($0) })
            if !found.after.isEmpty {
                append("<p>" + renderer.inlineHTML(found.after.joined(separator: "\n")) + "</p>\n")
            }
            return true
        }

        /// A cheap test before the real one: some line holds both `|` and `-` (a delimiter row).
        func hasPipeRow(from first: Int, to last: Int) -> Bool {
            for number in first...max(first, last) {
                guard let line = lines.bytes(ofLine: number) else { return false }
                if line.contains(124), line.contains(45) { return true }
            }
            return false
        }

        func sourceLine(_ number: Int) -> String {
            lines[number] ?? ""
        }

        mutating func append(_ text: String) { out.append(contentsOf: text.utf8) }

        struct SourcePosition {
            var line: Int
            var column: Int
            var endLine: Int
        }

        /// cmark's `data-sourcepos="3:1-5:10"`.
        static func sourcePosition(_ tag: HTMLToken.Tag) -> SourcePosition? {
            guard let value = tag.attribute("data-sourcepos") else { return nil }
            // `value.split(whereSeparator: { ":" or "-" }).compactMap { Int($0) }` on bytes.
            var numbers: [Int] = []
            numbers.reserveCapacity(4)
            var utf8 = value.utf8.makeIterator()
            var piece: [UInt8] = []
            var more = true
            while more {
                let byte = utf8.next()
                more = byte != nil
                if let byte, byte != UInt8(ascii: ":"), byte != UInt8(ascii: "-") {
                    piece.append(byte)
                    continue
                }
                if !piece.isEmpty, let number = Self.decimal(piece) { numbers.append(number) }
                piece.removeAll(keepingCapacity: true)
            }
            guard numbers.count == 4 else { return nil }
            return SourcePosition(line: numbers[0], column: numbers[1], endLine: numbers[2])
        }

        /// `Int(String(decoding: bytes, as: UTF8.self))` for a piece without `-`.
        static func decimal(_ bytes: [UInt8]) -> Int? {
            var digits = bytes[...]
            if digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var value = 0
            for byte in digits {
                guard byte >= 48, byte <= 57 else { return nil }
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int(byte - 48))
                if overflow1 || overflow2 { return nil }
                value = sum
            }
            return value
        }
    }
}
