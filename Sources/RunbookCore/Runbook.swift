public import RunbookMarkdown

/// A runbook: metadata, the tree of sections and steps, and where everything came from.
public struct Runbook: Sendable {
    public var id: String
    public var title: String
    public var summary: String
    public var keywords: [String]
    public var services: [String]
    /// Declared deployment models in declaration order.
    public var models: [Model]
    public var defaultModel: String?
    public var inputs: [Input]
    /// The id of the step that proves the problem is gone.
    public var verify: String?
    /// Whether `runbook run MODEL` uses this runbook when none is named.
    public var isDefault: Bool
    /// The file it was read from, as given.
    public var path: String
    public var legacy: LegacyMetadata
    /// Sections in document order.
    public var sections: [Section]
    /// Steps in document order.
    public var steps: [Step]
    /// Where each metadata key was written, for diagnostics.
    public var metadataLocations: [String: SourceLocation]
    /// Whether the file had YAML front matter (a runbook) or not (a legacy article).
    public var hasFrontMatter: Bool
    /// The legacy articles this runbook replaces (`sources:`), as paths relative to the articles folder.
    public var sources: [SourceArticle] = []

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }
    public func model(_ id: String) -> Model? { models.first { $0.id == id } }
    public func input(_ name: String) -> Input? { inputs.first { $0.name == name } }

    /// Whether any step holds an executable block.
    public var isExecutable: Bool { steps.contains { !$0.blocks.isEmpty } }
}

/// A deployment model a runbook is split by, such as `arm` (Resource Manager).
public struct Model: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
}

/// An input a run needs, given with `-i NAME=VALUE`.
public struct Input: Sendable, Equatable {
    public var name: String
    public var description: String
    public var required: Bool
    public var defaultValue: String?
    public var secret: Bool
    public var location: SourceLocation

    /// The environment variable a `run` block sees it as: `resource-group` → `RESOURCE_GROUP`.
    public var environmentName: String { Input.environmentName(of: name) }

    public static func environmentName(of name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

/// Lines of a runbook's file, trimmed, made a string only when read: the lines are shared with
/// the loaded document, so loading a 50 MB article does not copy its prose into thousands of
/// strings that rendering its page never reads.
struct SourceText: Sendable, Equatable {
    let lines: SourceLines
    let first: Int
    let last: Int

    var string: String { lines.trimmedText(from: first, to: last) }

    static func == (left: Self, right: Self) -> Bool { left.string == right.string }
}

/// A heading with sub-headings.
public struct Section: Sendable, Equatable {
    public var id: String
    public var title: String
    public var level: Int
    public var location: SourceLocation
    /// The models it is limited to (its own `model=` or inherited), `nil` for every model.
    public var models: [String]?
    public var classes: [String]
    public var parent: String?
    /// The Markdown text between the heading and its first sub-heading.
    public var introduction: String { prose.string }
    var prose: SourceText
    /// Whether the heading ends with an attribute list (`{#id .class key=value}`), which is not
    /// part of its title (a `{...}` that is no attribute list is heading text).
    public var hasAttributeList = false
    /// Attributes written on the heading other than `model=` (lint rejects the step-only ones).
    public var attributes: [String: AttributeList.Item] = [:]
}

/// A heading without sub-headings: one thing to check, fix or do.
public struct Step: Sendable, Equatable {
    public var id: String
    public var title: String
    public var level: Int
    public var location: SourceLocation
    /// The models it is limited to (its own `model=` or inherited), `nil` for every model.
    public var models: [String]?
    public var classes: [String]
    /// Attributes written on the heading (`on-fail=`, `requires=`, ...).
    public var attributes: [String: AttributeList.Item]
    /// The executable blocks, in order.
    public var blocks: [Block]
    /// The Markdown text of the step, shown to a person (fences included).
    public var text: String { prose.string }
    var prose: SourceText
    /// Ids of the enclosing sections, outermost first.
    public var sectionPath: [String]
    /// Whether the heading ends with an attribute list (`{#id .class key=value}`), which is not
    /// part of its title (a `{...}` that is no attribute list is heading text).
    public var hasAttributeList = false

    public var isSymptom: Bool { classes.contains("symptom") }
    public var isManual: Bool { blocks.isEmpty }
    public var isFix: Bool { blocks.contains { if case .run = $0.kind { true } else { false } } }

    public func applies(to model: String) -> Bool { models?.contains(model) ?? true }

    /// An attribute of the step, falling back to none.
    public func attribute(_ key: String) -> String? { attributes[key]?.value }

    /// The error messages the step explains (`explains="msg|other msg"`), for search to route a
    /// pasted message to this step. Running the step ignores them.
    public var explains: [String] {
        StepAttribute.messages(attributes[StepAttribute.explains]?.value ?? "").filter { !$0.isEmpty }
    }
}

/// Step heading attributes that are for people and search, not for the runner.
public enum StepAttribute {
    /// `explains="Connection refused|Connection timed out"`: messages separated by `|`.
    public static let explains = "explains"

    /// The messages of an `explains=` value, trimmed (empty ones included, for lint to report).
    public static func messages(_ value: String) -> [String] {
        value.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmed }
    }
}

/// A fenced block whose info string starts with `check`, `run` or `call`.
public struct Block: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A read-only check by a registered action.
        case check(action: String)
        /// A fix: a script for the named shell.
        case run(shell: String)
        /// Another runbook of the knowledge base run as a sub-graph.
        case call(runbook: String)

        public var word: String {
            switch self {
            case .check: "check"
            case .run: "run"
            case .call: "call"
            }
        }
    }

    public var kind: Kind
    public var id: String
    /// Action arguments (`key=value` on the fence line, then the YAML body's), unexpanded.
    public var arguments: [AttributeList.Item]
    /// Block attributes from the fence line (`on-fail=`, `timeout=`, ...), merged over the step's.
    public var attributes: [String: AttributeList.Item]
    public var classes: [String]
    /// The fence's content: a script for `run`, YAML arguments for `check`.
    public var body: String
    public var location: SourceLocation
    /// Where the action's name (or shell, or runbook) is written.
    public var targetLocation: SourceLocation

    public func attribute(_ key: String) -> String? { attributes[key]?.value }

    public func argument(_ key: String) -> AttributeList.Item? { arguments.last { $0.key == key } }

    public var actionName: String? {
        if case .check(let action) = kind { return action }
        return nil
    }
}

/// Attributes of a manual step (a step without blocks): `implied-by=#step,…`, earlier steps whose
/// pass answers it, so the run does not ask; `question="…"`, the yes/no question a run asks.
public enum ManualAttribute {
    public static let names: Set<String> = ["implied-by", "question"]
}

/// Attribute names that steer the runner rather than the action.
public enum BlockAttribute {
    public static let names: Set<String> = [
        "id", "on-pass", "on-fail", "requires", "finding", "fix", "timeout", "retries", "explained-by",
    ]
}
