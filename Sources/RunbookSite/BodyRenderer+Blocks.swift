import RunbookCore

extension BodyRenderer {
    /// An executable block shown for people: what it runs and with which arguments.
    func blockHTML(_ block: Block) -> String {
        let id = HTMLEntities.escape(block.id)
        var html = "<div class=\"rb-block rb-block-\(block.kind.word)\" id=\"block-\(id)\" data-block=\"\(id)\">\n"
        switch block.kind {
        case .check(let action):
            html +=
                "<div class=\"rb-block-head\"><span class=\"kind\">check</span> <code class=\"action\">"
                + HTMLEntities.escape(action) + "</code> <span class=\"muted\">read-only</span></div>\n"
        case .run(let shell):
            html +=
                "<div class=\"rb-block-head\"><span class=\"kind\">fix</span> runs a <code>"
                + HTMLEntities.escape(shell)
                + "</code> script <span class=\"muted\">only with your consent</span></div>\n"
        case .call(let runbook):
            let target = HTMLEntities.escape(runbook)
            html +=
                "<div class=\"rb-block-head\"><span class=\"kind\">call</span> runs the runbook <a href=\"\(target).html\"><code>"
                + target + "</code></a></div>\n"
        }
        // On a run's report, the values the run used; an optional placeholder without one drops out.
        let arguments = block.arguments.filter { argument in
            guard let values = runValues, !argument.value.isEmpty else { return true }
            return Template.expand(argument.value, values: values.inputs) != ""
        }
        if !arguments.isEmpty {
            html += "<dl class=\"rb-args\(runValues == nil ? "" : " rb-args-used")\">"
            for argument in arguments {
                html +=
                    "<dt>\(HTMLEntities.escape(argument.key))</dt><dd>\(Self.valueHTML(argument.value, values: runValues))</dd>"
            }
            html += "</dl>\n"
        }
        let attributes = block.attributes.values
            .filter { $0.key != "id" }
            .sorted { $0.key < $1.key }
        if !attributes.isEmpty {
            html += "<dl class=\"rb-attrs\">"
            for attribute in attributes {
                html +=
                    "<dt>\(HTMLEntities.escape(attribute.key))</dt><dd>\(Self.valueHTML(attribute.value, values: runValues))</dd>"
            }
            html += "</dl>\n"
        }
        if case .run(let shell) = block.kind {
            html +=
                "<pre><code class=\"language-\(HTMLEntities.escape(shell))\">" + HTMLEntities.escape(block.body)
                + "</code></pre>\n"
        }
        return html + "</div>\n"
    }

    /// A value with its `{{input}}` placeholders marked; with a run's `values`, each placeholder
    /// shows the value the run used (a secret input as `***`; a placeholder without a value, its name).
    static func valueHTML(_ value: String, values: RunValues? = nil) -> String {
        let escape = { (text: String) in HTMLEntities.escape(values?.masked(text) ?? text) }
        var html = "<code>"
        for segment in Template.segments(in: value) {
            switch segment {
            case .text(let text): html += escape(String(text))
            case .placeholder(let input, _):
                if let values, let used = values.value(of: input.name) {
                    html +=
                        "<var class=\"input used\" title=\"input \(HTMLEntities.escape(input.name))\">"
                        + escape(used) + "</var>"
                } else {
                    let written = input.name + (input.optional ? "?" : "")
                    html +=
                        "<var class=\"input\(input.optional ? " optional" : "")\" "
                        + "title=\"input \(HTMLEntities.escape(written))\">"
                        + HTMLEntities.escape(input.name) + "</var>"
                }
            }
        }
        return html + "</code>"
    }

    /// Writes the included file's HTML, or a visible warning when it cannot be found.
    func appendInclude(_ reference: IncludeReference, to out: inout [UInt8]) {
        guard depth < 4, let includes = options.includes, let resolved = includes.resolve(reference.path, from: path),
            let text = includes.text(of: resolved)
        else {
            out.append(
                contentsOf: ("<div class=\"callout callout-warning missing-include\" role=\"note\">"
                    + "<p class=\"callout-title\">Missing include</p><p>The included file <code>"
                    + HTMLEntities.escape(reference.path) + "</code> was not found.</p></div>\n").utf8)
            return
        }
        let key = options.links.markdownToHTML ? resolved + "|md" : resolved
        let body = includes.cachedHTML(key) {
            var nested = BodyRenderer(path: resolved, runbook: nil, options: options)
            nested.depth = depth + 1
            return nested.render(text).bytes
        }
        out.append(contentsOf: "<div class=\"include\" data-include=\"".utf8)
        HTMLEntities.appendEscaped(reference.path, to: &out)
        out.append(contentsOf: "\">\n".utf8)
        out.append(contentsOf: body)
        out.append(contentsOf: "</div>\n".utf8)
    }
}
