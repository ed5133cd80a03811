import Foundation
public import RunbookCore

/// The text view of a run, written for a person who reads the last screen only.
///
/// - Compact (the default): a section whose checks all passed is one line (`✓ Client computer ·
///   3 passed`); a section with news shows its heading and only the rows that carry news (a
///   failure, an error, a fix that ran); skipped steps, unasked manual steps and fixes that were
///   not offered fold into one line per reason at the end (`6 fixes available with -i …`); a
///   `call` whose steps all skipped is one skipped row. `verbose`: every row.
/// - The blocks of one step are one row; every line is cut to the width (`COLUMNS`, else the
///   terminal's), never wrapped mid-word.
/// - At the end the verdict (``ConsoleVerdict``): the outcome, each cause's finding with its
///   evidence, the next thing to do, the log.
/// - On a terminal a live line shows the check under way (spinner, elapsed time); colour only
///   on a terminal without `NO_COLOR`.
public actor ConsoleSink: ProgressSink {
    let output: FileOutput
    let colour: Bool
    let verbose: Bool
    let live: Bool
    let width: Int
    let rerun: String?
    let logReference: String?
    let logFolder: String?
    /// The section whose heading was written last (verbose), or whose rows are buffered (compact).
    private var section: String?
    private var sectionTitle: String?
    private var rows: [ConsoleRow] = []
    private var headed: Set<String> = []
    /// Rows of called runbooks since the last row of this runbook: they belong to the next `call`.
    private var nested: [ConsoleRow] = []
    var folds = SkipFolds()
    /// The first failure of each step, and the fix rows in the order the run met them.
    var failures: [String: ConsoleRow] = [:]
    var fixRows: [ConsoleRow] = []
    var verifyRow: ConsoleRow?
    var model = ""
    private var ticker: Task<Void, Never>?
    private var running: (line: String, started: ContinuousClock.Instant)?

    /// - Parameters:
    ///   - live: draw a live line for the running check (only on a terminal).
    ///   - width: the columns to fit (``FileOutput/columns(environment:)``).
    ///   - rerun: the command that runs again after this run (``RunLogs``: `runbook run arm --again
    ///     6f0c1a2b`), shown (with `--yes` and missing inputs) as the next thing to do.
    ///   - logReference: how commands name this run's log (a path or the run's short id); default the path.
    ///   - logFolder: the folder of a log named by its id, as a person types it
    ///     (``RunLogs/Folder/text``).
    public init(
        output: FileOutput = .standardOutput, colour: Bool, verbose: Bool = false, live: Bool = false,
        width: Int = 80, rerun: String? = nil, logReference: String? = nil, logFolder: String? = nil
    ) {
        self.output = output
        self.colour = colour
        self.verbose = verbose
        self.live = live
        self.width = max(40, width)
        self.rerun = rerun
        self.logReference = logReference
        self.logFolder = logFolder
    }

    /// Whether to colour: a terminal, and no `NO_COLOR` in the environment.
    public static func wantsColour(environment: [String: String], output: FileOutput = .standardOutput) -> Bool {
        output.isTerminal && environment["NO_COLOR"] == nil
    }

    public func receive(_ event: RunEvent, context: EventContext) async {
        stopLive()
        switch event.payload {
        case .runStart(let start)?:
            model = start.model
            write(line("\(context.runbook.id) · \(context.modelName)", .bold))
        case .step?:
            guard var row = makeRow(event, context: context) else { return }
            record(row)
            if verbose {
                writeVerbose(row, event: event, context: context)
            } else if StepPath(row.id).isCalled {
                nested.append(row)
            } else {
                if row.kind == "call" { foldCall(into: &row) }
                buffer(row, section: Self.shownSection(event.section, context: context), context: context)
            }
        case .runEnd?:
            flushSection()
            if !verbose { for text in folds.lines(runbook: context.runbook.id) { write(line("  " + text, .dim)) } }
            for text in verdict(event, context: context) { write(text) }
        case nil:
            return  // a step without a status, a run-end without an outcome: nothing the runner writes
        }
    }

    public func progress(_ note: ProgressNote, context: EventContext) async {
        stopLive()
        switch note {
        case .checking(let step, let given):
            let sectionID = Self.shownSection(given, context: context)
            if !verbose, sectionID != section, !StepPath(step).isCalled { flushSection() }
            let (owner, local) = context.resolve(step)
            startLive("\(step)  \(owner.step(local)?.title ?? "")")
        case .prompting(_, let given):
            let sectionID = Self.shownSection(given, context: context)
            if verbose {
                if let sectionID, sectionID != section { writeHeading(sectionID, context: context) }
                return
            }
            if sectionID != section {
                flushSection()
                section = sectionID
                sectionTitle = sectionID.map { Self.title(of: $0, context: context) }
            } else {
                flushSection(keepSection: true)
            }
            if let sectionID, !headed.contains(sectionID) {
                headed.insert(sectionID)
                write(line("  " + (sectionTitle ?? sectionID), .dim))
            }
        }
    }

    // MARK: rows

    private func makeRow(_ event: RunEvent, context: EventContext) -> ConsoleRow? {
        guard let id = event.step, let status = event.status else { return nil }
        let (owner, local) = context.resolve(id)
        let step = owner.step(local)
        var detail = event.summary ?? event.reason ?? ""
        if status == .fail, let finding = event.finding { detail = finding }
        if status == .skipped || status == .refused || status == .manual, let reason = event.reason {
            detail = event.reasonCode == .dryRun ? reason : "\(status.rawValue): \(reason)"
        }
        if let after = event.after { detail = "re-checked after \(after): " + detail }
        var row = ConsoleRow(
            id: id, status: status, title: step?.title ?? "", milliseconds: event.durationMS ?? 0, detail: detail)
        row.reason = event.reason
        row.reasonCode = event.reasonCode
        row.inputNames = event.skipReason?.inputNames ?? []
        row.summary = event.summary
        row.fix = event.fix
        row.symptom = event.symptom == true
        row.kind = event.kind
        row.stepKind = event.stepKind
        row.after = event.after
        row.script = event.script
        // The run names each step's kind in its own runbook's graph (a called runbook's, for its steps);
        // an event without one (made by an earlier version) counts a step with a `run` block as a fix.
        row.isFix = event.stepKind.map { $0 == .fix } ?? step?.isFix ?? false
        return row
    }

    /// What the verdict needs: failures, fixes, the verify step's result.
    private func record(_ row: ConsoleRow) {
        if row.status == .fail, row.kind != "call", failures[row.id] == nil { failures[row.id] = row }
        if row.after == nil, !StepPath(row.id).isCalled, row.isFix {
            if let index = fixRows.firstIndex(where: { $0.id == row.id }) {
                fixRows[index].merge(row)
            } else {
                fixRows.append(row)
            }
        }
        if row.after != nil { verifyRow = row }
    }

    /// A `call` whose steps all skipped is a skipped row, not a pass (its steps' missing inputs
    /// become its own); rows of the callee that carry news are shown before it.
    private func foldCall(into row: inout ConsoleRow) {
        defer { nested = [] }
        guard !nested.isEmpty else { return }
        if nested.allSatisfy({ $0.status == .skipped }) {
            var names: [String] = []
            for child in nested {
                for name in child.inputNames where !names.contains(name) { names.append(name) }
            }
            row.status = .skipped
            row.calledStepsSkipped = nested.count
            row.inputNames = names
            row.reasonCode = names.isEmpty ? nil : .needsInput
            row.reason =
                names.isEmpty
                ? "all \(nested.count) steps it calls were skipped"
                : "needs input " + names.map { "'\($0)'" }.joined(separator: ", ")
            row.detail = "skipped: " + (row.reason ?? "")
            if let index = fixRows.firstIndex(where: { $0.id == row.id }) { fixRows[index] = row }
        } else {
            rows += nested.filter(\.isNews)
        }
    }

    private func buffer(_ row: ConsoleRow, section sectionID: String?, context: EventContext) {
        if sectionID != section {
            flushSection()
            section = sectionID
            sectionTitle = sectionID.map { Self.title(of: $0, context: context) }
        }
        if let last = rows.last, last.id == row.id, last.after == nil, row.after == nil {
            rows[rows.count - 1].merge(row)
        } else {
            rows.append(row)
        }
    }

    /// Writes the buffered section: one line when nothing in it is news, else its heading (once)
    /// and its news; skipped rows go to the folds.
    private func flushSection(keepSection: Bool = false) {
        defer {
            rows = []
            if !keepSection { section = nil }
        }
        guard !rows.isEmpty else { return }
        let news = rows.filter(\.isNews)
        let passed = rows.filter { $0.status == .pass }.count
        var folded = 0
        for row in rows where !row.isNews && row.status != .pass {
            folds.add(row)
            folded += 1
        }
        guard let section, let title = sectionTitle else {
            for row in rows where row.isNews || row.status == .pass { write(rowLine(row)) }
            return
        }
        var counts: [String] = []
        if passed > 0 { counts.append("\(passed) passed") }
        if folded > 0 { counts.append("\(folded) skipped") }
        let headed = self.headed.contains(section)
        if news.isEmpty {
            guard passed > 0 else { return }
            write(
                line(
                    headed
                        ? "✓ \(counts.joined(separator: ", ")) more" : "✓ \(title) · " + counts.joined(separator: ", "),
                    .green, markOnly: true))
        } else if !headed {
            write(line("  \(title)" + (counts.isEmpty ? "" : " · " + counts.joined(separator: ", ")), .dim))
        }
        self.headed.insert(section)
        for row in news { write(rowLine(row)) }
    }

    /// `✗ sshd-running          0.1s  The SSH daemon (sshd) is not running on the VM`
    private func rowLine(_ row: ConsoleRow) -> String {
        let (mark, style) = Self.mark(row.status)
        let duration = row.milliseconds > 0 ? DurationText.format(milliseconds: row.milliseconds) : ""
        var text = Self.pad(row.id, 22) + " " + Self.pad(duration, 6, right: true) + "  " + row.detail
        text = Self.clip(text, width - 2)
        var lines = [
            paint(mark, style) + " " + text + (row.symptom && text.count + 11 <= width ? paint("  symptom", .dim) : "")
        ]
        if let script = row.script, row.status == .skipped, row.reasonCode == .dryRun {
            // The script as it would run: not cut (a person may copy it).
            lines += script.split(separator: "\n").map { paint("    \($0)", .dim) }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: verbose rows (every block, as before)

    private func writeVerbose(_ row: ConsoleRow, event: RunEvent, context: EventContext) {
        if let sectionID = Self.shownSection(event.section, context: context), sectionID != section {
            writeHeading(sectionID, context: context)
        }
        let (mark, style) = Self.mark(row.status)
        let duration = row.milliseconds > 0 ? DurationText.format(milliseconds: row.milliseconds) : ""
        // Every block is a row: a step's second block goes by its block id.
        let id = event.block.flatMap { $0 == row.id || $0.isEmpty ? nil : $0 } ?? row.id
        let text =
            Self.pad(id, 20) + " " + Self.pad(Self.clip(row.title, 34), 34) + " "
            + Self.pad(duration, 6, right: true) + "  "
            + (row.status == .fail ? (row.summary ?? row.detail) : row.detail)
        let tag = row.symptom ? "  symptom" : ""
        write(paint(mark, style) + " " + Self.clip(text, width - 2 - tag.count) + paint(tag, .dim))
        if let script = row.script, row.status == .skipped, row.reasonCode == .dryRun {
            for scriptLine in script.split(separator: "\n") { write(paint("    \(scriptLine)", .dim)) }
        }
        if row.status == .fail, let finding = event.finding, finding != row.title {
            write(line("    finding: \(finding)"))
        }
        if row.status == .fail, let fix = event.fix {
            let fixTitle = context.resolve(fix).runbook.step(fix)?.title ?? fix
            write(line("    fix: \(fix) — \(fixTitle) (asks first; --yes to skip asking)"))
        }
    }

    private func writeHeading(_ sectionID: String, context: EventContext) {
        section = sectionID
        write(line("  " + Self.title(of: sectionID, context: context), .dim))
    }

    /// The section a row is shown under: none for the runbook's title section (level 1), whose
    /// title the first line already says.
    static func shownSection(_ sectionID: String?, context: EventContext) -> String? {
        guard let sectionID else { return nil }
        let (owner, localID) = context.resolve(sectionID)
        return owner.sections.first { $0.id == localID }?.level == 1 ? nil : sectionID
    }

    static func title(of sectionID: String, context: EventContext) -> String {
        let (owner, localID) = context.resolve(sectionID)
        let title = owner.sections.first { $0.id == localID }?.title ?? localID
        return owner.id == context.runbook.id ? title : "\(owner.id): \(title)"
    }

    // MARK: the live line

    private func startLive(_ text: String) {
        guard live else { return }
        running = (text, ContinuousClock.now)
        drawLive(frame: 0)
        ticker = Task { [weak self] in
            var frame = 1
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                if Task.isCancelled { return }
                await self?.drawLive(frame: frame)
                frame += 1
            }
        }
    }

    private func drawLive(frame: Int) {
        guard let running else { return }
        let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
        let elapsed = (ContinuousClock.now - running.started).milliseconds
        let seconds = String(format: "%.1fs", Double(elapsed) / 1000)
        let text = Self.clip("\(spinner[frame % spinner.count]) \(running.line)", width - seconds.count - 3)
        output.write("\r\u{1B}[K" + text + "  " + paint(seconds, .dim))
    }

    private func stopLive() {
        ticker?.cancel()
        ticker = nil
        if running != nil { output.write("\r\u{1B}[K") }
        running = nil
    }

    // MARK: writing

    func write(_ text: String) { output.write(text + "\n") }

    /// `text` cut to the width, painted (or only its first character, the mark).
    func line(_ text: String, _ style: Style? = nil, markOnly: Bool = false) -> String {
        let cut = Self.clip(text, width)
        guard let style else { return cut }
        guard markOnly, let first = cut.first else { return paint(cut, style) }
        return paint(String(first), style) + cut.dropFirst()
    }

    enum Style: String {
        case green = "32"
        case red = "31"
        case yellow = "33"
        case dim = "2"
        case bold = "1"
    }

    func paint(_ text: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    static func mark(_ status: RunEvent.Status) -> (String, Style) {
        switch status {
        case .pass, .done: ("✓", .green)
        case .fail: ("✗", .red)
        case .error: ("!", .yellow)
        case .skipped, .refused, .interrupted: ("-", .dim)
        case .manual: ("?", .dim)
        }
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        guard count < width else { return text }
        let padding = String(repeating: " ", count: width - count)
        return right ? padding + text : text + padding
    }

    /// `text` in at most `width` characters: cut at the last word that fits, with `…`.
    static func clip(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        let head = text.prefix(max(1, width - 1))
        var cut = Substring(head)
        if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) > width / 2 {
            cut = head[..<space]
        }
        while cut.last == " " { cut.removeLast() }
        return cut + "…"
    }
}
