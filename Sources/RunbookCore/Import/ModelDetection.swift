import Foundation
import RunbookMarkdown

/// Finds how a legacy article splits by deployment model.
///
/// Signals, strongest first: the deployment-model include the article names, the entry of an
/// `[AZURE.SELECTOR]` list that links to the article itself, headings that name a model
/// ("... Classic deployment model", "Resource Manager ..."), and notes that say a part
/// "applies only to" one model.
struct ModelDetection {
    /// Declared models, `arm` first.
    var models: [String] = []
    /// The model of a heading, by its line, where the article limits a part to one model.
    var modelByHeadingLine: [Int: String] = [:]
    /// The port a verify check should try: 22 for SSH articles, 3389 for RDP, else 443.
    var port = "443"

    init(document: MarkdownDocument, runbook: Runbook, articleStem: String, includeNames: [String]) {
        var found: Set<String> = []
        var articleModel: String?
        for name in includeNames {
            if name.contains("deployment-models-both") { found.formUnion(["arm", "classic"]) }
            if name.contains("deployment-models-classic") { articleModel = "classic" }
            if name.contains("deployment-models-rm") { articleModel = "arm" }
        }
        let lines = document.lines.lines
        for (index, line) in lines.enumerated() where line.contains("[AZURE.SELECTOR]") {
            for candidate in lines.dropFirst(index + 1).prefix(8) {
                guard let label = Self.selfLink(candidate, stem: articleStem) else { continue }
                if let model = Self.model(named: label) { articleModel = model }
            }
        }
        let headings = document.blocks.compactMap { block -> MarkdownBlock.Heading? in
            if case .heading(let heading) = block { return heading }
            return nil
        }
        var byLine: [Int: String] = [:]
        // A heading that names a model starts a region: the steps right after it at the same level
        // (quick fixes under "VMs created by using the Resource Manager deployment model", say)
        // belong to it, until a heading that is not such a step.
        let stepLines = Set(runbook.steps.map(\.location.line))
        var region: (level: Int, model: String)?
        for heading in headings {
            let line = heading.range.start.line
            if let model = Self.model(named: heading.text) {
                byLine[line] = model
                region = (heading.level, model)
            } else if let current = region, heading.level == current.level, stepLines.contains(line) {
                byLine[line] = current.model
            } else if let current = region, heading.level <= current.level {
                region = nil
            }
        }
        for step in runbook.steps where byLine[step.location.line] == nil {
            let opening = String(step.text.prefix(400)).lowercased()
            for phrase in ["applies only to", "only applies to", "apply only to"] {
                guard let start = opening.range(of: phrase) else { continue }
                // Only the sentence that limits the part: the next one often names the other model.
                let sentence = opening[start.lowerBound...].prefix { $0 != "." }
                if let model = Self.model(named: String(sentence)) { byLine[step.location.line] = model }
            }
        }
        // "For VMs created by using Resource Manager, skip to [source 4](#nsg)": the target is that model's.
        for step in runbook.steps {
            var rest = Substring(step.text)
            while let skip = rest.range(of: "skip to", options: .caseInsensitive) {
                let sentenceStart =
                    rest[..<skip.lowerBound].lastIndex(of: ".").map { rest.index(after: $0) } ?? rest.startIndex
                let sentence = rest[sentenceStart...].prefix { $0 != "\n" }.prefix(300)
                rest = rest[skip.upperBound...]
                guard let model = Self.model(named: String(sentence)), let link = sentence.range(of: "](#") else {
                    continue
                }
                let target = sentence[link.upperBound...].prefix { $0 != ")" }
                if let targetStep = runbook.steps.first(where: { $0.id == target }),
                    byLine[targetStep.location.line] == nil
                {
                    byLine[targetStep.location.line] = model
                }
            }
        }
        found.formUnion(byLine.values)
        if let articleModel {
            // An article about one model is not split: its steps need no model attribute.
            models = [articleModel]
            byLine = [:]
        } else if found.count == 2 {
            models = ["arm", "classic"]
        } else {
            // A lone model named in a heading does not split the article.
            models = []
            byLine = [:]
        }
        modelByHeadingLine = byLine
        let words = (runbook.title + " " + runbook.keywords.joined(separator: " ") + " " + articleStem).lowercased()
        if words.contains("ssh") {
            port = "22"
        } else if words.contains("rdp") || words.contains("remote desktop") {
            port = "3389"
        }
    }

    /// `arm` or `classic` when the text names exactly one of them.
    static func model(named text: String) -> String? {
        let lower = text.lowercased()
        let classic = lower.contains("classic")
        let arm = lower.contains("resource manager") || lower.contains("azure resource manager")
        if classic && !arm { return "classic" }
        if arm && !classic { return "arm" }
        return nil
    }

    /// The label of a selector entry `- [Label](target.md)` that links to the article itself.
    static func selfLink(_ line: String, stem: String) -> String? {
        var text = Substring(line).drop(while: { $0 == " " || $0 == "-" || $0 == "*" || $0 == ">" })
        guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return nil }
        let label = String(text[text.index(after: text.startIndex)..<close])
        text = text[text.index(after: close)...]
        guard text.hasPrefix("("), let end = text.firstIndex(of: ")") else { return nil }
        let target = String(text[text.index(after: text.startIndex)..<end])
        return RunbookLoader.fileStem(target.split(separator: "#").first.map(String.init) ?? target) == stem
            ? label : nil
    }
}
