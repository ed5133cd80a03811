import Testing

@testable import RunbookSite

/// The one URL check (``SafeHTML/isSafeURL(utf8:image:)``), through both of its entry points.
///
/// The cases are the union of those that compared the ASCII, byte and Unicode bodies with each
/// other before they became one; each now states the answer.
@Suite struct URLSafetyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var link: Bool
        var image: Bool
        var testDescription: String { url.debugDescription }
    }

    static func safe(_ url: String) -> Case { Case(url: url, link: true, image: true) }
    static func unsafe(_ url: String) -> Case { Case(url: url, link: false, image: false) }
    static func imageOnly(_ url: String) -> Case { Case(url: url, link: false, image: true) }

    static let cases: [Case] = [
        safe("http://x"), safe("HTTPS://x"), safe("mailto:a@b"), safe("tel:1"), safe("ftp://x"), safe("http:"),
        safe("/path:x"), safe("a/b:c"), safe("?q:x"), safe("?x:y"), safe("#x:y"), safe("x"), safe(""), safe(":"),
        safe("&#58;x"), safe("page.md"), safe("page.MD#x"), safe("../a/page.md?q=1"), safe("/abs.md"),
        safe("#frag.md"), safe("http://x/y.md"), safe("a.mdx"),
        unsafe("javascript:alert(1)"), unsafe("java\tscript:x"), unsafe(" javascript:x"), unsafe("JaVaScRiPt:x"),
        unsafe(" JAVASCRIPT:x"), unsafe("data:text/html,x"), unsafe("a&colon;b:c"), unsafe("a\\b:c"),
        unsafe("x\\y:z"), unsafe("vbscript:x"), unsafe("\u{1}javascript:x"), unsafe("java\u{7F}script:x"),
        imageOnly("data:image/png;base64,xx"), imageOnly("DATA:IMAGE/PNG,x"), imageOnly("data:IMAGE/GIF,x"),
        // Not ASCII: a scheme is ASCII letters, so these are relative paths.
        safe("ö:x"), safe("jav\u{E9}script:x"), safe("https://例え.jp/ü"),
        // The Kelvin sign lower-cases to `k` as a character, yet is no scheme letter for a browser:
        // the character check called this harmless relative link unsafe.
        safe("\u{212A}x:y"),
        // A combining mark after the colon made `:\u{301}` one character, which the character
        // check did not see as a colon, so it passed `javascript:`; the browser reads the scheme.
        unsafe("javascript:\u{301}alert(1)"), unsafe("javascript\u{1}:\u{200D}x"),
    ]

    @Test("each URL is judged as a browser reads it", arguments: cases)
    func judged(_ item: Case) {
        for (image, expected) in [(false, item.link), (true, item.image)] {
            #expect(SafeHTML.isSafeURL(item.url, image: image) == expected, "image: \(image)")
            #expect(
                SafeHTML.isSafeURL(bytes: ArraySlice(item.url.utf8), image: image) == expected, "bytes, image: \(image)"
            )
        }
    }
}
