import Foundation
import RunbookActions
import RunbookCore
import Testing

@testable import RunbookSite

/// The CommonMark spec as a test: every example outside the raw-HTML sections renders, with
/// `runbook render`'s page code, what the `cmark` CLI (the Debian cmark 0.30 the project links)
/// renders, after the page's own structure is taken off and both sides are normalised the way
/// the spec's test runner normalises HTML (`test/normalize.py` of commonmark-spec).
///
/// The spec file is the corpus copy (`../shared/corpus/commonmark-spec/spec-0.30.txt`, tag 0.30,
/// 652 examples), read in place.
@Suite("CommonMark spec 0.30 against the cmark CLI")
struct CommonMarkSpecTests {
    static let specPath = corpus + "/commonmark-spec/spec-0.30.txt"

    /// Sections whose examples are about raw HTML, which the renderer sends through its allow-list
    /// (``SafeHTML``) by design: they are not compared.
    static let rawHTMLSections: Set<String> = ["HTML blocks", "Raw HTML"]

    /// Examples outside the raw-HTML sections whose page differs from cmark's HTML on purpose,
    /// each with the rule of the sanitizer policy (``SafeHTML``: tags and URL schemes from an
    /// allow-list, raw HTML written anew from its parsed parts) that makes it differ.
    static let documentedDifferences: [Int: String] = [
        201: "inline raw HTML `<bar>`: tags outside the allow-list are dropped (their text is kept)",
        308: "an HTML comment `<!-- -->` is dropped: comments never reach the page",
        309: "an HTML comment `<!-- -->` is dropped: comments never reach the page",
        490: "inline raw HTML `<foo\\nbar>`: tags outside the allow-list are dropped",
        523: "inline raw HTML `<bar attr=\"](baz)\">`: tags outside the allow-list are dropped",
        535: "inline raw HTML `<bar attr=\"][ref]\">`: tags outside the allow-list are dropped",
        595: "autolink with scheme `irc:`: only http, https, mailto, ftp, tel and relative URLs keep their href",
        597: "autolink with scheme `a+b+c:`: only http, https, mailto, ftp, tel and relative URLs keep their href",
        598:
            "autolink with scheme `made-up-scheme:`: only http, https, mailto, ftp, tel and relative URLs keep their href",
        600: "autolink with scheme `localhost:`: only http, https, mailto, ftp, tel and relative URLs keep their href",
    ]

    struct Example: Sendable, CustomStringConvertible {
        var number: Int
        var section: String
        var markdown: String
        var description: String { "example \(number) (\(section))" }
    }

    /// The examples of the spec, numbered as the spec numbers them (from 1, in file order).
    static func examples() throws -> [Example] {
        let text = try #require(readFile(specPath), "the spec is missing: \(specPath) (see ../shared/corpus/README.md)")
        let fence = String(repeating: "`", count: 32)
        var examples: [Example] = []
        var section = ""
        var markdown: [Substring] = []
        var state = 0  // 0 outside, 1 in the Markdown, 2 in the HTML
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            switch state {
            case 0:
                if line == fence + " example" {
                    state = 1
                    markdown = []
                } else if line.hasPrefix("#") {
                    section = String(line.drop { $0 == "#" }.drop { $0 == " " })
                }
            case 1:
                if line == "." { state = 2 } else { markdown.append(line) }
            default:
                if line == fence {
                    state = 0
                    let body = markdown.map { $0 + "\n" }.joined().replacingOccurrences(of: "\u{2192}", with: "\t")
                    examples.append(Example(number: examples.count + 1, section: section, markdown: body))
                }
            }
        }
        return examples
    }

    /// The body of a page as `runbook render` writes it, without what the page adds around and in
    /// cmark's HTML: the `<main>` column's wrappers, sections and steps, heading ids and classes,
    /// the `#` anchors.
    static func pageBody(_ page: String) -> String {
        guard let open = page.range(of: "<main id=\"content\">\n"),
            let close = page.range(of: "</main>", options: .backwards)
        else { return page }
        var body = String(page[open.upperBound..<close.lowerBound])
        body = body.replacing(#/<section class="rb-[^"]*"[^>]*>\n/#, with: "")
        body = body.replacing("</section>\n", with: "")
        body = body.replacing(#/<(h[1-6]) id="[^"]*"( class="title-repeat")?>/#) { "<\($0.output.1)>" }
        body = body.replacing(#/ <a class="anchor" href="#[^"]*" title="Link to this section">#</a>/#, with: "")
        return body
    }

    static func cmarkHTML(_ markdown: String) async throws -> String {
        let output = try await ProcessRunner.run(["cmark", "--unsafe"], input: markdown, timeout: .seconds(30))
        #expect(output.exitCode == 0, "cmark failed: \(output.standardError)")
        return output.standardOutput
    }

    /// Renders every compared example with the page code and with the cmark CLI; the numbers of
    /// those whose normalised HTML differs, with both sides.
    static func compare(_ examples: [Example]) async throws -> [(Example, page: String, cmark: String)] {
        var cmark: [Int: String] = [:]
        // Two cmark processes at a time (the machine has two cores).
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var pending = examples[...]
            for _ in 0..<2 {
                guard let next = pending.popFirst() else { break }
                group.addTask { (next.number, try await cmarkHTML(next.markdown)) }
            }
            while let (number, html) = try await group.next() {
                cmark[number] = html
                if let next = pending.popFirst() {
                    group.addTask { (next.number, try await cmarkHTML(next.markdown)) }
                }
            }
        }
        var differing: [(Example, page: String, cmark: String)] = []
        for example in examples {
            let page = pageBody(renderPage(example.markdown, path: "example-\(example.number).md"))
            let expected = SpecHTML.normalize(cmark[example.number] ?? "")
            let actual = SpecHTML.normalize(page)
            if actual != expected { differing.append((example, actual, expected)) }
        }
        return differing
    }

    @Test("the spec has its 652 examples, 587 of them outside the raw-HTML sections")
    func specIsWhole() throws {
        let examples = try Self.examples()
        #expect(examples.count == 652)
        #expect(examples.filter { !Self.rawHTMLSections.contains($0.section) }.count == 587)
        #expect(examples[95].markdown == "---\nFoo\n---\nBar\n---\nBaz\n", "example 96")
    }

    @Test("every example outside raw HTML renders what cmark renders, except the documented differences")
    func examplesMatchCmark() async throws {
        let compared = try Self.examples().filter { !Self.rawHTMLSections.contains($0.section) }
        let differing = try await Self.compare(compared)
        for (example, page, cmark) in differing where Self.documentedDifferences[example.number] == nil {
            Issue.record("\(example): \(example.markdown.debugDescription)\n  page:  \(page)\n  cmark: \(cmark)")
        }
        let differingNumbers = Set(differing.map(\.0.number))
        for number in Self.documentedDifferences.keys.sorted() where !differingNumbers.contains(number) {
            Issue.record("example \(number) now matches cmark: remove it from documentedDifferences")
        }
        print(
            "CommonMark spec: \(compared.count - differing.count) of \(compared.count) examples outside raw HTML match cmark"
        )
    }

    @Test("the raw-HTML examples the allow-list keeps whole match cmark too (counted, not required)")
    func rawHTMLExamplesCounted() async throws {
        let compared = try Self.examples().filter { Self.rawHTMLSections.contains($0.section) }
        let differing = try await Self.compare(compared)
        print("CommonMark spec: \(compared.count - differing.count) of \(compared.count) raw-HTML examples match cmark")
        #expect(compared.count == 65)
    }

    @Test("the normaliser ignores what the spec's runner ignores, and nothing else")
    func normaliser() {
        #expect(SpecHTML.normalize("<p>a  \t b</p>") == "<p>a b</p>")
        #expect(SpecHTML.normalize("<p>a  \t\nb</p>") == "<p>a b</p>")
        #expect(SpecHTML.normalize("\n\t<p>\n\t\ta  b\t\t</p>\n\t") == "<p>a b</p>")
        #expect(SpecHTML.normalize("<i>a  b</i> ") == "<i>a b</i> ")
        #expect(SpecHTML.normalize("<br />") == "<br>")
        #expect(SpecHTML.normalize("<a title=\"bar\" HREF=\"foo\">x</a>") == "<a href=\"foo\" title=\"bar\">x</a>")
        #expect(SpecHTML.normalize("&forall;&amp;&gt;&lt;&quot;") == "\u{2200}&amp;&gt;&lt;&quot;")
        #expect(SpecHTML.normalize("<a href=\"&ouml;\">") == SpecHTML.normalize("<a href=\"ö\">"))
        #expect(SpecHTML.normalize("<pre><code>a  b\n</code></pre>") == "<pre><code>a  b\n</code></pre>")
        #expect(SpecHTML.normalize("<p>a</p>") != SpecHTML.normalize("<p>b</p>"))
        #expect(SpecHTML.normalize("<a href=\"x\">") != SpecHTML.normalize("<a>"))
        #expect(SpecHTML.normalize("<h2>Foo {x}</h2>") != SpecHTML.normalize("<h2>Foo</h2>"))
    }
}

/// HTML normalised as commonmark-spec's `test/normalize.py` does before it compares a renderer's
/// output with the spec's: white space collapsed outside `<pre>` and dropped around block tags,
/// tag and attribute names lower-cased, attributes sorted, self-closing tags as start tags,
/// character references decoded (except `<`, `>`, `&` and `"`, written as references).
enum SpecHTML {
    static let blockTags: Set<String> = [
        "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe", "body", "li", "map", "button", "object",
        "canvas", "ol", "caption", "output", "col", "p", "colgroup", "pre", "dd", "progress", "div", "section", "dl",
        "table", "td", "dt", "tbody", "embed", "textarea", "fieldset", "tfoot", "figcaption", "th", "figure", "thead",
        "footer", "tr", "form", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "video", "script", "style",
    ]

    enum Last { case startTag, endTag, data, other }

    static func normalize(_ html: String) -> String {
        var output = ""
        var last = Last.startTag
        var lastTag = ""
        var inPre = false
        var scalars = Array(html.unicodeScalars)[...]

        func escapeSpecial(_ text: String) -> String {
            var result = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "&": result += "&amp;"
                case "\"": result += "&quot;"
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result
        }
        func rstripOutput() {
            while let end = output.unicodeScalars.last, end.properties.isWhitespace {
                output.unicodeScalars.removeLast()
            }
        }
        func data(_ raw: String) {
            guard !raw.isEmpty else { return }
            var text = raw
            let afterTag = last == .startTag || last == .endTag
            let afterBlockTag = afterTag && blockTags.contains(lastTag)
            if afterTag, lastTag == "br" { text = String(text.drop { $0 == "\n" }) }
            if !inPre { text = collapse(text) }
            if afterBlockTag, !inPre {
                text = String(text.drop { $0.isWhitespace })
                if last == .endTag {
                    while let end = text.last, end.isWhitespace { text.removeLast() }
                }
            }
            output += text
            last = .data
        }
        func startTag(_ name: String, _ attributes: [(String, String?)], selfClosing: Bool) {
            if name == "pre" { inPre = true }
            if blockTags.contains(name) { rstripOutput() }
            output += "<" + name
            for (key, value) in attributes.sorted(by: { ($0.0, $0.1 ?? "") < ($1.0, $1.1 ?? "") }) {
                output += " " + key
                if let value { output += "=\"" + escapeSpecial(value) + "\"" }
            }
            output += ">"
            lastTag = name
            last = selfClosing ? .endTag : .startTag
        }
        func endTag(_ name: String) {
            if name == "pre" {
                inPre = false
            } else if blockTags.contains(name) {
                rstripOutput()
            }
            output += "</" + name + ">"
            lastTag = name
            last = .endTag
        }

        var text = ""
        func flush() {
            data(text)
            text = ""
        }
        while let scalar = scalars.first {
            if scalar == "&", let (decoded, length) = reference(scalars) {
                flush()
                output += decoded
                last = .other
                scalars = scalars.dropFirst(length)
                continue
            }
            if scalar == "<" {
                let rest = String(String.UnicodeScalarView(scalars.prefix(9)))
                if rest.hasPrefix("<![CDATA["), let end = find("]]>", in: scalars) {
                    flush()
                    output += String(String.UnicodeScalarView(scalars.prefix(end + 3)))
                    scalars = scalars.dropFirst(end + 3)
                    last = .other
                    continue
                }
                if rest.hasPrefix("<!--"), let found = find("-->", in: scalars.dropFirst(4)) {
                    let end = found + 4
                    flush()
                    output += String(String.UnicodeScalarView(scalars.prefix(end + 3)))
                    scalars = scalars.dropFirst(end + 3)
                    last = .other
                    continue
                }
                if rest.hasPrefix("<!") || rest.hasPrefix("<?"), let end = scalars.firstIndex(of: ">") {
                    flush()
                    output += String(String.UnicodeScalarView(scalars[..<(end + 1)]))
                    scalars = scalars[(end + 1)...]
                    last = .other
                    continue
                }
                if let tag = parseTag(scalars) {
                    flush()
                    if tag.isEnd {
                        endTag(tag.name)
                    } else {
                        startTag(tag.name, tag.attributes, selfClosing: tag.selfClosing)
                    }
                    scalars = scalars.dropFirst(tag.length)
                    continue
                }
            }
            text.unicodeScalars.append(scalar)
            scalars = scalars.dropFirst()
        }
        flush()
        return output
    }

    static func collapse(_ text: String) -> String {
        var result = ""
        var inSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !inSpace { result += " " }
                inSpace = true
            } else {
                result.unicodeScalars.append(scalar)
                inSpace = false
            }
        }
        return result
    }

    static func find(_ needle: String, in scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        let target = Array(needle.unicodeScalars)
        var index = scalars.startIndex
        while index + target.count <= scalars.endIndex {
            if scalars[index..<(index + target.count)].elementsEqual(target) { return index - scalars.startIndex }
            index += 1
        }
        return nil
    }

    /// A character reference at the start of `scalars`: its normalised text and its length.
    static func reference(_ scalars: ArraySlice<Unicode.Scalar>) -> (String, Int)? {
        let body = scalars.dropFirst().prefix(40)
        guard let semicolon = body.firstIndex(of: ";") else { return nil }
        let name = String(String.UnicodeScalarView(body[body.startIndex..<semicolon]))
        let length = name.unicodeScalars.count + 2
        let decoded = decodeReference("&" + name + ";")
        guard decoded != "&" + name + ";" else { return nil }
        return (decodedSpecial(decoded), length)
    }

    static func decodedSpecial(_ text: String) -> String {
        switch text {
        case "<": "&lt;"
        case ">": "&gt;"
        case "&": "&amp;"
        case "\"": "&quot;"
        default: text
        }
    }

    static func decodeReference(_ text: String) -> String {
        HTMLEntities.decode(ArraySlice(text.utf8))
    }

    struct Tag {
        var name: String
        var attributes: [(String, String?)]
        var isEnd: Bool
        var selfClosing: Bool
        var length: Int
    }

    /// A start or end tag at the start of `scalars` (HTML syntax, as Python's HTMLParser reads it).
    static func parseTag(_ scalars: ArraySlice<Unicode.Scalar>) -> Tag? {
        var index = scalars.startIndex + 1
        var isEnd = false
        if index < scalars.endIndex, scalars[index] == "/" {
            isEnd = true
            index += 1
        }
        func isNameStart(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && scalar.properties.isAlphabetic }
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { [" ", "\t", "\n", "\r", "\u{C}"].contains(scalar) }
        guard index < scalars.endIndex, isNameStart(scalars[index]) else { return nil }
        var name = ""
        while index < scalars.endIndex, !isSpace(scalars[index]), scalars[index] != "/", scalars[index] != ">" {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        var attributes: [(String, String?)] = []
        var selfClosing = false
        while index < scalars.endIndex {
            while index < scalars.endIndex, isSpace(scalars[index]) { index += 1 }
            guard index < scalars.endIndex else { return nil }
            if scalars[index] == ">" {
                return Tag(
                    name: name.lowercased(), attributes: attributes, isEnd: isEnd, selfClosing: selfClosing,
                    length: index + 1 - scalars.startIndex)
            }
            if scalars[index] == "/" {
                selfClosing = true
                index += 1
                continue
            }
            selfClosing = false
            var key = ""
            while index < scalars.endIndex, !isSpace(scalars[index]), scalars[index] != "=", scalars[index] != ">",
                scalars[index] != "/" || key.isEmpty
            {
                key.unicodeScalars.append(scalars[index])
                index += 1
            }
            while index < scalars.endIndex, isSpace(scalars[index]) { index += 1 }
            var value: String?
            if index < scalars.endIndex, scalars[index] == "=" {
                index += 1
                while index < scalars.endIndex, isSpace(scalars[index]) { index += 1 }
                guard index < scalars.endIndex else { return nil }
                var raw = ""
                if scalars[index] == "\"" || scalars[index] == "'" {
                    let quote = scalars[index]
                    index += 1
                    while index < scalars.endIndex, scalars[index] != quote {
                        raw.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard index < scalars.endIndex else { return nil }
                    index += 1
                } else {
                    while index < scalars.endIndex, !isSpace(scalars[index]), scalars[index] != ">" {
                        raw.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                }
                value = decodeReference(raw)
            }
            attributes.append((key.lowercased(), value))
        }
        return nil
    }
}
