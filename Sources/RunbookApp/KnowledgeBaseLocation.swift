public import RunbookCore

/// Where the knowledge base is: `--kb DIR`, else `$RUNBOOK_PATH`, else `./Runbooks`.
public struct KnowledgeBaseLocation: Sendable, Equatable {
    /// The folder as given (`--kb`), or nil for the default.
    public var directory: String?
    /// The environment that `RUNBOOK_PATH` is read from.
    public var environment: [String: String]

    public init(directory: String? = nil, environment: [String: String] = [:]) {
        self.directory = directory
        self.environment = environment
    }

    /// The folder that is read.
    public var resolvedDirectory: String {
        if let directory { return directory }
        if let fromEnvironment = environment["RUNBOOK_PATH"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "Runbooks"
    }

    /// Reads every runbook of the folder, once.
    public func load() throws(CoreError) -> KnowledgeBase {
        try KnowledgeBase(directory: resolvedDirectory)
    }
}
