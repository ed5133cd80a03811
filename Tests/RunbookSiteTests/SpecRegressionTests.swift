import Foundation
import RunbookCore
import Testing

@testable import RunbookSite

/// The renderer's defects that the CommonMark spec examples showed, one test each.
@Suite("Rendering as CommonMark says")
struct SpecRegressionTests {
    /// The page's main column, without its section wrappers, heading ids and anchors (and the
    /// empty lines those leave).
    func body(_ markdown: String, path: String = "t.md") -> String {
        var html = CommonMarkSpecTests.pageBody(renderPage(markdown, path: path))
        while html.contains("\n\n") { html = html.replacing("\n\n", with: "\n") }
        return html
    }

    @Test(
        "a file starting with '---' that is no YAML mapping keeps its rule, paragraph and setext heading (spec 96, 98)")
    func ruleIsNotFrontMatter() {
        #expect(body("---\nFoo\n---\nBar\n---\nBaz\n") == "<hr>\n<h2>Foo</h2>\n<h2>Bar</h2>\n<p>Baz</p>\n")
        #expect(body("---\n---\n") == "<hr>\n<hr>\n")
        let loaded = Runbook.load(text: "---\nFoo\n---\nBar\n", path: "t.md")
        #expect(!loaded.runbook.hasFrontMatter)
        #expect(loaded.diagnostics.isEmpty)
    }

    @Test("front matter that is a YAML mapping is still front matter, and not on the page")
    func mappingIsFrontMatter() {
        let page = renderPage("---\nid: x\ntitle: The title\n---\n# The title\n\nText.\n")
        #expect(!page.contains("id: x"))
        #expect(page.contains("<p>Text.</p>"))
    }

    @Test("every HTML5 named character reference in a raw-HTML attribute is decoded (spec 31, 630)")
    func namedReferences() {
        #expect(body("<a href=\"&ouml;&ouml;.html\">\n") == "<a href=\"\u{F6}\u{F6}.html\">\n")
        #expect(body("foo <a href=\"&ouml;\">\n") == "<p>foo <a href=\"\u{F6}\"></p>\n")
        #expect(
            HTMLEntities.decode(ArraySlice("&ngE;&Afr;&amp;&unknownname;&ouml".utf8))
                == "\u{2267}\u{338}\u{1D504}&&unknownname;&ouml")
        #expect(HTMLEntities.namedTable.count == HTMLEntities.namedTableCount)
        #expect(HTMLEntities.namedTableCount == 2_125)
        #expect(HTMLEntities.namedTable["NewLine"] == "\n")
        #expect(HTMLEntities.namedTable["quot"] == "\"")
    }

    @Test("a decoded reference never sneaks a scheme past the URL check")
    func referencesAndSchemes() {
        let page = body("<a href=\"java&Tab;script&colon;alert(1)\">x</a>\n<a href=\"&#106;avascript:x\">y</a>\n")
        #expect(!page.contains("href"), "\(page)")
    }

    @Test("a URL whose text before ':' is no scheme is a relative link (spec 499)")
    func relativeURLWithColon() {
        #expect(body("[link](foo\\)\\:)\n") == "<p><a href=\"foo):\">link</a></p>\n")
        // (Spaces and control characters are dropped before the check, so `a b:c` is refused as
        // `ab:c` would be: stricter than a browser, never looser.)
        for url in ["foo):", "1x:y", "ö:x", ":x", "x%3A:y"] {
            #expect(SafeHTML.isSafeURL(url, image: false), "\(url)")
            #expect(SafeHTML.isSafeURL(bytes: ArraySlice(url.utf8), image: false), "\(url)")
        }
        for url in [
            "javascript:x", "JavaScript:x", "java\tscript:x", "vbscript:x", "data:text/html,x", "irc:x",
            "a+b:x", "x-y.z:w", "java\u{0}script:x",
        ] {
            #expect(!SafeHTML.isSafeURL(url, image: false), "\(url.debugDescription)")
            #expect(!SafeHTML.isSafeURL(bytes: ArraySlice(url.utf8), image: false), "\(url.debugDescription)")
        }
    }

    @Test(
        "a heading's '{...}' that is no attribute list stays heading text; an attribute list is not shown",
        arguments: [
            (
                "# Install {not an attribute list}\n", "<h1>Install {not an attribute list}</h1>\n",
                "Install {not an attribute list}"
            ),
            ("## Set x = {a b}\n", "<h2>Set x = {a b}</h2>\n", "Set x = {a b}"),
            ("## Quote {a=\"b}\n", "<h2>Quote {a=&quot;b}</h2>\n", "Quote {a=\"b}"),
            ("## Step {#s .symptom on-fail=stop}\n", "<h2>Step</h2>\n", "Step"),
            ("## Empty {}\n", "<h2>Empty</h2>\n", "Empty"),
        ])
    func headingAttributes(markdown: String, html: String, title: String) {
        #expect(body(markdown) == html)
        let runbook = Runbook.load(text: markdown, path: "t.md").runbook
        #expect((runbook.sections.map(\.title) + runbook.steps.map(\.title)) == [title])
    }
}
