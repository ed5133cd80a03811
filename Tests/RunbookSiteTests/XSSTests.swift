import Foundation
import Testing

@testable import RunbookSite

/// Payloads that would set `document.title` to PWNED (or add `#pwned`) if any of them ran.
enum XSS {
    static let js = "document.title='PWNED'"

    static let markdown: [String] = [
        "<script>document.title='PWNED'</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=\"document.title='PWNED'\">",
        "<img src=x onerror=document.title='PWNED'>",
        "<IMG SRC=x OnErRoR=\"document.title='PWNED'\">",
        "<img src=\"x\"/onerror=\"document.title='PWNED'\">",
        "<img src=`x` onerror=\"document.title='PWNED'\">",
        "<svg onload=\"document.title='PWNED'\"></svg>",
        "<svg><script>document.title='PWNED'</script></svg>",
        "<iframe src=\"javascript:document.title='PWNED'\"></iframe>",
        "<iframe srcdoc=\"<script>parent.document.title='PWNED'</script>\"></iframe>",
        "<object data=\"javascript:document.title='PWNED'\"></object>",
        "<embed src=\"javascript:document.title='PWNED'\">",
        "<a href=\"javascript:document.title='PWNED'\" id=\"clickme\">x</a>",
        "<a href=\"JaVaScRiPt:document.title='PWNED'\">x</a>",
        "<a href=\"java&#x09;script:document.title='PWNED'\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;document.title='PWNED'\">x</a>",
        "<a href=\"javascript&colon;document.title='PWNED'\">x</a>",
        "<a href=\" \u{01}javascript:document.title='PWNED'\">x</a>",
        "[link](javascript:document.title='PWNED')",
        "[link](<javascript:document.title='PWNED'>)",
        "![image](javascript:document.title='PWNED')",
        "<a href=\"data:text/html,<script>document.title='PWNED'</script>\">x</a>",
        "<img src=\"data:image/svg+xml,<svg onload=document.title='PWNED'>\">",
        "<div style=\"width: expression(document.title='PWNED')\">x</div>",
        "<div style=\"background:url(javascript:document.title='PWNED')\">x</div>",
        "<body onload=\"document.title='PWNED'\">",
        "<details open ontoggle=\"document.title='PWNED'\"><summary>x</summary></details>",
        "<input autofocus onfocus=\"document.title='PWNED'\">",
        "<form><button formaction=\"javascript:document.title='PWNED'\">x</button></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=\"document.title='PWNED'\">",
        "<style>@import 'javascript:document.title=1';</style><p>styled</p>",
        "<img src=x onerror=\"var p=document.createElement('p');p.id='pwned';document.body.appendChild(p)\">",
        "<!--<img src=x onerror=\"document.title='PWNED'\">-->",
        "<!-- --><img src=x onerror=\"document.title='PWNED'\"><!-- -->",
        "<scr<script>ipt>document.title='PWNED'</script>",
        "<p title=\"</p><script>document.title='PWNED'</script>\">x</p>",
        "<a href=\"#\" title='x\"onmouseover=\"document.title=1'>x</a>",
        "<base href=\"javascript:document.title='PWNED'//\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:document.title='PWNED'\">",
        "<textarea><img src=x onerror=\"document.title='PWNED'\"></textarea>",
        "<noscript><p title=\"</noscript><img src=x onerror=document.title='PWNED'>\"></noscript>",
        "<img src=x onerror=\"document.title='PWNED'\"",
        "<video><source onerror=\"document.title='PWNED'\"></video>",
        "<marquee onstart=\"document.title='PWNED'\">x</marquee>",
        "```check tcp-connect host=\"<img src=x onerror=document.title='PWNED'>\" port=22\n```",
        "<div onclick=\"document.title='PWNED'\" onmouseover=\"document.title='PWNED'\">hover</div>",
    ]

    /// Payloads in the metadata: each becomes the title, summary, a keyword, a model name and an input.
    static let metadata: [String] = [
        "</title><script>document.title='PWNED'</script>",
        "\"><img src=x onerror=\"document.title='PWNED'\">",
        "'><svg onload=document.title='PWNED'>",
        "<script>document.title='PWNED'</script>",
        "x\" onmouseover=\"document.title='PWNED'",
        "</style><script>document.title='PWNED'</script>",
    ]

    static func markdownPage(_ payload: String) -> String {
        """
        ---
        id: xss
        title: Known title
        models:
          arm: Resource Manager
          classic: Classic
        ---

        # Known title

        Before.

        \(payload)

        ## A step {#a-step}

        \(payload)

        > [AZURE.NOTE] \(payload)

        | a | b |
        |---|---|
        | \(payload.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")) | x |

        After.
        """
    }

    static func metadataPage(_ payload: String) -> String {
        let quoted = "'" + payload.replacingOccurrences(of: "'", with: "''") + "'"
        return """
            ---
            id: xss
            title: \(quoted)
            summary: \(quoted)
            keywords: [\(quoted)]
            services: [\(quoted)]
            models:
              arm: \(quoted)
            inputs:
              host: { description: \(quoted), default: \(quoted) }
            ---

            # Heading {#h model=arm}

            ## Step {#s}

            Text.
            """
    }
}

@Suite("XSS payloads never reach the page")
struct XSSTests {
    @Test("Markdown payloads are sanitized", arguments: XSS.markdown)
    func markdownPayload(_ payload: String) {
        let html = renderPage(XSS.markdownPage(payload))
        #expect(unsafeParts(html) == [], "payload: \(payload)")
        #expect(html.contains("<title>Known title</title>"))
        #expect(html.contains("After."), "the rest of the page is still there")
    }

    @Test("Metadata payloads are escaped", arguments: XSS.metadata)
    func metadataPayload(_ payload: String) {
        let html = renderPage(XSS.metadataPage(payload))
        #expect(unsafeParts(html) == [], "payload: \(payload)")
        #expect(html.contains("<title>\(HTMLEntities.escape(payload))</title>"))
    }

    @Test("There are at least 30 payloads")
    func enoughPayloads() {
        #expect(XSS.markdown.count + XSS.metadata.count >= 30)
    }

    @Test("Safe HTML survives: anchors, images, tables, layout")
    func allowedHTMLIsKept() {
        let html = renderPage(
            """
            # T

            <a id="old-anchor"></a>
            <a name="named"></a>

            <table><tr><td colspan="2">cell</td></tr></table>

            <img src="pic.png" alt="a picture" width="20"> <img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">

            <div align="center"><b>bold</b> <a href="https://example.com/x?a=1&amp;b=2">link</a></div>
            """)
        #expect(html.contains("<a id=\"old-anchor\"></a>"))
        #expect(html.contains("<a name=\"named\" id=\"named\"></a>"))
        #expect(html.contains("<td colspan=\"2\">cell</td>"))
        #expect(html.contains("<img src=\"pic.png\" alt=\"a picture\" width=\"20\">"))
        #expect(html.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""))
        #expect(html.contains("<a href=\"https://example.com/x?a=1&amp;b=2\">link</a>"))
    }

    @Test(
        "URL checks",
        arguments: [
            ("https://example.com", true), ("relative/page.md", true), ("#frag", true), ("mailto:a@b.c", true),
            ("javascript:alert(1)", false), ("JAVASCRIPT:alert(1)", false), ("java\tscript:x", false),
            ("vbscript:x", false), ("data:text/html,x", false),
        ])
    func urls(_ url: String, _ safe: Bool) {
        #expect(SafeHTML.isSafeURL(url, image: false) == safe)
    }
}
