import RunbookCore

/// One step as the console shows it: the blocks of a step merged into one row.
struct ConsoleRow: Sendable {
    var id: String
    var status: RunEvent.Status
    var title: String
    var milliseconds: Int
    /// The failure's finding, the summary or the reason, as the row shows it.
    var detail: String
    var reason: String?
    /// What ``reason`` says, as a value: the console decides by it, never by the words.
    var reasonCode: SkipReason.Code?
    /// The inputs that would let the row's step run (a `needs-input` reason).
    var inputNames: [String] = []
    /// The check's own summary (its evidence in a word), and the fix its failure points to.
    var summary: String?
    var fix: String?
    var symptom = false
    var isFix = false
    var kind: String?
    /// What the step is in its runbook's graph (the log's `step_kind`).
    var stepKind: StepGraph.Kind?
    /// For a re-verification after a fix: the fix.
    var after: String?
    var script: String?
    /// A `call` whose every step was skipped (their inputs, for a fix that calls a runbook).
    var calledStepsSkipped: Int?

    /// How much a status says, to merge the blocks of one step: the first failure wins.
    static func weight(_ status: RunEvent.Status) -> Int {
        switch status {
        case .fail: 7
        case .error: 6
        case .interrupted: 5
        case .refused: 4
        case .done: 3
        case .pass: 2
        case .manual: 1
        case .skipped: 0
        }
    }

    /// Adds another block's result of the same step.
    mutating func merge(_ other: ConsoleRow) {
        milliseconds += other.milliseconds
        symptom = symptom || other.symptom
        if Self.weight(other.status) > Self.weight(status) {
            status = other.status
            detail = other.detail
            reason = other.reason
            reasonCode = other.reasonCode
            inputNames = other.inputNames
            summary = other.summary
            fix = other.fix
            script = other.script ?? script
        }
    }

    /// Whether a compact console folds the row away (into a count or a summary line).
    var isNews: Bool {
        if after != nil { return true }
        switch status {
        case .fail, .error, .interrupted, .done: return true
        case .skipped: return reasonCode == .dryRun
        case .pass, .manual, .refused: return false
        }
    }
}

/// Skipped and unasked steps, folded into one line for each reason.
struct SkipFolds: Sendable {
    private var order: [String] = []
    private var ids: [String: [String]] = [:]
    private var inputs: [String: [String]] = [:]
    /// How many folded rows need each input: the line names the most needed first.
    private var uses: [String: Int] = [:]

    /// Files a skipped, refused or unasked row under its reason; false if it is not folded.
    mutating func add(_ row: ConsoleRow) {
        let reason = row.reason ?? ""
        let needed = row.inputNames
        let key: String
        if row.isFix {
            switch row.status {
            case .refused: key = "fix-refused"
            case _ where !needed.isEmpty: key = "fix-inputs"
            case _ where row.reasonCode?.leavesFixUnwanted == true: key = "fix-not-needed"
            default: key = "fix:" + reason
            }
        } else if row.status == .manual {
            key = "manual"
        } else if row.reasonCode == .needsVM {
            key = "vm"
        } else if !needed.isEmpty {
            key = "inputs"
        } else if row.reasonCode == .requiresFailed || row.reasonCode == .jumpedOver {
            key = "requires"
        } else {
            key = "other:" + reason
        }
        if ids[key] == nil { order.append(key) }
        ids[key, default: []].append(row.id)
        for name in needed {
            uses[name, default: 0] += 1
            if inputs[key]?.contains(name) != true { inputs[key, default: []].append(name) }
        }
    }

    /// The inputs that skipped fixes need, in the order first named.
    var fixInputs: [String] { inputs["fix-inputs"] ?? [] }

    /// One line for each reason, in the order first met (fixes not needed are left out).
    func lines(runbook: String) -> [String] {
        order.compactMap { key -> String? in
            let list = ids[key] ?? []
            let count = list.count
            let names = list.joined(separator: ", ")
            let flags = flags(key)
            switch key {
            // The verdict's next step names the fix to consent to; fixes not needed carry no news.
            case "fix-not-needed", "fix-refused": return nil
            case "fix-inputs": return "\(Self.count(count, "fix", "fixes")) available with \(flags)"
            case "manual":
                return "\(Self.count(count, "manual step", "manual steps")) to do by hand "
                    + "('runbook show \(runbook)'): \(names)"
            case "vm": return "\(Self.count(count, "check", "checks")) inside the VM skipped: give --vm …"
            case "inputs": return "\(Self.count(count, "check", "checks")) skipped: give \(flags)"
            case "requires": return "\(count) skipped, as a step they need did not pass: \(names)"
            default:
                let reason = key.drop { $0 != ":" }.dropFirst()
                let what = key.hasPrefix("fix:") ? Self.count(count, "fix", "fixes") : "\(count) skipped"
                return "\(what) (\(reason)): \(names)"
            }
        }
    }

    /// `-i NAME=…` for each input the rows of `key` need, the most needed first.
    private func flags(_ key: String) -> String {
        let needed = (inputs[key] ?? []).enumerated().sorted {
            (-(uses[$0.element] ?? 0), $0.offset) < (-(uses[$1.element] ?? 0), $1.offset)
        }
        return needed.map { "-i \($0.element)=…" }.joined(separator: " ")
    }

    /// What would let the skipped checks run: their inputs and `--vm`; nil when nothing would.
    var enabling: String? {
        let words = [flags("inputs"), ids["vm"] == nil ? "" : "--vm …"].filter { !$0.isEmpty }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    static func count(_ number: Int, _ one: String, _ many: String) -> String {
        "\(number) \(number == 1 ? one : many)"
    }
}
