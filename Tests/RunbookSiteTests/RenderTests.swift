import Foundation
import RunbookCore
import Testing

@testable import RunbookSite

@Suite("Rendering runbooks and articles")
struct RenderTests {
    static let runbook = """
        ---
        id: demo
        title: Demo & "friends"
        summary: Shows <everything>.
        models:
          arm: Resource Manager
          classic: Classic
        inputs:
          host: { description: The host, required: true }
          password: { description: A secret, secret: true, default: hunter2 }
        verify: works
        ---

        # Demo & "friends"

        Intro with `code`.

        ## It works {#works .symptom}

        ```check tcp-connect host={{host}} port=22 timeout=5s finding="Port closed"
        ```

        ## Classic only {model=classic}

        ### Endpoint {#endpoint}

        Look at the endpoint.

        ## ARM only {#arm-part model=arm}

        ### Open the port {#open-port}

        ```run sh
        az network nsg rule create --name "$HOST"
        ```

        ```bash
        echo documentation
        ```
        """

    @Test("Title, summary and models come from the metadata, escaped")
    func metadata() {
        let html = renderPage(Self.runbook)
        #expect(html.contains("<title>Demo &amp; &quot;friends&quot;</title>"))
        #expect(html.contains("Shows &lt;everything&gt;."))
        #expect(html.contains("<button type=\"button\" data-set=\"classic\">Classic</button>"))
        #expect(html.contains("<code>hunter2</code>") == false, "a secret's default is shown as ***")
    }

    @Test("Headings keep their ids and get anchor links; attribute lists are not shown")
    func headings() {
        let html = renderPage(Self.runbook)
        #expect(html.contains("<h2 id=\"works\">It works <a class=\"anchor\" href=\"#works\""))
        #expect(!html.contains("{#works"))
        #expect(html.contains("<h3 id=\"endpoint\">Endpoint"))
        #expect(html.contains("<a href=\"#open-port\">Open the port</a>"), "table of contents")
    }

    @Test("Sections and steps carry their models; steps their kind")
    func modelsAndKinds() {
        let html = renderPage(Self.runbook)
        #expect(html.contains("<section class=\"rb-section\" data-node=\"classic-only\" data-model=\"classic\">"))
        #expect(html.contains("<section class=\"rb-step kind-manual\" data-node=\"endpoint\" data-model=\"classic\">"))
        #expect(html.contains("<section class=\"rb-step kind-fix\" data-node=\"open-port\" data-model=\"arm\">"))
        // The verify step's kind is verify (as in plan and graph), shown once.
        #expect(html.contains("<section class=\"rb-step kind-verify\" data-node=\"works\">"))
        #expect(html.components(separatedBy: "<span class=\"badge badge-verify\">verify</span>").count == 2)
    }

    @Test("Executable blocks show their action and arguments; other code keeps its language")
    func blocks() {
        let html = renderPage(Self.runbook)
        #expect(html.contains("<code class=\"action\">tcp-connect</code>"))
        #expect(
            html.contains("<dt>host</dt><dd><code><var class=\"input\" title=\"input host\">host</var></code></dd>"))
        #expect(html.contains("<dt>finding</dt><dd><code>Port closed</code></dd>"))
        #expect(html.contains("<pre><code class=\"language-sh\">az network nsg rule create --name &quot;$HOST&quot;"))
        #expect(html.contains("<code class=\"language-bash\">echo documentation"))
        #expect(!html.contains("language-check"))
    }

    @Test("Placeholders read as the runner reads them: spaces trimmed, then `?` marks an optional input")
    func spacedOptionalPlaceholder() {
        let page = """
            ---
            id: spaced
            inputs:
              host: { description: The host }
            ---

            # Spaced

            ## Login {#login}

            ```check ssh-login host="{{ host? }}" user="{{ user }}" port={{port}}
            ```
            """
        let html = renderPage(page)
        // Before: class "input", shown as `host?` (the `?` was looked for before the spaces were trimmed).
        #expect(
            html.contains("<dt>host</dt><dd><code><var class=\"input optional\" title=\"input host?\">host</var>"),
            "\(html)")
        #expect(html.contains("<dt>user</dt><dd><code><var class=\"input\" title=\"input user\">user</var>"))
        #expect(html.contains("<dt>port</dt><dd><code><var class=\"input\" title=\"input port\">port</var>"))
        let value = BodyRenderer.valueHTML("a {{ b? }} c {{d")
        #expect(value == "<code>a <var class=\"input optional\" title=\"input b?\">b</var> c {{d</code>")
    }

    @Test(
        "Call-outs: Azure markers in any case and GitHub alerts",
        arguments: [
            ("> [AZURE.NOTE] Read this.", "note"), ("> [AZURE.IMPORTANT] Read this.", "important"),
            ("> [AZURE.TIP] Read this.", "tip"), ("> [AZURE.WARNING] Read this.", "warning"),
            ("> [AZURE.CAUTION] Read this.", "caution"), ("> [Azure.Note] Read this.", "note"),
            ("> [!NOTE]\n> Read this.", "note"), ("> [!WARNING]\n> Read this.", "warning"),
            ("[AZURE.NOTE] Read this.", "note"),
        ])
    func callouts(_ markdown: String, _ kind: String) {
        let html = renderPage("# T\n\n\(markdown)\n")
        #expect(html.contains("<div class=\"callout callout-\(kind)\" role=\"note\"><p class=\"callout-title\">"))
        #expect(html.contains("Read this."))
        #expect(!html.contains("[AZURE."), "the marker is replaced")
        #expect(!html.contains("[!"), "the marker is replaced")
    }

    @Test("Pipe tables become tables, with inline Markdown and alignment")
    func tables() {
        let html = renderPage(
            """
            # T

            Text before.
            | Name | Value |
            |:-----|------:|
            | `a\\|b` | **bold** |
            | <script>x</script>c | [l](x.md) |
            """)
        #expect(html.contains("<p>Text before.</p>"))
        #expect(html.contains("<th style=\"text-align:left\">Name</th><th style=\"text-align:right\">Value</th>"))
        #expect(html.contains("<td style=\"text-align:left\"><code>a|b</code></td>"))
        #expect(html.contains("<strong>bold</strong>"))
        #expect(html.contains("<td style=\"text-align:left\">c</td>"))
    }

    @Test("Legacy anchors keep working and become heading ids")
    func legacyAnchors() {
        let html = renderPage(
            """
            <properties pageTitle="Old article" description="Legacy &amp; fine" services="virtual-machines"/>

            # Old article

            <a id="first"></a>
            ## First part

            ## <a name="second"></a>Second part

            See [the first](#first).
            """)
        #expect(html.contains("<title>Old article</title>"))
        #expect(html.contains("<a id=\"first\"></a>"))
        #expect(html.contains("<h2 id=\"first\">First part"))
        #expect(html.contains("<h2 id=\"second\"><a name=\"second\" id=\"second\"></a>Second part"))
        #expect(!html.contains("properties"))
        #expect(!html.contains("<span class=\"badge badge-manual\">"), "a legacy article has no step badges")
    }

    @Test("Includes are resolved; a missing include is a visible warning")
    func includes() throws {
        let directory = temporaryDirectory("includes")
        try FileManager.default.createDirectory(atPath: directory + "/includes", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/articles", withIntermediateDirectories: true)
        try "Included **text** with [AZURE.NOTE] inside.\n".write(
            toFile: directory + "/includes/x.md", atomically: true, encoding: .utf8)
        let text = """
            # T

            [AZURE.INCLUDE [x](../includes/x.md)]

            > [AZURE.INCLUDE [y](../includes/missing.md)]

            ```
            [AZURE.INCLUDE [x](../includes/x.md)]
            ```

            <!-- [AZURE.INCLUDE [x](../includes/x.md)] -->
            """
        let html = renderPage(text, path: directory + "/articles/a.md", options: RenderOptions(includes: Includes()))
        #expect(html.contains("<div class=\"include\" data-include=\"../includes/x.md\">"))
        #expect(html.contains("Included <strong>text</strong>"))
        #expect(html.contains("missing-include"))
        #expect(html.contains("<code>../includes/missing.md</code> was not found"))
        #expect(html.contains("[AZURE.INCLUDE [x](../includes/x.md)]\n</code></pre>"), "not expanded in code")
        #expect(html.components(separatedBy: "Included <strong>").count == 2, "comment not expanded")
    }

    @Test("The SSH runbook of the knowledge base renders with every step")
    func sshRunbook() throws {
        let path = repositoryRoot + "/Runbooks/ssh-connection.md"
        let text = try #require(readFile(path))
        let runbook = Runbook.load(text: text, path: path).runbook
        let html = PageRenderer().page(for: runbook, source: text)
        for step in runbook.steps {
            #expect(
                html.contains(
                    "<section class=\"rb-step kind-"
                        + (step.isManual ? "manual" : step.isFix ? "fix" : "check"))
                    && html.contains("data-node=\"\(step.id)\""))
        }
        #expect(unsafeParts(html) == [])
    }

    @Test("Corpus articles with quirks render")
    func corpusQuirks() throws {
        let files = [
            "azure-docs/articles/biztalk-services/biztalk-release-notes.md",
            "azure-docs/articles/virtual-machines/virtual-machines-linux-classic-reset-access.md",
            "azure-docs/articles/resource-manager-template-links.md",
            "azure-staging-2016/articles/virtual-machines/virtual-machines-linux-planned-maintenance-schedule.md",
            "ssh-family/2016/virtual-machines-linux-troubleshoot-app-connection.md",
        ]
        for file in files {
            let path = corpus + "/" + file
            let text = try #require(readFile(path), "\(path)")
            let html = renderPage(text, path: path, options: RenderOptions(includes: Includes()))
            #expect(html.hasSuffix("</html>\n"))
            #expect(unsafeParts(html) == [], "\(file)")
        }
        let templateLinks = try #require(readFile(corpus + "/azure-docs/articles/resource-manager-template-links.md"))
        let html = renderPage(templateLinks)
        #expect(html.contains("id=\"properties\""))
    }
}
