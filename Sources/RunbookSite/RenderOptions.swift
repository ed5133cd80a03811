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

    public init(includes: Includes? = nil, rewritesMarkdownLinks: Bool = false, homeLink: String? = nil,
                graphs: [(model: String, svg: String)] = []) {
        self.includes = includes
        self.rewritesMarkdownLinks = rewritesMarkdownLinks
        self.homeLink = homeLink
        self.graphs = graphs
    }

    var links: SafeHTML.Links { SafeHTML.Links(markdownToHTML: rewritesMarkdownLinks) }
}
