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
        body +=
            "<p class=\"summary\">\(entries.filter(\.isRunbook).count) runbooks, "
            + "\(entries.filter { !$0.isRunbook }.count) articles.</p>\n\(searchForm)</header>\n"
            + "<div class=\"layout\"><main class=\"index\">\n"
        body += "<h2 id=\"runbooks\">Runbooks</h2>\n<ul class=\"cards\">\n"
        // The default runbook (the one `runbook run MODEL` uses) first, the others in file order.
        let runbooks = entries.filter(\.isRunbook).enumerated().sorted {
            ($0.element.isDefault ? 0 : 1, $0.offset) < ($1.element.isDefault ? 0 : 1, $1.offset)
        }.map(\.element)
        for entry in runbooks {
            body +=
                "<li><a href=\"\(HTMLEntities.escape(entry.url))\"><strong>\(HTMLEntities.escape(entry.title))</strong></a>"
            if entry.isDefault { body += " <span class=\"badge badge-default\">default</span>" }
            for model in entry.models {
                body +=
                    " <span class=\"badge badge-model\" title=\"\(HTMLEntities.escape(model.name))\">"
                    + HTMLEntities.escape(model.id) + "</span>"
            }
            if !entry.summary.isEmpty {
                body += "<br><span class=\"snippet\">\(HTMLEntities.escape(entry.summary))</span>"
            }
            if !entry.keywords.isEmpty {
                body +=
                    "<br>"
                    + entry.keywords.map { "<span class=\"tag\">\(HTMLEntities.escape($0))</span>" }
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
                    body +=
                        "<li><a href=\"\(HTMLEntities.escape(entry.url))\">\(HTMLEntities.escape(entry.title))</a></li>\n"
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
        return shell(
            title: "Search", body: body,
            scripts: "<script src=\"search-index.js\"></script>\n<script>\(searchScript)</script>")
    }

    /// Reads `?q=` (or `#q=`), ranks with `RUNBOOK_RANK` (search-index.js: the knowledge base's
    /// documents and ranking, those of `runbook search`) and writes the hits with `textContent`,
    /// the query's words in `<mark>`.
    static let searchScript = """
        (function(){
        var params=new URLSearchParams(location.search);var q=params.get('q')||'';
        var h=/[#&]q=([^&]*)/.exec(location.hash);if(h){q=decodeURIComponent(h[1].replace(/\\+/g,' '));}
        var box=document.querySelector('.search-box');box.value=q;
        var status=document.getElementById('status');var list=document.getElementById('results');
        var index=window.RUNBOOK_SEARCH;
        if(!index||!window.RUNBOOK_RANK){status.textContent='The search index (search-index.js) did not load.';return;}
        var ranked=window.RUNBOOK_RANK(q,{model:params.get('model')||'',kind:params.get('kind')||'',limit:100});
        if(ranked.terms.length===0){status.textContent='Type a word to search '+index.docs.length+' pages.';return;}
        var hits=ranked.hits;
        status.textContent=hits.length+' result'+(hits.length===1?'':'s')+' for “'+q+'”';
        var last=ranked.terms[ranked.terms.length-1];
        function words(t){return t.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').toLowerCase().match(/[\\p{L}\\p{N}]+/gu)||[];}
        function marked(parent,text){
        var re=/[\\p{L}\\p{N}]+/gu;var at=0;var m;
        while((m=re.exec(text))!==null){var w=m[0].normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').toLowerCase();
        if(ranked.terms.indexOf(w)>=0||w.lastIndexOf(last,0)===0){
        parent.appendChild(document.createTextNode(text.slice(at,m.index)));
        var k=document.createElement('mark');k.textContent=m[0];parent.appendChild(k);at=m.index+m[0].length;}}
        parent.appendChild(document.createTextNode(text.slice(at)));}
        hits.forEach(function(hit){var d=hit.doc;
        var li=document.createElement('li');var a=document.createElement('a');a.href=d.u;marked(a,d.t);li.appendChild(a);
        if(d.k!=='article'){var b=document.createElement('span');b.className='badge';
        b.textContent=d.k+(d.s?' '+d.r+'#'+d.s:'')+(d.m.length?' · '+d.m.join(','):'');
        li.appendChild(document.createTextNode(' '));li.appendChild(b);}
        var s=document.createElement('span');s.className='snippet';
        var said=d.x.filter(function(m){return words(m).some(function(w){return ranked.terms.indexOf(w)>=0;});});
        marked(s,(said.length?'Explains: '+said.join(' · ')+' — ':'')+d.e);li.appendChild(s);list.appendChild(li);});
        })();
        """
}
