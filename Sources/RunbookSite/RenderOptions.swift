/// How pages are rendered: where includes come from and how links are written.
public struct RenderOptions: Sendable {
    /// Resolves `[AZURE.INCLUDE]`; `nil` shows every include as missing.
    public var includes: Includes?
    /// Rewrites relative links to `x.md` as `x.html` (for a site whose pages sit where the files did).
    public var rewritesMarkdownLinks: Bool
    /// A link back to the site's index, relative to the page (`../index.html`), or `nil` for a lone page.
    public var homeLink: String?
    /// Step graphs as inline SVG, by model id, shown at the end of a runbook's page.
    public var graphs: [(model: String, svg: String)]
    /// The runbooks that replace this legacy article (they name it in `sources:`), shown at the
    /// top of its page.
    public var replacedBy: [PageLink]
    /// The legacy articles this runbook replaces (its `sources:`), listed in its page's header.
    public var sourceArticles: [PageLink]

    public init(
        includes: Includes? = nil, rewritesMarkdownLinks: Bool = false, homeLink: String? = nil,
        graphs: [(model: String, svg: String)] = [], replacedBy: [PageLink] = [],
        sourceArticles: [PageLink] = []
    ) {
        self.includes = includes
        self.rewritesMarkdownLinks = rewritesMarkdownLinks
        self.homeLink = homeLink
        self.graphs = graphs
        self.replacedBy = replacedBy
        self.sourceArticles = sourceArticles
    }

    var links: SafeHTML.Links { SafeHTML.Links(markdownToHTML: rewritesMarkdownLinks) }

    /// Everything but the graphs (which the site derives from the runbook) and the includes'
    /// files (which it tracks one by one), as text: a page rendered with other options is
    /// rendered again. Every option that changes a page belongs here.
    var fingerprint: String {
        var parts = [
            "links=\(rewritesMarkdownLinks)", "home=\(homeLink ?? "")",
            "includes=\(includes.map(Self.folders) ?? "none")",
        ]
        parts += replacedBy.map { "replaced-by=\($0.title)\u{1}\($0.href ?? "")" }
        parts += sourceArticles.map { "source=\($0.title)\u{1}\($0.href ?? "")" }
        return parts.joined(separator: "\u{0}")
    }

    /// The includes folders by real path: `../x` and `/abs/x` are the same option.
    static func folders(_ includes: Includes) -> String {
        includes.fallbackDirectories.map { Includes.realPath($0) ?? $0 }.joined(separator: "\u{1}")
    }
}

/// A link from one page of the site to another: a runbook and the articles it replaces.
public struct PageLink: Sendable, Equatable {
    public var title: String
    /// Relative to the page; `nil` when the page is not in the site (the title is shown as text).
    public var href: String?

    public init(title: String, href: String?) {
        self.title = title
        self.href = href
    }
}
