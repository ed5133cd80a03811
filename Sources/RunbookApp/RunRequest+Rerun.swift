import RunbookActions

extension RunRequest {
    /// The command line that runs a fix after this run, short enough to read and to paste, built
    /// from the request (not from argv): `runbook run`, what chooses the runbook, the knowledge
    /// base, the inputs file and the timeout, then `--again REF` (this run's log) for the inputs and
    /// `--vm`. Left out are the inputs and `--vm` (the log has them), the words that keep a fix from
    /// running and those that name this run's own log; a secret given with `-i` (never in a log)
    /// becomes `-i NAME=…`, to be typed again. Shell-quoted; the caller masks secret values.
    ///
    /// - Parameters:
    ///   - reference: how this run's log is named (``RunLogs/reference(logPath:runID:environment:)``);
    ///     nil for a log that cannot be read back (`--log /dev/null`): then the inputs and `--vm` stay.
    ///   - secrets: the names of the secret inputs.
    public func rerunCommand(again reference: String?, secrets: Set<String>) -> String {
        var words = ["runbook", "run"] + choice.words.map(ShellQuote.quote)
        func option(_ name: String, _ value: String?) {
            if let value { words += [name, ShellQuote.quote(value)] }
        }
        option("--runbook", choice.runbook)
        option("--model", choice.model)
        option("--kb", choice.knowledgeBase.directory)
        option("--inputs", inputs.file)
        option("--timeout", timeout)
        guard let reference else {
            for word in inputs.arguments { words += ["-i", ShellQuote.quote(word)] }
            option("--vm", vm)
            option("--again", again)
            return words.joined(separator: " ")
        }
        words += ["--again", reference]
        for word in inputs.arguments {
            let name = String(word.prefix { $0 != "=" })
            if secrets.contains(name) { words.append("-i \(ShellQuote.quote(name))=…") }
        }
        return words.joined(separator: " ")
    }
}
