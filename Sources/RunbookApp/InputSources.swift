import Foundation
public import RunbookCore
import RunbookMarkdown
import RunbookRunner

/// The four sources of a run's input values and the one order in which they are read: an earlier
/// run's inputs (`--again`), then `--inputs FILE`, then `RUNBOOK_INPUT_*` in the environment, then
/// `-i NAME=VALUE`; a later source wins. Inputs still missing take their default; a required
/// input still missing is asked for (``prompt``), else it is an error.
public struct InputSources: Sendable {
    /// `-i NAME=VALUE` words, in the order given.
    public var arguments: [String]
    /// `--inputs FILE`: a YAML mapping of name: value.
    public var file: String?
    /// The environment `RUNBOOK_INPUT_<VARIABLE>` values are read from (`new-password` →
    /// `RUNBOOK_INPUT_NEW_PASSWORD`): the way to give a secret without putting it in any argv.
    public var environment: [String: String]
    /// Asks a person for a required input that no source gave; nil when nobody can answer.
    public var prompt: (@Sendable (Input) -> String?)?

    public init(
        arguments: [String] = [], file: String? = nil, environment: [String: String] = [:],
        prompt: (@Sendable (Input) -> String?)? = nil
    ) {
        self.arguments = arguments
        self.file = file
        self.environment = environment
        self.prompt = prompt
    }

    /// The values of every source for `runbook`, defaults applied, required inputs checked.
    ///
    /// - Parameter earlier: the inputs of the run `--again` names (read first, so anything given now wins).
    public func resolve(for runbook: Runbook, earlier: [(String, String)] = []) throws(AppError) -> [String: String] {
        var given = earlier
        if let file { given += try Self.read(file) }
        given += InputResolver.fromEnvironment(environment, for: runbook)
        do {
            given += try InputResolver.parse(arguments)
            return try InputResolver.resolve(given, for: runbook, ask: prompt)
        } catch {
            throw AppError(error)
        }
    }

    /// The values given for `runbook` without asking and without checking required inputs, over
    /// the defaults: what `plan` shows in the fixes' scripts (`-i` and `--inputs` only).
    public func shown(for runbook: Runbook) throws(AppError) -> [String: String] {
        var given: [(String, String)] = []
        if let file { given += try Self.read(file) }
        do { given += try InputResolver.parse(arguments) } catch { throw AppError(error) }
        var values: [String: String] = [:]
        for input in runbook.inputs { values[input.name] = input.defaultValue }
        for (name, value) in given {
            guard runbook.input(name) != nil else {
                throw .badInput(
                    InputResolver.Problem.unknownInput(name, runbook: runbook.id, known: runbook.inputs.map(\.name))
                        .description)
            }
            values[name] = value
        }
        return values
    }

    /// The pairs of an inputs file, in its order.
    public static func read(_ path: String) throws(AppError) -> [(String, String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .badInput("cannot read inputs file '\(path)'")
        }
        let root: MetaNode?
        do {
            root = try YAMLReader.read(text, firstLine: 1)
        } catch {
            throw .badInput(error.message, at: DocumentPlace(file: path, at: error.location))
        }
        guard let root, case .mapping(let pairs) = root.value else {
            throw .badInput(
                "inputs file must be a YAML mapping of name: value",
                at: DocumentPlace(file: path, at: .init(line: 1, column: 1)))
        }
        return pairs.compactMap { pair in
            guard let key = pair.key.string else { return nil }
            return (key, pair.value.string ?? "")
        }
    }
}
