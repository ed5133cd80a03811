import ArgumentParser
import Foundation
import RunbookActions
import RunbookCore
import RunbookRunner

/// `--again`: the command the verdict prints to run a fix, and the inputs of the earlier run it names.
extension RunbookCommand.Run {
    /// The command line that runs a fix after this run, short enough to read and to paste:
    /// `runbook` and the arguments that choose the runbook, the knowledge base and the timeout,
    /// then `--again REF` (this run's log) for the inputs and `--vm`. Gone are the inputs, `--vm`,
    /// the words that keep a fix from running and those that name this run's own log; a secret
    /// given with `-i` (never in a log) becomes `-i NAME=…`, to be typed again. Shell-quoted.
    ///
    /// Without `reference` (a log that cannot be read back) the inputs and `--vm` stay.
    static func rerunCommand(_ arguments: [String], again reference: String?, secrets: Set<String>) -> String {
        var words = ["runbook"]
        var secretWords: [String] = []
        var index = 1
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if ["--non-interactive", "--yes", "--dry-run", "--verbose"].contains(word) { continue }
            if ["--log", "--format"].contains(word) || (reference != nil && ["--vm", "--again"].contains(word)) {
                index += 1
                continue
            }
            if ["--log=", "--format="].contains(where: word.hasPrefix)
                || (reference != nil && ["--vm=", "--again="].contains(where: word.hasPrefix))
            {
                continue
            }
            guard reference != nil else {
                words.append(ShellQuote.quote(word))
                continue
            }
            var input: String?
            if word == "-i" || word == "--input" {
                input = index < arguments.count ? arguments[index] : nil
                index += 1
            } else if word.hasPrefix("--input=") {
                input = String(word.dropFirst("--input=".count))
            } else if word.hasPrefix("-i"), word.count > 2 {
                input = String(word.dropFirst(2))
            } else {
                words.append(ShellQuote.quote(word))
                continue
            }
            if let name = input?.split(separator: "=", maxSplits: 1).first.map(String.init), secrets.contains(name) {
                secretWords.append("-i \(ShellQuote.quote(name))=…")
            }
        }
        return (words + (reference.map { ["--again", $0] } ?? []) + secretWords).joined(separator: " ")
    }

    /// The inputs (secrets left out: a log has them as `***`) and `--vm` of the run that wrote
    /// the log `reference` names, which must be a run of `runbook` and `model`.
    static func earlierRun(
        _ reference: String, runbook: Runbook, model: String, environment: [String: String]
    ) throws -> (inputs: [(String, String)], vm: String?) {
        let start: RunEvent
        do {
            start = try RunLogs.start(ofLog: RunLogs.path(of: reference, environment: environment))
        } catch {
            throw UsageError("--again: \(error.description)")
        }
        guard start.runbook == runbook.id, start.model == model else {
            throw UsageError(
                "--again: '\(reference)' is a run of \(start.runbook ?? "?") (model \(start.model ?? "?")), "
                    + "not of \(runbook.id) (model \(model)); give that runbook and model")
        }
        let inputs = (start.inputs ?? [:]).filter { name, _ in runbook.input(name).map { !$0.secret } ?? false }
        return (inputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, start.vm)
    }
}
