/// The CSS and script every page carries inline (no network, works from `file://`).
enum PageStyle {
    /// `<style>` with ``css`` and the end of the head, as UTF-8 (the same bytes on every page).
    static let styleElement: [UInt8] = Array("<style>\(css)</style>\n</head>\n".utf8)
    /// `<script>` with ``script`` and the end of the page, as UTF-8.
    static let scriptElement: [UInt8] = Array("<script>\(script)</script>\n</body>\n</html>\n".utf8)

    static let css = """
        :root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--border:#d1d9e0;--link:#0969da;
        --note:#0969da;--tip:#1a7f37;--important:#8250df;--warning:#9a6700;--caution:#cf222e;
        --pass:#1a7f37;--fail:#cf222e;--skip:#59636e;--code:#eff2f5}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;
        --border:#3d444d;--link:#4493f8;--note:#4493f8;--tip:#3fb950;--important:#ab7df8;--warning:#d29922;
        --caution:#f85149;--pass:#3fb950;--fail:#f85149;--skip:#9198a1;--code:#1f2630}}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
        a{color:var(--link)}
        [hidden]{display:none!important}
        .page-header{padding:1.2rem 2rem .8rem;border-bottom:1px solid var(--border);background:var(--panel)}
        .page-title{margin:.2rem 0 .4rem;font-size:1.8rem;font-weight:700;line-height:1.25}
        .title-repeat{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);margin:0}
        .summary{margin:.2rem 0 .6rem;color:var(--muted);max-width:60rem}
        .crumbs{font-size:.9rem}
        .replaced-by{margin:.6rem 0;padding:.5rem 1rem;border-left:.25rem solid var(--tip);background:var(--bg);
        border-radius:0 .4rem .4rem 0;max-width:60rem} .replaced-by p{margin:.2rem 0}
        .replaced-by a{font-weight:600}
        .meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.4rem 0;font-size:.9rem}
        .meta dt{color:var(--muted)} .meta dd{margin:0}
        .tag,.badge{display:inline-block;padding:0 .45em;border:1px solid var(--border);border-radius:1em;font-size:.75rem;
        line-height:1.6;vertical-align:middle;font-weight:500;color:var(--muted)}
        .badge-check{border-color:var(--note);color:var(--note)} .badge-fix{border-color:var(--warning);color:var(--warning)}
        .badge-manual{border-color:var(--muted)} .badge-call{border-color:var(--important);color:var(--important)}
        .badge-verify{border-color:var(--tip);color:var(--tip)} .badge-model{font-family:ui-monospace,monospace}
        .model-switch{margin-top:.5rem}
        .model-switch .label{color:var(--muted);font-size:.9rem}
        .model-switch button{font:inherit;font-size:.9rem;padding:.15rem .8rem;border:1px solid var(--border);background:var(--bg);
        color:var(--fg);border-radius:.4rem;cursor:pointer}
        .model-switch button[aria-pressed=true]{background:var(--link);border-color:var(--link);color:#fff}
        .layout{display:flex;gap:2rem;padding:0 2rem;max-width:90rem}
        .toc{flex:0 0 16rem;position:sticky;top:0;align-self:flex-start;max-height:100vh;overflow:auto;padding:1rem 0;font-size:.88rem}
        .toc h2{font-size:.9rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
        .toc ul{list-style:none;padding:0;margin:0} .toc li{margin:.15rem 0} .toc a{text-decoration:none}
        .toc .toc-2{padding-left:.8rem} .toc .toc-3{padding-left:1.6rem}
        main{flex:1;min-width:0;padding:1rem 0 3rem;max-width:60rem}
        h1,h2,h3,h4{line-height:1.25;margin:1.6rem 0 .6rem}
        h2{border-bottom:1px solid var(--border);padding-bottom:.3rem}
        .anchor{visibility:hidden;text-decoration:none;color:var(--muted);font-weight:400}
        h1:hover .anchor,h2:hover .anchor,h3:hover .anchor,h4:hover .anchor,h5:hover .anchor,h6:hover .anchor{visibility:visible}
        :target{scroll-margin-top:1rem}
        code,pre,kbd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
        code{background:var(--code);padding:.1em .3em;border-radius:.25em}
        pre{background:var(--code);padding:.8rem 1rem;border-radius:.4rem;overflow:auto}
        pre code{background:none;padding:0}
        blockquote{margin:1rem 0;padding:0 1rem;border-left:.25rem solid var(--border);color:var(--muted)}
        .callout{margin:1rem 0;padding:.5rem 1rem;border-left:.25rem solid var(--note);background:var(--panel);border-radius:0 .4rem .4rem 0}
        .callout>p{margin:.4rem 0} .callout-title{font-weight:600;color:var(--note)}
        .callout-tip{border-color:var(--tip)} .callout-tip .callout-title{color:var(--tip)}
        .callout-important{border-color:var(--important)} .callout-important .callout-title{color:var(--important)}
        .callout-warning{border-color:var(--warning)} .callout-warning .callout-title{color:var(--warning)}
        .callout-caution{border-color:var(--caution)} .callout-caution .callout-title{color:var(--caution)}
        .table-wrap{overflow:auto} table{border-collapse:collapse;margin:1rem 0}
        th,td{border:1px solid var(--border);padding:.35rem .7rem;vertical-align:top} th{background:var(--panel)}
        img{max-width:100%}
        .rb-step{border-left:3px solid transparent;padding-left:.8rem;margin-left:-.95rem}
        .rb-step.kind-check{border-color:var(--note)} .rb-step.kind-fix{border-color:var(--warning)}
        .rb-step.kind-verify{border-color:var(--tip)}
        .rb-block{border:1px solid var(--border);border-radius:.4rem;margin:.8rem 0;padding:.5rem .8rem;background:var(--panel)}
        .rb-block-head .kind{font-weight:700;text-transform:uppercase;font-size:.78rem;letter-spacing:.05em;margin-right:.3rem}
        .rb-block-check .kind{color:var(--note)} .rb-block-run .kind{color:var(--warning)} .rb-block-call .kind{color:var(--important)}
        .muted{color:var(--muted);font-size:.85rem}
        .rb-args,.rb-attrs,.evidence{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.4rem 0;font-size:.9rem}
        .rb-args dt,.rb-attrs dt,.evidence dt{color:var(--muted);font-family:ui-monospace,monospace}
        .rb-args dd,.rb-attrs dd,.evidence dd{margin:0;min-width:0;overflow-wrap:anywhere}
        .rb-attrs{font-size:.82rem}
        var.input{font-style:normal;color:var(--important)} var.input::before{content:"{"} var.input::after{content:"}"}
        var.input.used{color:inherit;font-weight:600} var.input.used::before,var.input.used::after{content:none}
        var.optional{opacity:.75}
        .graph svg{max-width:100%;height:auto} .graph{margin:1rem 0;background:#fff;border-radius:.4rem;padding:.5rem}
        .graph figcaption{color:#59636e;font-weight:600}
        .outcome{margin:1rem 2rem;padding:.8rem 1.2rem;border-radius:.5rem;border:2px solid var(--border)}
        .outcome h2{margin:.1rem 0 .4rem;border:0;font-size:1.3rem}
        .outcome-healthy,.outcome-resolved{border-color:var(--pass)} .outcome-healthy h2,.outcome-resolved h2{color:var(--pass)}
        .outcome-diagnosed,.outcome-inconclusive,.outcome-error{border-color:var(--fail)}
        .outcome-diagnosed h2,.outcome-inconclusive h2,.outcome-error h2{color:var(--fail)}
        .outcome-interrupted{border-color:var(--warning)} .outcome-interrupted h2{color:var(--warning)}
        .run-result{border:1px solid var(--border);border-radius:.4rem;padding:.4rem .8rem;margin:.5rem 0}
        .status{font-weight:700;text-transform:uppercase;font-size:.8rem;letter-spacing:.04em}
        .status-pass,.status-done{color:var(--pass)} .status-fail,.status-error{color:var(--fail)}
        .status-skipped,.status-manual,.status-refused{color:var(--skip)}
        .run-fail{border-color:var(--fail)} .run-pass{border-color:var(--pass)}
        .finding{font-weight:600}
        .resolved-by{color:var(--pass);font-weight:600}
        .search-box{font:inherit;padding:.4rem .6rem;width:100%;max-width:32rem;border:1px solid var(--border);border-radius:.4rem;
        background:var(--bg);color:var(--fg)}
        .results li{margin:.6rem 0} .results .snippet{color:var(--muted);font-size:.9rem;display:block}
        .cards{list-style:none;padding:0} .cards li{margin:.8rem 0}
        footer{padding:1rem 2rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--border)}
        @media (max-width:60rem){.layout{display:block}.toc{position:static;max-height:none}}
        @media print{.toc,.model-switch,.anchor,.crumbs,footer{display:none!important}.layout{display:block;padding:0}
        body{font-size:11pt;color:#000;background:#fff}.page-header{background:none}a{color:#000}
        pre,.rb-block,.callout{break-inside:avoid;background:none}[data-model][hidden]{display:none!important}}
        """

    /// Shows one deployment model (from `#model=x`, `?model=x`, the body's `data-initial-model` or a
    /// click) by setting `hidden` on every element whose `data-model` does not list it.
    static let script = """
        (function(){
        var body=document.body;
        function pick(){var m=/[#&?]model=([A-Za-z0-9_-]+)/.exec(location.hash)||/[?&]model=([A-Za-z0-9_-]+)/.exec(location.search);
        return m?m[1]:(body.getAttribute('data-initial-model')||'all');}
        function apply(model){
        var nodes=document.querySelectorAll('[data-model]');
        for(var i=0;i<nodes.length;i++){var list=nodes[i].getAttribute('data-model').split(' ');
        if(model==='all'||list.indexOf(model)>=0){nodes[i].removeAttribute('hidden');}else{nodes[i].setAttribute('hidden','');}}
        var buttons=document.querySelectorAll('.model-switch button');
        for(var j=0;j<buttons.length;j++){buttons[j].setAttribute('aria-pressed',String(buttons[j].getAttribute('data-set')===model));}
        body.setAttribute('data-active-model',model);}
        var buttons=document.querySelectorAll('.model-switch button');
        for(var k=0;k<buttons.length;k++){buttons[k].addEventListener('click',function(e){
        var model=e.currentTarget.getAttribute('data-set');apply(model);
        if(history.replaceState){history.replaceState(null,'','#model='+model);}});}
        window.addEventListener('hashchange',function(){if(/model=/.test(location.hash)){apply(pick());}});
        apply(pick());
        })();
        """
}
