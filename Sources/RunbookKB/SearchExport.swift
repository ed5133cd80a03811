public import Foundation

/// The search index of the static site: the same ``SearchDocument``s and ``SearchWeights`` as
/// `runbook search`, as a script (`window.RUNBOOK_SEARCH`, loaded with a script tag so it works from
/// `file://`) that also holds the ranking — FTS5's bm25 with the field weights, the kind boosts and
/// the declared-message boost — written once here for the page.
public enum SearchExport {
    /// A document and the page (relative URL) that shows it.
    public struct Entry: Sendable {
        public var document: SearchDocument
        public var url: String

        public init(document: SearchDocument, url: String) {
            self.document = document
            self.url = url
        }
    }

    struct Document: Encodable, Sendable {
        /// URL, title, kind, runbook, step, models, declared messages, excerpt, token count.
        var u: String
        var t: String
        var k: String
        var r: String
        var s: String?
        var m: [String]
        var x: [String]
        var e: String
        var n: Int
    }

    struct Index: Encodable {
        var weights: SearchWeights
        /// Field order of the postings (the body first: most postings are in the body only).
        var fields: [String]
        var stopWords: [String]
        var docs: [Document]
        var averageLength: Double
        /// term → postings `doc:tf,tf,tf,tf,tf;...` (doc numbers as the difference to the previous
        /// one, in base 36; term frequencies per field, trailing zeros left out).
        var terms: [String: String]
    }

    /// `window.RUNBOOK_SEARCH = {...}; window.RUNBOOK_RANK = function(...)`; the documents are
    /// read on `workers` threads (``Analysis``), the postings put together in their order.
    public static func script(
        _ entries: [Entry], weights: SearchWeights = .standard,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) async -> String {
        let analyses = await Lanes.map(entries.count, workers: workers) { Analysis(entries[$0]) }
        var docs: [Document] = []
        docs.reserveCapacity(analyses.count)
        var postings: [String: Postings] = [:]
        var totalLength = 0
        for (number, analysis) in analyses.enumerated() {
            for (position, term) in analysis.terms.enumerated() {
                postings[term, default: Postings()].add(number, analysis.frequencies(of: position))
            }
            totalLength += analysis.document.n
            docs.append(analysis.document)
        }
        let index = Index(
            weights: weights, fields: Analysis.fields.map(\.rawValue),
            stopWords: SearchQuery.stopWords.sorted(), docs: docs,
            averageLength: docs.isEmpty ? 0 : Double(totalLength) / Double(docs.count),
            terms: postings.mapValues { String(decoding: $0.bytes, as: UTF8.self) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(index)).map(Array.init) ?? Array("{\"docs\":[]}".utf8)
        return "window.RUNBOOK_SEARCH = " + String(decoding: inert(json), as: UTF8.self) + ";\n" + rankingScript
    }

    /// One document as the page has it, and its terms with their frequencies in each field.
    struct Analysis: Sendable {
        /// The order of the postings' frequencies (the body first: most postings are in the body only).
        static let fields = Array(SearchDocument.Field.allCases.reversed())

        var document: Document
        var terms: [String]
        /// `fields.count` per term, in the order of `terms`.
        var counts: [Int32]

        init(_ entry: Entry) {
            let document = entry.document
            var length = 0
            var terms: [String] = []
            var counts: [Int32] = []
            var positions: [String: Int] = [:]
            positions.reserveCapacity(document.body.utf8.count / 16)
            for (field, name) in Self.fields.enumerated() {
                length += SearchTokens.forEach(in: document.text(name)) { term in
                    // One lookup: a new term's position is set where the dictionary made room for it.
                    let next = terms.count
                    let position = Self.position(of: &positions[term, default: next])
                    if position == next {
                        terms.append(term)
                        counts += repeatElement(0, count: Self.fields.count)
                    }
                    counts[position * Self.fields.count + field] += 1
                }
            }
            self.terms = terms
            self.counts = counts
            let excerpt = document.body.isEmpty ? document.headings : document.body
            self.document = Document(
                u: entry.url, t: document.title, k: document.kind.rawValue, r: document.runbook, s: document.step,
                m: document.models, x: document.explains.split(separator: "\n").map(String.init),
                e: SearchExport.excerpt(excerpt, characters: 240), n: length)
        }

        private static func position(of slot: inout Int) -> Int { slot }

        /// The frequencies of the term at `position` in `terms`, trailing zeros left out.
        func frequencies(of position: Int) -> ArraySlice<Int32> {
            var slice = counts[(position * Self.fields.count)..<((position + 1) * Self.fields.count)]
            while slice.last == 0 { slice = slice.dropLast() }
            return slice
        }
    }

    /// The start of `text`, whitespace runs made one space, cut between words with `…` when it is longer.
    static func excerpt(_ text: String, characters: Int) -> String {
        let flat = flattened(text, atLeast: characters + 2)
        guard flat.count > characters else { return flat }
        let head = flat.prefix(characters + 1)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head.dropLast()
        return cut + "…"
    }

    /// `RUNBOOK_RANK(query, {model, kind, limit})`: the documents for a query, best first, as
    /// `{doc, score, terms}` — the page's copy of ``SearchIndex/search(_:filter:)``: the query's
    /// words as ``SearchQuery`` reads them (words that half the documents or more hold left out but
    /// the last, as ``SearchQuery/droppingCommon(_:)`` does), FTS5's bm25 (idf floored at 1e-6, k1, b, each field's
    /// term frequency times its weight, the document's length over all fields), the kind's boost,
    /// and the boost of a step whose declared message the query holds.
    static let rankingScript = """
        window.RUNBOOK_RANK=function(q,options){
        var ix=window.RUNBOOK_SEARCH;options=options||{};
        var stop={};ix.stopWords.forEach(function(w){stop[w]=1;});
        function words(t){return t.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').toLowerCase().match(/[\\p{L}\\p{N}]+/gu)||[];}
        var all=words(q);var kept=all.filter(function(w){return !stop[w];});var terms=[];
        (kept.length?kept:all).forEach(function(w){if(terms.indexOf(w)<0){terms.push(w);}});
        if(!terms.length){return {terms:terms,hits:[]};}
        var common=function(term){var list=Object.prototype.hasOwnProperty.call(ix.terms,term)?ix.terms[term]:undefined;return list!==undefined&&2*list.split(';').length>=ix.docs.length;};
        var scored=terms.filter(function(t,i){return i===terms.length-1||!common(t);});
        if(scored.length===1&&terms.length>1&&common(terms[terms.length-1])){scored=terms;}
        var W=ix.weights;var fw=ix.fields.map(function(f){return W[f];});
        var N=ix.docs.length;var avg=ix.averageLength;var scores={};
        scored.forEach(function(term,i){
        var lists=[];
        if(i===scored.length-1){for(var t in ix.terms){if(t.lastIndexOf(term,0)===0){lists.push(ix.terms[t]);}}}
        else if(Object.prototype.hasOwnProperty.call(ix.terms,term)){lists.push(ix.terms[term]);}
        var tf={};var hit=0;
        lists.forEach(function(list){var doc=0;list.split(';').forEach(function(p){
        var c=p.indexOf(':');doc+=parseInt(p.slice(0,c),36);var f=p.slice(c+1).split(',');var x=0;
        for(var j=0;j<f.length;j++){x+=fw[j]*(+f[j]);}
        if(!(doc in tf)){tf[doc]=0;hit++;}tf[doc]+=x;});});
        if(!hit){return;}
        var idf=Math.log((N-hit+0.5)/(hit+0.5));if(idf<=0){idf=1e-6;}
        for(var d in tf){var x=tf[d];var n=ix.docs[d].n;
        scores[d]=(scores[d]||0)+idf*(x*(W.k1+1))/(x+W.k1*(1-W.b+W.b*n/avg));}});
        var last=terms[terms.length-1];
        function holds(m){var ws=words(m).filter(function(w){return !stop[w];});
        return ws.length>0&&ws.every(function(w){return terms.indexOf(w)>=0||w.lastIndexOf(last,0)===0;});}
        var hits=[];
        for(var d in scores){var D=ix.docs[d];
        if(options.kind&&D.k!==options.kind){continue;}
        if(options.model&&D.m.length&&D.m.indexOf(options.model)<0){continue;}
        var s=scores[d]*W[D.k+'Boost'];if(D.x.some(holds)){s*=W.explainedMessageBoost;}
        hits.push({doc:D,score:s,index:+d});}
        hits.sort(function(a,b){return b.score-a.score||a.index-b.index;});
        return {terms:terms,hits:hits.slice(0,options.limit||100)};
        };

        """
}

extension SearchExport {
    /// The export for files shown at `url`s: each file's documents (``documents(files:expand:workers:)``).
    public static func script(
        files: [(path: String, url: String)], expand: SearchIndex.IncludeExpander? = nil,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) async -> String {
        let documents = await Self.documents(files: files.map(\.path), expand: expand, workers: workers)
        return await script(
            zip(files, documents).flatMap { file, documents in entries(documents ?? [], url: file.url) },
            workers: workers)
    }

    /// Each file's documents, includes expanded by `expand` as ``SearchIndex/update(files:workers:checkpoint:expand:)``
    /// does; `nil` for a file that cannot be read. Parsed on `workers` lanes.
    public static func documents(
        files: [String], expand: SearchIndex.IncludeExpander? = nil,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) async -> [[SearchDocument]?] {
        await SearchIndex.scan(files, stored: [:], expand: expand, workers: workers).map(\.documents)
    }

    /// A file's documents as shown on its page at `url`: a step or section at `url#id`.
    public static func entries(_ documents: [SearchDocument], url: String) -> [Entry] {
        documents.map { Entry(document: $0, url: url + ($0.step.map { "#" + $0 } ?? "")) }
    }
}
