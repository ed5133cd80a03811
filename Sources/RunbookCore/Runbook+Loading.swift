public import RunbookMarkdown

extension Runbook {
    /// Reads a runbook (or a legacy article) from Markdown text.
    ///
    /// Never fails: problems come back as diagnostics, and what could be read is kept, so that
    /// lint can report everything in one pass and legacy articles always load.
    ///
    /// - Parameters:
    ///   - text: the file's content.
    ///   - path: the file's path as the user gave it, used in diagnostics and for the default id.
    /// - Returns: the runbook and the diagnostics of the reading.
    public static func load(text: String, path: String) -> (runbook: Runbook, diagnostics: [Diagnostic]) {
        // The loader reads headings, fences, HTML and anchors; other blocks only by kind and range.
        let document = MarkdownDocument(parsing: text, keepingTree: false, otherBlockText: false)
        var loader = RunbookLoader(document: document, path: path)
        let runbook = loader.load()
        return (runbook, loader.diagnostics)
    }

    /// ``load(text:path:)`` that also keeps cmark's tree of the same parse, for a renderer that
    /// would otherwise parse the text again (see ``MarkdownDocument/Parsed``).
    public static func loadKeepingTree(text: String, path: String)
        -> (runbook: Runbook, diagnostics: [Diagnostic], parsed: MarkdownDocument.Parsed?)
    {
        let document = MarkdownDocument(parsing: text, keepingTree: true, otherBlockText: false)
        var loader = RunbookLoader(document: document, path: path)
        let runbook = loader.load()
        return (runbook, loader.diagnostics, document.parsed)
    }
}

struct RunbookLoader {
    let document: MarkdownDocument
    let path: String
    var diagnostics: [Diagnostic] = []

    init(document: MarkdownDocument, path: String) {
        self.document = document
        self.path = path
    }

    mutating func error(_ code: String, _ message: String, at location: SourceLocation, note: String? = nil) {
        diagnostics.append(Diagnostic(.error, code, message, file: path, at: location, note: note))
    }

    mutating func warning(_ code: String, _ message: String, at location: SourceLocation, note: String? = nil) {
        diagnostics.append(Diagnostic(.warning, code, message, file: path, at: location, note: note))
    }

    mutating func load() -> Runbook {
        var runbook = Runbook(
            id: Self.fileStem(path), title: "", summary: "", keywords: [], services: [], models: [],
            defaultModel: nil, inputs: [], verify: nil, isDefault: false, path: path,
            legacy: LegacyMetadata(blocks: document.blocks), sections: [], steps: [], metadataLocations: [:],
            hasFrontMatter: document.frontMatter != nil)
        readMetadata(into: &runbook)
        readStructure(into: &runbook)
        if runbook.title.isEmpty {
            runbook.title = runbook.sections.first?.title ?? runbook.steps.first?.title ?? runbook.id
        }
        return runbook
    }

    static func fileStem(_ path: String) -> String {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : String(name)
    }

    // MARK: - Metadata

    mutating func readMetadata(into runbook: inout Runbook) {
        if document.frontMatter == nil && document.blocks.isEmpty {
            error(
                "empty", "the file is empty: a runbook needs front matter (id, title, models, verify) and steps",
                at: SourceLocation(line: 1, column: 1))
            return
        }
        if let matter = document.frontMatter {
            readFrontMatter(matter.root, into: &runbook)
            return
        }
        if let failure = document.frontMatterProblem {
            // The lines after the first `---` read like YAML keys but are no front matter: they
            // are Markdown now (as for cmark), and this file is no runbook until they are fixed.
            error(
                "front-matter", failure.message, at: failure.location,
                note: "without front matter the lines after the first '---' are read as Markdown")
        }
        let legacy = runbook.legacy
        runbook.title = legacy.properties["pageTitle"] ?? ""
        runbook.summary = legacy.properties["description"] ?? ""
        runbook.services = (legacy.properties["services"] ?? legacy.tags["ms.service"] ?? "")
            .split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        runbook.keywords = (legacy.properties["keywords"] ?? "")
            .split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    mutating func readFrontMatter(_ root: MetaNode, into runbook: inout Runbook) {
        guard case .mapping(let pairs) = root.value else {
            error("front-matter", "front matter must be a mapping of keys to values", at: root.location)
            return
        }
        let known: Set<String> = [
            "id", "title", "summary", "keywords", "services", "models", "default-model", "inputs", "verify",
            "default", "author", "date", "sources",
        ]
        for pair in pairs {
            guard let key = pair.key.string else { continue }
            runbook.metadataLocations[key] = pair.key.location
            if !known.contains(key) {
                warning("unknown-metadata", "unknown metadata key '\(key)'", at: pair.key.location)
            }
        }
        if let id = root["id"]?.string {
            runbook.id = id
            if id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
                error("bad-id", "runbook id '\(id)' must use only a-z, 0-9 and '-'", at: root["id"]!.location)
            }
        } else {
            error(
                "missing-id", "front matter has no 'id'", at: SourceLocation(line: 1, column: 1),
                note: "add a line such as 'id: \(Self.fileStem(path))'")
        }
        if let title = root["title"]?.string, !title.isEmpty {
            runbook.title = title
        } else {
            error("missing-title", "front matter has no 'title'", at: SourceLocation(line: 1, column: 1))
        }
        runbook.summary = root["summary"]?.string ?? ""
        runbook.keywords = root["keywords"]?.strings ?? []
        runbook.services = root["services"]?.strings ?? []
        runbook.verify = root["verify"]?.string
        if let verify = root["verify"], verify.string == nil {
            error("bad-metadata", "'verify' must be the id of one step", at: verify.location)
        }
        runbook.isDefault = readBool(root["default"], key: "default") ?? false
        runbook.sources = readSources(root["sources"])
        runbook.defaultModel = root["default-model"]?.string
        if let models = root["models"] {
            switch models.value {
            case .mapping(let pairs):
                runbook.models = pairs.compactMap { pair in
                    pair.key.string.map { Model(id: $0, name: pair.value.string ?? $0) }
                }
            case .sequence:
                runbook.models = models.strings.map { Model(id: $0, name: $0) }
            case .scalar:
                error(
                    "bad-metadata", "'models' must map each model id to its name (arm: Resource Manager)",
                    at: models.location)
            case .null:
                break
            }
        }
        if let inputs = root["inputs"] {
            if case .scalar = inputs.value {
                error(
                    "bad-metadata", "'inputs' must map each input name to its description or settings",
                    at: inputs.location)
            }
            if case .sequence = inputs.value {
                error(
                    "bad-metadata", "'inputs' must map each input name to its description or settings",
                    at: inputs.location)
            }
            for pair in inputs.pairs {
                guard let name = pair.key.string else { continue }
                let spec = pair.value
                if case .scalar(let description) = spec.value {
                    runbook.inputs.append(
                        Input(
                            name: name, description: description, required: false, defaultValue: nil, secret: false,
                            location: pair.key.location))
                    continue
                }
                runbook.inputs.append(
                    Input(
                        name: name,
                        description: spec["description"]?.string ?? "",
                        required: readBool(spec["required"], key: "required") ?? false,
                        defaultValue: spec["default"]?.string,
                        secret: readBool(spec["secret"], key: "secret") ?? false,
                        location: pair.key.location))
            }
        }
    }

    /// `sources:`: a list of article paths relative to the articles folder (`dir/name.md`); a name
    /// that could never be such a path is an error at its position.
    mutating func readSources(_ node: MetaNode?) -> [SourceArticle] {
        guard let node else { return [] }
        let items: [MetaNode]
        switch node.value {
        case .sequence(let list): items = list
        case .scalar: items = [node]
        case .null: return []
        case .mapping:
            error(
                "bad-metadata", "'sources' must list article paths relative to the articles folder", at: node.location)
            return []
        }
        var sources: [SourceArticle] = []
        for item in items {
            guard let path = item.string else {
                error(
                    "bad-metadata", "each of 'sources' must be an article path, not a list or mapping",
                    at: item.location)
                continue
            }
            if let problem = SourceArticle.problem(with: path) {
                error(
                    "bad-source", "source article '\(path)' \(problem)", at: item.location,
                    note: "name the article by its path under the articles folder, e.g. 'virtual-machines/x.md'")
                continue
            }
            sources.append(SourceArticle(path: path, location: item.location))
        }
        return sources
    }

    /// A yes/no value; anything else is an error at its position.
    mutating func readBool(_ node: MetaNode?, key: String) -> Bool? {
        guard let node else { return nil }
        if let value = node.bool { return value }
        error(
            "bad-metadata", "'\(key)' must be true or false, not '\(node.string ?? "a list or mapping")'",
            at: node.location)
        return nil
    }

    // MARK: - Structure

    struct HeadingInfo {
        var heading: MarkdownBlock.Heading
        var blockIndex: Int
        var id: String?
        var idLocation: SourceLocation?
        var title: String
        var attributes: AttributeList
        /// Whether the heading ends with an attribute list (then not part of ``title``).
        var hasAttributeList = false
    }

    mutating func readStructure(into runbook: inout Runbook) {
        let blocks = document.blocks
        var headings: [HeadingInfo] = []
        var pendingAnchor: MarkdownBlock.Anchor?
        for (index, block) in blocks.enumerated() {
            switch block {
            case .anchor(let anchor):
                pendingAnchor = anchor
            case .heading(let heading):
                var info = headingInfo(heading, blockIndex: index)
                if info.id == nil, let anchor = pendingAnchor {
                    info.id = anchor.id
                    info.idLocation = anchor.range.start
                } else if info.id == nil, let anchor = heading.anchor {
                    info.id = anchor
                    info.idLocation = heading.range.start
                }
                headings.append(info)
                pendingAnchor = nil
            case .html:
                continue
            case .other(let other):
                pendingAnchor = nil
                warnAboutBrokenFence(other)
            default:
                pendingAnchor = nil
            }
        }
        var usedIDs: [String: SourceLocation] = [:]
        var nextNumbers: [String: Int] = [:]
        var stack: [(level: Int, id: String, models: [String]?)] = []
        for (position, info) in headings.enumerated() {
            while let last = stack.last, last.level >= info.heading.level { stack.removeLast() }
            let parentModels = stack.last?.models
            var models = parentModels
            if let model = info.attributes["model"] {
                models = model.value.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            }
            var id = info.id ?? Slug.make(info.title)
            if id.isEmpty { id = "section" }
            if info.id != nil, let first = usedIDs[id] {
                // Legacy articles repeat anchors now and then; only a runbook's ids must be unique.
                diagnostics.append(
                    Diagnostic(
                        document.frontMatter == nil ? .warning : .error, "duplicate-id", "duplicate id '\(id)'",
                        file: path, at: info.idLocation ?? info.heading.range.start,
                        note: "first used at \(path):\(first)"))
            }
            if info.id == nil || usedIDs[id] != nil {
                id = Slug.unique(id, among: usedIDs, next: &nextNumbers)
            }
            usedIDs[id] = info.idLocation ?? info.heading.range.start
            let nextHeading = position + 1 < headings.count ? headings[position + 1] : nil
            let isSection = nextHeading.map { $0.heading.level > info.heading.level } ?? false
            let contentEnd = nextHeading?.blockIndex ?? blocks.count
            let contentBlocks = blocks[(info.blockIndex + 1)..<contentEnd]
            let lastLine = nextHeading.map { $0.heading.range.start.line - 1 } ?? document.lines.count
            let text = SourceText(lines: document.lines, first: info.heading.range.end.line + 1, last: lastLine)
            var stepAttributes: [String: AttributeList.Item] = [:]
            for item in info.attributes.items where item.key != "model" { stepAttributes[item.key] = item }
            if isSection {
                for block in contentBlocks { rejectExecutable(block, reason: "a section's introduction") }
                runbook.sections.append(
                    Section(
                        id: id, title: info.title, level: info.heading.level, location: info.heading.range.start,
                        models: models, classes: info.attributes.classes, parent: stack.last?.id, prose: text,
                        hasAttributeList: info.hasAttributeList, attributes: stepAttributes))
            } else {
                var step = Step(
                    id: id, title: info.title, level: info.heading.level, location: info.heading.range.start,
                    models: models, classes: info.attributes.classes, attributes: stepAttributes, blocks: [],
                    prose: text, sectionPath: stack.map(\.id), hasAttributeList: info.hasAttributeList)
                for block in contentBlocks {
                    guard case .fence(let fence) = block, let parsed = executableBlock(fence, step: step) else {
                        continue
                    }
                    step.blocks.append(parsed)
                }
                runbook.steps.append(step)
            }
            stack.append((info.heading.level, id, models))
        }
        if let firstHeading = headings.first {
            for block in blocks[..<firstHeading.blockIndex] {
                rejectExecutable(block, reason: "the text before the first heading")
            }
        } else {
            for block in blocks { rejectExecutable(block, reason: "a file without headings") }
        }
    }

    /// A backtick on a backtick fence's opening line is not allowed (CommonMark), so cmark reads
    /// "```check ... `x`" as a paragraph: the block silently disappears. Say so.
    mutating func warnAboutBrokenFence(_ block: MarkdownBlock.Other) {
        guard block.kind == "paragraph", let bytes = document.lines.bytes(ofLine: block.range.start.line),
            bytes.drop(while: { $0 == 32 }).starts(with: [96, 96, 96]),  // ```
            let line = document.lines[block.range.start.line]
        else { return }
        let trimmed = line.drop(while: { $0 == " " })
        guard trimmed.hasPrefix("```"), let word = Self.executableWord(String(trimmed.dropFirst(3))) else { return }
        diagnostics.append(
            Diagnostic(
                document.frontMatter == nil ? .warning : .error, "broken-fence",
                "this '\(word)' line is not a code fence: a backtick after the opening ``` ends it",
                file: path, at: block.range.start,
                note: "open the fence with ~~~ instead, or move values with backticks into the block's YAML body"))
    }

    mutating func rejectExecutable(_ block: MarkdownBlock, reason: String) {
        guard case .fence(let fence) = block, let word = Self.executableWord(fence.info) else {
            if case .fence(let fence) = block { checkClosed(fence, executable: false) }
            return
        }
        checkClosed(fence, executable: true)
        error(
            "block-outside-step", "'\(word)' block in \(reason) belongs to no step",
            at: fence.infoLocation ?? fence.range.start,
            note: "move it under a heading without sub-headings")
    }

    mutating func checkClosed(_ fence: MarkdownBlock.Fence, executable: Bool) {
        guard !fence.isClosed else { return }
        let message = "code fence is never closed; everything after it became part of the block"
        if executable {
            error("unterminated-fence", message, at: fence.range.start)
        } else {
            warning("unterminated-fence", message, at: fence.range.start)
        }
    }

    static func executableWord(_ info: String) -> String? {
        let first = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        return ["check", "run", "call"].contains(first) ? first : nil
    }

    func headingInfo(_ heading: MarkdownBlock.Heading, blockIndex: Int) -> HeadingInfo {
        var info = HeadingInfo(
            heading: heading, blockIndex: blockIndex, id: nil, idLocation: nil, title: heading.text,
            attributes: AttributeList())
        guard heading.text.hasSuffix("}"), let open = heading.text.lastIndex(of: "{"),
            let line = document.lines[heading.range.start.line]
        else { return info }
        // Find the same braces on the source line to report columns in the file.
        var sourceLine = Substring(line)
        while let last = sourceLine.last, last == " " || last == "\t" || last == "#" { sourceLine.removeLast() }
        guard sourceLine.hasSuffix("}"), let sourceOpen = sourceLine.lastIndex(of: "{") else { return info }
        let inner = sourceLine[sourceLine.index(after: sourceOpen)..<sourceLine.index(before: sourceLine.endIndex)]
        let column = sourceLine.utf8.distance(from: sourceLine.startIndex, to: sourceOpen) + 2
        guard
            let attributes = try? AttributeList(
                parsing: inner, at: SourceLocation(line: heading.range.start.line, column: column)),
            attributes.words.isEmpty
        else { return info }
        info.attributes = attributes
        info.hasAttributeList = true
        info.title = String(heading.text[..<open]).trimmed
        if let id = attributes.id {
            info.id = id.value
            info.idLocation = id.location
        }
        return info
    }

    mutating func executableBlock(_ fence: MarkdownBlock.Fence, step: Step) -> Block? {
        guard let word = Self.executableWord(fence.info), let infoLocation = fence.infoLocation else {
            checkClosed(fence, executable: false)
            return nil
        }
        checkClosed(fence, executable: true)
        // Read the fence line from the source: cmark's info string has backslash escapes undone,
        // which would shift columns and break quoted values such as finding="Says \"no\"".
        var infoText = Substring(fence.info)
        if let line = document.lines[infoLocation.line] {
            let bytes = line.utf8
            let offset = min(infoLocation.column - 1, bytes.count)
            var raw = Substring(String(decoding: Array(bytes)[offset...], as: UTF8.self))
            while let last = raw.last, last.isWhitespace { raw.removeLast() }
            if raw.hasPrefix(Self.executableWord(fence.info) ?? "") { infoText = raw }
        }
        let list: AttributeList
        do {
            list = try AttributeList(parsing: infoText, at: infoLocation)
        } catch {
            self.error("bad-attribute", error.message, at: error.location)
            return nil
        }
        guard list.words.count >= 2 else {
            let what = word == "check" ? "an action name" : word == "run" ? "a shell (sh, bash)" : "a runbook id"
            error(
                "missing-target", "'\(word)' needs \(what)", at: infoLocation,
                note: "for example '\(Self.example(word))'")
            return nil
        }
        let target = list.words[1]
        for extra in list.words.dropFirst(2) {
            error("unexpected-word", "unexpected '\(extra.key)': arguments are written key=value", at: extra.location)
        }
        let kind: Block.Kind =
            switch word {
            case "check": .check(action: target.key)
            case "run": .run(shell: target.key)
            default: .call(runbook: target.key)
            }
        var attributes = step.attributes
        var arguments: [AttributeList.Item] = []
        for item in list.items {
            if BlockAttribute.names.contains(item.key) {
                attributes[item.key] = item
            } else {
                arguments.append(item)
            }
        }
        if case .check = kind, !fence.literal.trimmed.isEmpty {
            let bodyLine = fence.range.start.line + 1
            do {
                if let root = try YAMLReader.read(
                    fence.literal, firstLine: bodyLine,
                    columnOffset: max(fence.range.start.column - 1, 0))
                {
                    if case .mapping(let pairs) = root.value {
                        for pair in pairs {
                            guard let key = pair.key.string else { continue }
                            let value = pair.value.string ?? pair.value.strings.joined(separator: ",")
                            let item = AttributeList.Item(key: key, value: value, location: pair.key.location)
                            if BlockAttribute.names.contains(key) {
                                attributes[key] = item
                            } else {
                                arguments.append(item)
                            }
                        }
                    } else {
                        error("bad-body", "a check's body must be YAML 'key: value' lines", at: root.location)
                    }
                }
            } catch {
                self.error("bad-body", error.message, at: error.location)
            }
        }
        let ordinal = step.blocks.count + 1
        let id = list["id"]?.value ?? (ordinal == 1 ? step.id : "\(step.id)-\(ordinal)")
        return Block(
            kind: kind, id: id, arguments: arguments, attributes: attributes, classes: list.classes,
            body: fence.literal, location: fence.range.start, targetLocation: target.location)
    }

    static func example(_ word: String) -> String {
        switch word {
        case "check": "check tcp-connect host={{host}} port=22"
        case "run": "run sh"
        default: "call reset-access"
        }
    }
}
