import Foundation

extension RunbookApp {
    /// `runbook new`: writes a new runbook skeleton at `path` (never over an existing file, even when
    /// another process races to create it) and returns the path.
    ///
    /// - Parameters:
    ///   - path: where to write it; nil for `KB/ID.md`.
    ///   - models: the models' ids, at least one.
    public func newRunbook(
        id: String, title: String?, models: [String], path: String?, knowledgeBase: KnowledgeBaseLocation
    ) throws(AppError) -> String {
        let path = path ?? (knowledgeBase.resolvedDirectory + "/\(id).md")
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .badInput("\(path) already exists; not overwriting it (choose another id or -o PATH)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            // A folder that cannot be made shows as the error of creating the file, below.
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let text = RunbookSkeleton.text(
            id: id, title: title ?? id.replacingOccurrences(of: "-", with: " ").capitalized, models: models)
        // Create the file only if it does not exist, even if another process races us.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw .badInput("cannot create \(path): \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        handle.write(Data(text.utf8))
        return path
    }
}

/// The text of a new runbook.
public enum RunbookSkeleton {
    public static func text(id: String, title: String, models: [String]) -> String {
        let known = ["arm": "Resource Manager", "classic": "Classic (cloud service)"]
        let modelLines = models.map { "  \($0): \(known[$0] ?? $0)" }.joined(separator: "\n")
        let lastModel = models.last ?? "arm"
        return """
            ---
            id: \(id)
            title: \(title)
            summary: One paragraph that says which problem this runbook solves and for whom.
            keywords: [\(id.split(separator: "-").joined(separator: ", "))]
            services: [virtual-machines-linux]
            models:
            \(modelLines)
            default-model: \(models.first ?? "arm")
            inputs:
              host: { description: DNS name or IP address of the VM, required: true }
              port: { description: Port of the service to check, default: "22" }
            verify: works
            ---

            <!--
            How this file works (FORMAT.md has the whole format):
            - A heading with sub-headings is a section; a heading without is a step.
            - Attributes go at the end of a heading: {#id .symptom model=arm requires=#other}.
            - A ```check ACTION key=value``` block runs a check action (see `runbook actions`);
              {{name}} inserts an input declared above.
            - A ```run sh``` block is a fix; it runs only with consent (--yes or a prompt), and
              inputs reach it as environment variables ($HOST, $RESOURCE_GROUP, ...).
            - A step without a block is a manual step, shown to the person running it.
            Check it with `runbook lint` and look at the order with `runbook plan MODEL --runbook PATH`.
            -->

            # \(title)

            Say in a few sentences what goes wrong and which layers this runbook looks at.

            ## The service answers {#works .symptom}

            The verify step: it runs first, and again after every fix. When it passes, the
            problem is gone.

            ```check tcp-connect host={{host}} port={{port}} timeout=5s
            ```

            ## Network path {#path}

            ### The name resolves {#dns}

            ```check dns-resolve host={{host}} finding="The host name does not resolve"
            ```

            ### Look at the cloud's filtering {#cloud-filter}

            A manual step: describe what to look at and where, for example the network
            security group rules in the portal.

            ## Fixes {#fixes model=\(lastModel)}

            ### Restart the service {#restart}

            Describe what the fix changes. It asks before it runs.

            ```run sh timeout=5m
            echo "replace this with the command that fixes the problem for $HOST"
            ```

            """
    }
}
