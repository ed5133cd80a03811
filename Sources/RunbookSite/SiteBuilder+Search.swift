import RunbookKB

extension SiteBuilder {
    /// How the site's `search-index.js` is made: from the documents `runbook search` has of each
    /// source (``SearchDocument``), ranked as it ranks them (``SearchExport``).
    public struct Search: Sendable {
        /// Whether a source's includes are put into its text before its documents are made (as
        /// `runbook index --includes` does), with the site's ``SiteBuilder/includes``.
        public var expandsIncludes: Bool

        public init(expandsIncludes: Bool = false) {
            self.expandsIncludes = expandsIncludes
        }
    }

    /// The text a source's search documents are made of (its includes put in when ``Search``
    /// says so), or `nil` without search.
    func searchText(_ text: String, path: String, includes: Includes) -> String? {
        search.map { $0.expandsIncludes ? includes.expanded(text, path: path) : text }
    }

    /// `search-index.js` of `sources` in their order: each source's documents as parsed in this
    /// build, else as kept by the last one (``SiteSearchCache``) while its page's record is the
    /// same, else read and parsed now; the documents are kept for the next build.
    func searchScript(
        _ search: Search, sources: [(file: String, url: String)], parsed: [String: [SearchDocument]],
        records: [String: SiteManifest.Record], includes: Includes
    ) async -> String {
        let cache = SiteSearchCache(
            directory: outputDirectory, expandsIncludes: search.expandsIncludes,
            workers: workers)
        let kept = await cache.load()
        var documents: [String: [SearchDocument]] = parsed
        var items: [(url: String, kept: SiteSearchCache.Kept)] = []
        var missing: [(file: String, url: String, record: SiteManifest.Record?, stamp: FileStamp?)] = []
        for source in sources {
            let record = records[source.url]
            if let fresh = parsed[source.url] {
                if let record { items.append((source.url, .init(item: .init(record, documents: fresh)))) }
            } else if let record, let old = kept[source.url], old.item.matches(record) {
                documents[source.url] = old.item.documents
                items.append((source.url, old))
            } else {
                // Stamped before reading, as the pages are: kept only if it is the record's.
                missing.append((source.file, source.url, record, FileStamp.of(source.file)))
            }
        }
        if !missing.isEmpty {
            let expand: SearchIndex.IncludeExpander? =
                search.expandsIncludes ? { @Sendable path, text in includes.expanded(text, path: path) } : nil
            let read = await SearchExport.documents(files: missing.map(\.file), expand: expand, workers: workers)
            for (source, found) in zip(missing, read) {
                guard let found else { continue }
                documents[source.url] = found
                if let record = source.record, record.source == source.stamp {
                    items.append((source.url, .init(item: .init(record, documents: found))))
                }
            }
        }
        // Saved while the script is made (on the other cores).
        async let saved: Void = cache.save(items)
        let script = await SearchExport.script(
            sources.flatMap { SearchExport.entries(documents[$0.url] ?? [], url: $0.url) }, workers: workers)
        await saved
        return script
    }
}
