public import RunbookCore
public import RunbookMarkdown

extension SearchDocument {
    /// The documents of one file: a runbook (a file with front matter) with its sections and
    /// steps, or one legacy article with its headings.
    public static func documents(text: String, path: String) -> [SearchDocument] {
        let loaded = Runbook.loadKeepingTree(text: text, path: path)
        return documents(loaded: loaded.runbook, tree: loaded.parsed?.tree, text: text)
    }

    /// ``documents(text:path:)`` of a file already loaded: `runbook` and `tree` as
    /// ``Runbook/loadKeepingTree(text:path:)`` gave them for `text` (the site's page parsed it).
    public static func documents(loaded runbook: Runbook, tree: MarkdownTree?, text: String) -> [SearchDocument] {
        if runbook.hasFrontMatter { return documents(of: runbook) }
        let body = tree.map { PlainText.of($0) } ?? PlainText.of(markdown: text)
        return [article(runbook, body: body)]
    }

    static func article(_ article: Runbook, body: String) -> SearchDocument {
        let headings = article.sections.map(\.title) + article.steps.map(\.title)
        var title = article.title
        if title.isEmpty { title = headings.first ?? article.id }
        return SearchDocument(
            key: "article:" + article.path, kind: .article, runbook: article.id, step: nil, models: [],
            path: article.path, title: title, keywords: (article.keywords + article.services).joined(separator: " "),
            explains: "", headings: headings.joined(separator: "\n"), body: body)
    }

    /// A runbook's own document, then one per section and step.
    public static func documents(of runbook: Runbook) -> [SearchDocument] {
        let runbookModels = runbook.models.map(\.id)
        let titles = Dictionary(runbook.sections.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let top = runbook.sections.first { $0.parent == nil }
        var documents = [
            SearchDocument(
                key: "runbook:" + runbook.id, kind: .runbook, runbook: runbook.id, step: nil, models: runbookModels,
                path: runbook.path, title: runbook.title,
                keywords: (runbook.keywords + runbook.services + runbook.models.flatMap { [$0.id, $0.name] } + [
                    runbook.id
                ])
                .joined(separator: " "),
                explains: "",
                headings: (runbook.sections.map(\.title) + runbook.steps.map(\.title)).joined(separator: "\n"),
                body: runbook.summary + "\n" + PlainText.of(markdown: top?.introduction ?? ""))
        ]
        for section in runbook.sections where section.id != top?.id {
            let children = runbook.steps.filter { $0.sectionPath.last == section.id }.map(\.title)
            documents.append(
                SearchDocument(
                    key: "runbook:\(runbook.id)#\(section.id)", kind: .section, runbook: runbook.id, step: section.id,
                    models: section.models ?? runbookModels, path: runbook.path, title: section.title,
                    keywords: section.id, explains: "",
                    headings: ([runbook.title] + children).joined(separator: "\n"),
                    body: PlainText.of(markdown: section.introduction)))
        }
        for step in runbook.steps {
            let actions = step.blocks.compactMap(\.actionName)
            let findings = step.blocks.compactMap { $0.attribute("finding") }
            let place = step.sectionPath.filter { $0 != top?.id }.compactMap { titles[$0] }
            documents.append(
                SearchDocument(
                    key: "runbook:\(runbook.id)#\(step.id)", kind: .step, runbook: runbook.id, step: step.id,
                    models: step.models ?? runbookModels, path: runbook.path, title: step.title,
                    keywords: ([step.id] + actions).joined(separator: " "),
                    explains: step.explains.joined(separator: "\n"),
                    headings: (findings + place + [runbook.title]).joined(separator: "\n"),
                    body: PlainText.of(markdown: step.text)))
        }
        return documents
    }
}
