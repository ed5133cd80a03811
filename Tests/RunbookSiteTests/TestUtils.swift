import Foundation
import RunbookActions
import RunbookCore
import RunbookSite
// Temporary folders and the rest of the shared test support, for every file here.
@_exported import RunbookTestSupport

/// The repository root.
let repositoryRoot = Repository.root

let corpus = Repository.shared + "/corpus"

func fixture(_ name: String) -> String {
    let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
    return try! String(contentsOf: url, encoding: .utf8)
}

func readFile(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}

/// Renders Markdown text as a page, as `runbook render` does.
func renderPage(_ text: String, path: String = "test.md", options: RenderOptions = RenderOptions()) -> String {
    PageRenderer(options: options).page(for: Runbook.load(text: text, path: path).runbook, source: text)
}

/// Start tags of an HTML text: name and attribute names (lower case), for safety assertions.
func startTags(_ html: String) -> [(name: String, attributes: [String])] {
    var result: [(String, [String])] = []
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        rest = rest[rest.index(after: open)...]
        guard let first = rest.first, first.isLetter else { continue }
        let end = rest.firstIndex(of: ">") ?? rest.endIndex
        let inside = rest[..<end]
        let name = inside.prefix { !$0.isWhitespace && $0 != "/" }.lowercased()
        var attributes: [String] = []
        var scan = inside.dropFirst(name.count)
        while !scan.isEmpty {
            scan = scan.drop { $0.isWhitespace || $0 == "/" }
            let attribute = scan.prefix { !$0.isWhitespace && $0 != "=" && $0 != "/" }
            if attribute.isEmpty { break }
            attributes.append(attribute.lowercased())
            scan = scan.dropFirst(attribute.count)
            if scan.first == "=" {
                scan = scan.dropFirst()
                if let quote = scan.first, quote == "\"" || quote == "'" {
                    scan = scan.dropFirst()
                    scan = scan.drop { $0 != quote }.dropFirst()
                } else {
                    scan = scan.drop { !$0.isWhitespace }
                }
            }
        }
        result.append((name, attributes))
        rest = rest[end...]
    }
    return result
}

/// Why a page is unsafe, or `nil` when only the page's own script is there.
func unsafeParts(_ html: String) -> [String] {
    var problems: [String] = []
    let scripts = startTags(html).filter { $0.name == "script" }.count
    if scripts != 1 { problems.append("\(scripts) script tags (the page has exactly one)") }
    for tag in startTags(html) {
        if [
            "iframe", "object", "embed", "frame", "svg", "math", "base", "meta", "link", "form", "style", "input",
            "textarea",
        ]
        .contains(tag.name), !(tag.name == "meta" || tag.name == "style") {
            problems.append("tag <\(tag.name)>")
        }
        for attribute in tag.attributes
        where attribute.hasPrefix("on") || attribute == "formaction"
            || attribute == "srcdoc" || attribute == "xlink:href"
        {
            problems.append("attribute \(attribute) on <\(tag.name)>")
        }
    }
    let lower = html.lowercased()
    for needle in ["javascript:", "vbscript:", "expression(", "data:text/html", "data:image/svg"]
    where lower.contains(needle) {
        problems.append("contains \(needle)")
    }
    let metas = startTags(html).filter { $0.name == "meta" }.count
    if metas != 4 { problems.append("\(metas) meta tags (the page has 4)") }
    let styles = startTags(html).filter { $0.name == "style" }.count
    if styles != 1 { problems.append("\(styles) style tags (the page has 1)") }
    return problems
}

/// A headless Chromium, if installed.
enum Browser {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var available: Bool { path != nil }

    /// Loads `url` and returns the DOM after its scripts ran.
    static func dumpDOM(_ url: String) async throws -> String {
        try await run(["--dump-dom", url])
    }

    static func screenshot(_ url: String, to file: String) async throws {
        _ = try await run(["--screenshot=\(file)", "--window-size=1200,900", "--hide-scrollbars", url])
    }

    /// Runs headless Chromium with swift-subprocess (the project's ProcessRunner): Foundation's
    /// `Process` beside swift-subprocess in one test process left children unreaped.
    static func run(_ arguments: [String]) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("rb-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let output = try await ProcessRunner.run(
            [
                path!, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000",
            ] + arguments,
            timeout: .seconds(90))
        return output.standardOutput
    }
}

/// A fresh folder `rb-site-NAME-XXXXXX` under the temporary folder.
///
/// Not throwing, for stored properties: a folder that could not be made fails the test at its first write.
func temporaryDirectory(_ name: String) -> String {
    (try? TemporaryDirectory("rb-site-\(name)").path) ?? "/nonexistent/rb-site-\(name)"
}
