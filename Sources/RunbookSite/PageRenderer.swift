public import RunbookCore
public import RunbookMarkdown

/// Renders a runbook or a legacy article as one self-contained HTML page.
///
/// The page has its CSS and its small script inline and loads nothing from the network, so it
/// works when opened from disk. Every metadata value is escaped; the Markdown goes through
/// ``SafeHTML``.
///
/// ```swift
/// let loaded = Runbook.load(text: text, path: path)
/// let html = PageRenderer().page(for: loaded.runbook, source: text)
/// ```
public struct PageRenderer: Sendable {
    public var options: RenderOptions

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// What a run report adds to a runbook's page.
    struct Extras {
        var titlePrefix = ""
        /// Trusted HTML shown above the contents (the report's banner).
        var banner = ""
        var annotations: [String: String] = [:]
        var stepClasses: [String: String] = [:]
        var initialModel: String?
        var runValues: RunValues?
    }

    /// The page of `runbook`, whose Markdown is `source`.
    public func page(for runbook: Runbook, source: String) -> String {
        page(for: runbook, source: source, extras: Extras())
    }

    /// Loads `text` as a runbook (``Runbook/load(text:path:)``) and renders its page, as
    /// `page(for: Runbook.load(text: text, path: path).runbook, source: text)` does, but with one
    /// cmark parse shared by the loading and the page.
    public func page(loading text: String, path: String) -> (runbook: Runbook, html: String) {
        let page = pageBytes(loading: text, path: path)
        return (page.runbook, String(decoding: page.html, as: UTF8.self))
    }

    /// ``page(loading:path:)`` as UTF-8, for writing to a file.
    ///
    /// An article (no front matter) is loaded from its text with each `[AZURE.INCLUDE]` already
    /// replaced by the placeholder the page puts the included file at, so that the one parse
    /// serves both; the placeholders only sit in paragraph text, which the loaded runbook
    /// (title, metadata, headings, fences) does not read.
    ///
    /// `text` is consumed: once its includes are replaced, the page needs only the new text, so a
    /// caller that hands over its only copy does not keep a big file in memory twice.
    ///
    /// `parsed` is shown the loaded runbook, the parse and the text parsed before the page is
    /// made (the site makes its search documents from them when that text is theirs).
    public func pageBytes(
        loading text: consuming String, path: String,
        parsed: (Runbook, MarkdownDocument.Parsed?, String) -> Void = { _, _, _ in }
    ) -> (runbook: Runbook, html: [UInt8]) {
        var body = consume text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        guard !body.hasPrefix("---") else {
            let loaded = Runbook.loadKeepingTree(text: body, path: path)
            parsed(loaded.runbook, loaded.parsed, body)
            return (
                loaded.runbook, pageBytes(for: loaded.runbook, source: body, extras: Extras(), parsed: loaded.parsed)
            )
        }
        var extracted = IncludeReference.extract(from: consume body)
        var loaded = Runbook.loadKeepingTree(text: extracted.text, path: path)
        parsed(loaded.runbook, loaded.parsed, extracted.text)
        // The tree is the parse of `extracted.text`; the page needs the tree, its lines and the
        // includes, not the text (as big as the file), which is let go here: emptied on both sides,
        // the renderer still sees that the tree is of its text.
        extracted.text = ""
        loaded.parsed?.source = ""
        return (
            loaded.runbook,
            pageBytes(
                for: loaded.runbook, source: "", extras: Extras(),
                parsed: loaded.parsed, extracted: extracted)
        )
    }

    func page(for runbook: Runbook, source: String, extras: Extras) -> String {
        String(decoding: pageBytes(for: runbook, source: source, extras: extras), as: UTF8.self)
    }

    func pageBytes(
        for runbook: Runbook, source: String, extras: Extras, parsed: MarkdownDocument.Parsed? = nil,
        extracted: IncludeReference.Extracted? = nil
    ) -> [UInt8] {
        var renderer = BodyRenderer(path: runbook.path, runbook: runbook, options: options)
        renderer.annotations = extras.annotations
        renderer.stepClasses = extras.stepClasses
        renderer.runValues = extras.runValues
        var body = renderer.render(source, parsed: parsed, extracted: extracted)
        let title = extras.titlePrefix + runbook.title
        // What comes before the body is written into its own buffer and put in front of the body's
        // bytes, in the body's buffer: a 50 MB page is not copied (the walk reserved room for it).
        var html: [UInt8] = []
        html.reserveCapacity(PageStyle.css.utf8.count + 4096)
        func add(_ text: String) { html.append(contentsOf: text.utf8) }
        add(
            """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="runbook">
            <title>\(HTMLEntities.escape(title))</title>
            <meta name="description" content="\(HTMLEntities.escape(runbook.summary))">

            """)
        html.append(contentsOf: PageStyle.styleElement)
        let initial = extras.initialModel ?? "all"
        add(
            "<body data-initial-model=\"\(HTMLEntities.escape(initial))\" data-runbook=\"\(HTMLEntities.escape(runbook.id))\">\n"
        )
        appendHeader(runbook, title: title, to: &html)
        add(extras.banner)
        add("<div class=\"layout\">\n")
        appendTableOfContents(body.toc, to: &html)
        add("<main id=\"content\">\n")
        add(inputsTable(runbook))
        var page = body.bytes
        body.bytes = []
        page.reserveCapacity(html.count + page.count + PageStyle.scriptElement.count + 4096)
        page.insert(contentsOf: html, at: 0)
        func addToPage(_ text: String) { page.append(contentsOf: text.utf8) }
        addToPage(graphs(runbook))
        addToPage("</main>\n</div>\n")
        addToPage(
            "<footer><p>Rendered by runbook from <code>\(HTMLEntities.escape(runbook.path))</code>.</p></footer>\n")
        page.append(contentsOf: PageStyle.scriptElement)
        return page
    }

    /// The page's header: title, summary, services, keywords and date, the model switch.
    func appendHeader(_ runbook: Runbook, title: String, to html: inout [UInt8]) {
        func add(_ text: StaticString) { text.withUTF8Buffer { html.append(contentsOf: $0) } }
        func escaped(_ text: String) { HTMLEntities.appendEscaped(text, to: &html) }
        add("<header class=\"page-header\">\n")
        if let home = options.homeLink {
            add("<nav class=\"crumbs\"><a href=\"")
            escaped(home)
            add("\">Knowledge base</a></nav>\n")
        }
        add("<p class=\"page-title\" role=\"heading\" aria-level=\"1\">")
        escaped(title)
        add("</p>\n")
        if !runbook.summary.isEmpty {
            add("<p class=\"summary\">")
            escaped(runbook.summary)
            add("</p>\n")
        }
        var meta: [(StaticString, [String])] = []
        if !runbook.services.isEmpty { meta.append(("Services", runbook.services)) }
        if !runbook.keywords.isEmpty { meta.append(("Keywords", runbook.keywords)) }
        if let date = runbook.legacy.tags["ms.date"] { meta.append(("Date", [date])) }
        if !options.replacedBy.isEmpty {
            add(
                "<aside class=\"replaced-by\" role=\"note\"><p><strong>This article is replaced by a runbook:</strong> "
            )
            appendLinks(options.replacedBy, to: &html)
            add("</p></aside>\n")
        }
        if !meta.isEmpty || !options.sourceArticles.isEmpty {
            add("<dl class=\"meta\">")
            if !options.sourceArticles.isEmpty {
                add("<dt>Replaces</dt><dd class=\"sources\">")
                appendLinks(options.sourceArticles, to: &html)
                add("</dd>")
            }
            for (name, values) in meta {
                add("<dt>")
                add(name)
                add("</dt><dd>")
                for (position, value) in values.enumerated() {
                    if position > 0 { add(" ") }
                    add("<span class=\"tag\">")
                    escaped(value)
                    add("</span>")
                }
                add("</dd>")
            }
            add("</dl>\n")
        }
        if !runbook.models.isEmpty {
            add("<div class=\"model-switch\" role=\"group\" aria-label=\"Deployment model\">")
            add("<span class=\"label\">Deployment model:</span> ")
            add("<button type=\"button\" data-set=\"all\">All</button>")
            for model in runbook.models {
                add("<button type=\"button\" data-set=\"")
                escaped(model.id)
                add("\">")
                escaped(model.name)
                add("</button>")
            }
            add("</div>\n")
        }
        add("</header>\n")
    }

    /// Links separated by ` · `; one without a target is its title as text.
    func appendLinks(_ links: [PageLink], to html: inout [UInt8]) {
        for (position, link) in links.enumerated() {
            if position > 0 { html.append(contentsOf: " · ".utf8) }
            if let href = link.href {
                html.append(contentsOf: "<a href=\"".utf8)
                HTMLEntities.appendEscaped(href, to: &html)
                html.append(contentsOf: "\">".utf8)
                HTMLEntities.appendEscaped(link.title, to: &html)
                html.append(contentsOf: "</a>".utf8)
            } else {
                HTMLEntities.appendEscaped(link.title, to: &html)
            }
        }
    }

    func appendTableOfContents(_ entries: [TOCEntry], to html: inout [UInt8]) {
        guard entries.count > 1 else { return }
        func add(_ text: String) { html.append(contentsOf: text.utf8) }
        let base = entries.map(\.level).min() ?? 1
        add("<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2>\n<ul>\n")
        for entry in entries {
            add("<li class=\"toc-")
            add(String(entry.level - base + 1))
            add("\"")
            if let models = entry.models {
                add(" data-model=\"")
                HTMLEntities.appendEscaped(models.joined(separator: " "), to: &html)
                add("\"")
            }
            add("><a href=\"#")
            HTMLEntities.appendEscaped(entry.id, to: &html)
            add("\">")
            add(entry.html)
            add("</a></li>\n")
        }
        add("</ul>\n</nav>\n")
    }

    func inputsTable(_ runbook: Runbook) -> String {
        guard !runbook.inputs.isEmpty else { return "" }
        var html = "<section class=\"inputs\"><h2 id=\"inputs\">Inputs</h2>\n<table>\n"
        html += "<thead><tr><th>Input</th><th>Description</th><th>Default</th></tr></thead>\n<tbody>\n"
        for input in runbook.inputs {
            var flags: [String] = []
            if input.required { flags.append("required") }
            if input.secret { flags.append("secret") }
            html +=
                "<tr><td><code>-i \(HTMLEntities.escape(input.name))=</code>"
                + flags.map { " <span class=\"badge\">\($0)</span>" }.joined()
                + "</td><td>\(HTMLEntities.escape(input.description))</td><td>"
                + (input.defaultValue.map {
                    "<code>\(HTMLEntities.escape(input.secret ? SecretMask.placeholder : $0))</code>"
                } ?? "")
                + "</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    func graphs(_ runbook: Runbook) -> String {
        guard !options.graphs.isEmpty else { return "" }
        var html = "<section class=\"graphs\"><h2 id=\"step-graph\">Step graph</h2>\n"
        for (model, svg) in options.graphs {
            let name = runbook.model(model)?.name ?? model
            html += "<figure class=\"graph\" data-model=\"\(HTMLEntities.escape(model))\">"
            html += "<figcaption>\(HTMLEntities.escape(name))</figcaption>\n"
            html += Self.inlineSVG(svg) + "</figure>\n"
        }
        return html + "</section>\n"
    }

    /// Graphviz's SVG without its XML prolog and doctype, ready to sit inside HTML.
    static func inlineSVG(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
    }
}
