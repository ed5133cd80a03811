import RunbookMarkdown

extension Includes {
    /// `text` (the file at `path`) with every `[AZURE.INCLUDE [name](path)]` replaced by the
    /// Markdown of the file it names (its front matter left out), nested includes too, as deep as
    /// the site renders them. An include that cannot be found is left as it is. For the search
    /// index: the included text is then part of the including article.
    public func expanded(_ text: String, path: String) -> String {
        expanded(text, path: path, depth: 0)
    }

    private func expanded(_ text: String, path: String, depth: Int) -> String {
        let (marked, references) = IncludeReference.extract(from: text)
        guard !references.isEmpty else { return text }
        var result = ""
        var rest = marked[...]
        while let open = rest.firstIndex(of: IncludeReference.open) {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: IncludeReference.close),
                let number = Int(rest[afterOpen..<close]), references.indices.contains(number)
            else {
                // A U+E000 of the text's own, not a placeholder.
                result.append(IncludeReference.open)
                rest = rest[afterOpen...]
                continue
            }
            let reference = references[number]
            if depth < 4, let file = resolve(reference.path, from: path), let included = self.text(of: file) {
                let body = MarkdownDocument.blankingFrontMatter(included)
                result += "\n" + expanded(body, path: file, depth: depth + 1) + "\n"
            } else {
                result += reference.original
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }
}
