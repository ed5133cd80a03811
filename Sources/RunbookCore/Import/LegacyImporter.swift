import RunbookMarkdown

/// Turns a legacy article into a draft runbook: metadata from `<properties>`/`<tags>`, includes
/// inlined, the deployment-model split found from headings, notes and `[AZURE.SELECTOR]` lists,
/// shell fences of steps turned into consented `run` blocks, every heading given a stable id.
///
/// The draft is a starting point for an author: it lints without errors, and its comments say
/// what to replace (the verify check above all).
public struct LegacyImporter: Sendable {
    /// Finds the text of an include by its path as written in the article.
    public typealias IncludeResolver = @Sendable (_ path: String) -> String?

    public struct Draft: Sendable {
        public var markdown: String
        public var id: String
        public var models: [String]
        public var runBlocks: Int
        public var manualSteps: Int
        public var includesInlined: Int
        public var missingIncludes: [String]
    }

    let resolve: IncludeResolver

    public init(resolveInclude: @escaping IncludeResolver) {
        resolve = resolveInclude
    }

    /// The draft of the article at `path` with content `text`.
    public func draft(of text: String, path: String) -> Draft {
        var missing: [String] = []
        var inlined = 0
        let expanded = expandIncludes(
            SourceLines.split(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text), depth: 0,
            missing: &missing, inlined: &inlined)
        let source = expanded.joined(separator: "\n")
        let document = MarkdownDocument(parsing: source)
        let loaded = Runbook.load(text: source, path: path).runbook
        let id = Self.draftID(from: path)
        let detection = ModelDetection(
            document: document, runbook: loaded, articleStem: RunbookLoader.fileStem(path),
            includeNames: includeNames(in: text))
        var output = Array(expanded)
        var removed = Set<Int>()
        // Legacy metadata blocks become the front matter.
        for case .html(let html) in document.blocks {
            guard let tag = HTMLTag(parsing: Substring(html.literal)), ["properties", "tags"].contains(tag.name) else {
                continue
            }
            for line in html.range.start.line...html.range.end.line { removed.insert(line) }
        }
        // Anchors before headings become the headings' ids.
        for case .anchor(let anchor) in document.blocks where anchor.range.start.line == anchor.range.end.line {
            if document.blocks.contains(where: {
                if case .heading(let heading) = $0 {
                    heading.range.start.line == anchor.range.start.line + 1
                } else {
                    false
                }
            }) {
                removed.insert(anchor.range.start.line)
            }
        }
        // Headings get explicit ids (and a model where the article splits by model).
        let headingBlocks = document.blocks.compactMap { block -> MarkdownBlock.Heading? in
            if case .heading(let heading) = block { return heading }
            return nil
        }
        let nodes = loaded.sections.map { ($0.location.line, $0.id) } + loaded.steps.map { ($0.location.line, $0.id) }
        let idByLine = Dictionary(nodes, uniquingKeysWith: { first, _ in first })
        for heading in headingBlocks {
            let line = heading.range.start.line
            guard let id = idByLine[line], var text = output[safe: line - 1] else { continue }
            var attributes = "#\(id)"
            if let model = detection.modelByHeadingLine[line] { attributes += " model=\(model)" }
            text = Self.strippingClosingHashes(text)
            output[line - 1] = text + " {\(attributes)}"
        }
        // Shell fences of steps become consented fixes; fences that would read as executable blocks are neutralised.
        var runBlocks = 0
        var fixStepLines = Set<Int>()
        let stepLines = Set(loaded.steps.map(\.location.line))
        var owner: Int?
        for block in document.blocks {
            if case .heading(let heading) = block {
                owner = heading.range.start.line
                continue
            }
            guard case .fence(let fence) = block, let infoLocation = fence.infoLocation,
                var line = output[safe: infoLocation.line - 1]
            else { continue }
            let firstWord = fence.info.split(separator: " ").first.map { String($0).lowercased() } ?? ""
            var replacement: String?
            if ["check", "run", "call"].contains(firstWord) {
                replacement = "text"
            } else if Self.shellLanguages.contains(firstWord), fence.isClosed, let owner, stepLines.contains(owner) {
                replacement = "run sh"
                runBlocks += 1
                fixStepLines.insert(owner)
            }
            guard let replacement else { continue }
            let bytes = Array(line.utf8)
            let offset = min(infoLocation.column - 1, bytes.count)
            line = String(decoding: bytes[..<offset], as: UTF8.self) + replacement
            output[infoLocation.line - 1] = line
        }
        var body: [String] = []
        for (index, line) in output.enumerated() where !removed.contains(index + 1) { body.append(line) }
        var inputs: [String] = []
        var verify: String?
        if runBlocks > 0 {
            let port = detection.port
            inputs = [
                "  host: { description: DNS name or IP address of the VM, required: true }",
                "  port: { description: Port that answers when the problem is gone, default: \"\(port)\" }",
            ]
            verify = "verify"
            body = insertVerifyStep(into: body, headings: headingBlocks, removedBefore: removed)
        }
        if headingBlocks.isEmpty {
            body.insert(contentsOf: ["# \(Self.draftTitle(loaded.title))", ""], at: 0)
        }
        let frontMatter = frontMatter(
            id: id, runbook: loaded, models: detection.models, inputs: inputs, verify: verify)
        let markdown = (frontMatter + body).joined(separator: "\n") + (body.last == "" ? "" : "\n")
        // Every check/run/call fence of the article was neutralised: only the new fixes make a step executable.
        let manual = loaded.steps.filter { !fixStepLines.contains($0.location.line) }.count
        return Draft(
            markdown: markdown, id: id, models: detection.models, runBlocks: runBlocks, manualSteps: manual,
            includesInlined: inlined, missingIncludes: missing)
    }

    static let shellLanguages: Set<String> = ["bash", "sh", "shell", "azurecli", "azure-cli", "console", "cli", "zsh"]

    /// An id from the file name: lower case, `[a-z0-9-]`.
    static func draftID(from path: String) -> String {
        let id = Slug.make(RunbookLoader.fileStem(path))
        return id.isEmpty ? "imported" : id
    }

    static func strippingClosingHashes(_ line: String) -> String {
        var text = Substring(line)
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        guard text.hasPrefix("#") else { return String(text) }
        var withoutHashes = text
        while withoutHashes.last == "#" { withoutHashes.removeLast() }
        if withoutHashes.last == " " || withoutHashes.last == "\t" {
            while let last = withoutHashes.last, last == " " || last == "\t" { withoutHashes.removeLast() }
            if withoutHashes.contains(where: { $0 != "#" }) { return String(withoutHashes) }
        }
        return String(text)
    }

    /// A page title without its site suffix (" | Microsoft Azure").
    static func draftTitle(_ title: String) -> String {
        guard let bar = title.range(of: " | ") else { return title }
        return String(title[..<bar.lowerBound])
    }

    func frontMatter(id: String, runbook: Runbook, models: [String], inputs: [String], verify: String?) -> [String] {
        let title = Self.draftTitle(runbook.title)
        var lines = ["---", "id: \(id)", "title: \(YAMLText.quote(title))"]
        if !runbook.summary.isEmpty { lines.append("summary: \(YAMLText.quote(runbook.summary))") }
        if !runbook.keywords.isEmpty {
            lines.append("keywords: [\(runbook.keywords.map(YAMLText.quote).joined(separator: ", "))]")
        }
        if !runbook.services.isEmpty {
            lines.append("services: [\(runbook.services.map(YAMLText.quote).joined(separator: ", "))]")
        }
        if !models.isEmpty {
            lines.append("models:")
            for model in models {
                lines.append("  \(model): \(model == "arm" ? "Resource Manager" : "Classic (cloud service)")")
            }
            lines.append("default-model: \(models[0])")
        }
        if !inputs.isEmpty {
            lines.append("inputs:")
            lines += inputs
        }
        if let verify { lines.append("verify: \(verify)") }
        lines += [
            "---", "",
            "<!-- Draft imported by 'runbook import'. Review every step; run blocks are consented fixes. -->", "",
        ]
        return lines
    }

    /// Puts a verify step before the first heading after the title (at that heading's level, so
    /// it stays a step), or at the end.
    func insertVerifyStep(into body: [String], headings: [MarkdownBlock.Heading], removedBefore removed: Set<Int>)
        -> [String]
    {
        var body = body
        let after = headings.dropFirst().first ?? headings.first
        let level = max(2, headings.count > 1 ? (after?.level ?? 2) : (headings.first?.level ?? 1) + 1)
        let step = [
            String(repeating: "#", count: level) + " Verify the problem is gone {#verify .symptom}", "",
            "<!-- Draft: replace this check with one that proves the problem is gone. -->", "",
            "```check tcp-connect host={{host}} port={{port}} timeout=5s", "```", "",
        ]
        if headings.count > 1, let next = after {
            let shift = removed.filter { $0 < next.range.start.line }.count
            body.insert(contentsOf: step, at: max(0, next.range.start.line - 1 - shift))
        } else {
            body += [""] + step
        }
        return body
    }

    func includeNames(in text: String) -> [String] {
        SourceLines.split(text).compactMap { IncludeLine(parsing: $0)?.path }.map(RunbookLoader.fileStem)
    }

    func expandIncludes(_ lines: [String], depth: Int, missing: inout [String], inlined: inout Int) -> [String] {
        var result: [String] = []
        for line in lines {
            guard let include = IncludeLine(parsing: line) else {
                result.append(line)
                continue
            }
            guard depth < 3, let text = resolve(include.path) else {
                if !missing.contains(include.path) { missing.append(include.path) }
                result.append("<!-- include not found: \(include.path) -->")
                if !include.tail.isEmpty { result.append(include.tail) }
                continue
            }
            inlined += 1
            // An include's own metadata is not part of the article.
            let document = MarkdownDocument(parsing: text)
            var skip = Set<Int>()
            for case .html(let html) in document.blocks {
                if let tag = HTMLTag(parsing: Substring(html.literal)), ["properties", "tags"].contains(tag.name) {
                    for number in html.range.start.line...html.range.end.line { skip.insert(number) }
                }
            }
            let own = SourceLines.split(text).enumerated().filter { !skip.contains($0.offset + 1) }.map(\.element)
            var expanded = expandIncludes(own, depth: depth + 1, missing: &missing, inlined: &inlined)
            // Articles often finish the include's last sentence on the same line:
            // "...instead of the [classic model](x.md)."
            if !include.tail.isEmpty {
                if let last = expanded.lastIndex(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }),
                    !expanded[last].trimmed.hasPrefix("```"), !expanded[last].trimmed.hasPrefix("~~~")
                {
                    expanded[last] += " " + include.tail
                } else {
                    expanded.append(include.tail)
                }
            }
            result += expanded
        }
        return result
    }
}

/// `[AZURE.INCLUDE [name](path)]` on a line of its own (``AzureInclude`` reads the syntax).
struct IncludeLine {
    var name: String
    var path: String
    /// Text after the include on the same line, trimmed.
    var tail: String

    init?(parsing line: String) {
        guard let (include, tail) = AzureInclude.startingLine(line) else { return nil }
        name = include.name
        path = include.path
        self.tail = tail
    }
}

/// YAML double-quoted scalars (the JSON string syntax is valid YAML).
enum YAMLText {
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + String(scalar.value, radix: 16).leftPad(2)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
