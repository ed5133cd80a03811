import Foundation
import RunbookCore

/// The site's index page, its search page and the search index they load.
enum SiteIndex {
    static func shell(title: String, body: String, scripts: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLEntities.escape(title))</title>
        <style>\(PageStyle.css)</style>
        </head>
        <body>
        \(body)
        \(scripts)
        </body>
        </html>

        """
    }

    static let searchForm = """
        <form class="search" action="search.html" method="get" role="search">
        <input class="search-box" type="search" name="q" placeholder="Search runbooks and articles" aria-label="Search">
        </form>
        """

    static func indexPage(_ entries: [SiteBuilder.Entry]) -> String {
        var body = "<header class=\"page-header\"><p class=\"page-title\">Knowledge base</p>\n"
        body += "<p class=\"summary\">\(entries.filter(\.isRunbook).count) runbooks, "
            + "\(entries.filter { !$0.isRunbook }.count) articles.</p>\n\(searchForm)</header>\n"
            + "<div class=\"layout\"><main class=\"index\">\n"
        body += "<h2 id=\"runbooks\">Runbooks</h2>\n<ul class=\"cards\">\n"
        // The default runbook (the one `runbook run MODEL` uses) first, the others in file order.
        let runbooks = entries.filter(\.isRunbook).enumerated().sorted {
            ($0.element.isDefault ? 0 : 1, $0.offset) < ($1.element.isDefault ? 0 : 1, $1.offset)
        }.map(\.element)
        for entry in runbooks {
            body += "<li><a href=\"\(HTMLEntities.escape(entry.url))\"><strong>\(HTMLEntities.escape(entry.title))</strong></a>"
            if entry.isDefault { body += " <span class=\"badge badge-default\">default</span>" }
            for model in entry.models {
                body += " <span class=\"badge badge-model\" title=\"\(HTMLEntities.escape(model.name))\">"
                    + HTMLEntities.escape(model.id) + "</span>"
            }
            if !entry.summary.isEmpty { body += "<br><span class=\"snippet\">\(HTMLEntities.escape(entry.summary))</span>" }
            if !entry.keywords.isEmpty {
                body += "<br>" + entry.keywords.map { "<span class=\"tag\">\(HTMLEntities.escape($0))</span>" }
                    .joined(separator: " ")
            }
            body += "</li>\n"
        }
        body += "</ul>\n"
        let articles = entries.filter { !$0.isRunbook }
        if !articles.isEmpty {
            // `services` are normalised (ServiceName): `app-service\web` and `app-service/web` are one group.
            let groups = Dictionary(grouping: articles) { $0.services.first ?? "other" }
            body += "<h2 id=\"articles\">Articles by service</h2>\n"
            for service in groups.keys.sorted() {
                let list = groups[service]!.sorted { $0.title.lowercased() < $1.title.lowercased() }
                body += "<details><summary>\(HTMLEntities.escape(service)) (\(list.count))</summary>\n<ul>\n"
                for entry in list {
                    body += "<li><a href=\"\(HTMLEntities.escape(entry.url))\">\(HTMLEntities.escape(entry.title))</a></li>\n"
                }
                body += "</ul></details>\n"
            }
        }
        body += "</main></div>\n"
        return shell(title: "Knowledge base", body: body)
    }

    static func searchPage() -> String {
        let body = """
            <header class="page-header"><nav class="crumbs"><a href="index.html">Knowledge base</a></nav>
            <p class="page-title">Search</p>
            \(searchForm)</header>
            <div class="layout"><main class="search-results"><p id="status">Loading…</p><ol id="results" class="results"></ol></main></div>
            """
        return shell(title: "Search", body: body, scripts: "<script src=\"search-index.js\"></script>\n<script>\(searchScript)</script>")
    }

    /// Reads `?q=` (or `#q=`), ranks the index's documents and writes the hits with `textContent`.
    static let searchScript = """
        (function(){
        var params=new URLSearchParams(location.search);var q=params.get('q')||'';
        var h=/[#&]q=([^&]*)/.exec(location.hash);if(h){q=decodeURIComponent(h[1].replace(/\\+/g,' '));}
        var box=document.querySelector('.search-box');box.value=q;
        var status=document.getElementById('status');var list=document.getElementById('results');
        var index=window.RUNBOOK_SEARCH;
        if(!index){status.textContent='The search index (search-index.js) did not load.';return;}
        var terms=q.toLowerCase().split(/\\s+/).filter(function(t){return t.length>0;});
        if(terms.length===0){status.textContent='Type a word to search '+index.docs.length+' pages.';return;}
        var hits=[];
        index.docs.forEach(function(d){
        var fields=[[d.t,5],[d.k,4],[d.s,2],[d.h,1]];var score=0;
        for(var i=0;i<terms.length;i++){var best=0;
        for(var j=0;j<fields.length;j++){if(fields[j][0].toLowerCase().indexOf(terms[i])>=0){best=Math.max(best,fields[j][1]);}}
        if(best===0){return;}score+=best;}
        hits.push([score+(d.r?3:0),d]);});
        hits.sort(function(a,b){return b[0]-a[0];});
        status.textContent=hits.length+' result'+(hits.length===1?'':'s')+' for “'+q+'”';
        hits.slice(0,100).forEach(function(hit){var d=hit[1];
        var li=document.createElement('li');var a=document.createElement('a');a.href=d.u;a.textContent=d.t;li.appendChild(a);
        if(d.r){var b=document.createElement('span');b.className='badge';b.textContent='runbook';li.appendChild(document.createTextNode(' '));li.appendChild(b);}
        var s=document.createElement('span');s.className='snippet';s.textContent=d.s||d.h;li.appendChild(s);list.appendChild(li);});
        })();
        """

    struct Document: Encodable {
        var u: String
        var t: String
        var s: String
        var k: String
        var h: String
        var r: Bool
    }

    struct Index: Encodable {
        var docs: [Document]
    }

    /// `window.RUNBOOK_SEARCH = {...}`: loaded with a script tag, so it works without a server.
    static func searchScript(_ entries: [SiteBuilder.Entry]) -> String {
        let documents = entries.map {
            Document(u: $0.url, t: $0.title, s: String($0.summary.prefix(300)),
                     k: ($0.keywords + $0.services).joined(separator: ", "), h: $0.headings, r: $0.isRunbook)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(Index(docs: documents))).map { String(decoding: $0, as: UTF8.self) } ?? "{\"docs\":[]}"
        // `<` never appears raw, so the file stays inert even if someone inlines it in a page.
        let safe = json.replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: "\u{2028}", with: "\\u2028").replacingOccurrences(of: "\u{2029}", with: "\\u2029")
        return "window.RUNBOOK_SEARCH = \(safe);\n"
    }
}
