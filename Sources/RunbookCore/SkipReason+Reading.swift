/// Reading a logged reason back: the inverse of ``SkipReason/text``, beside it in Core, so the
/// words are written and read in one place (a log holds the text and the code, not the values).
extension SkipReason {
    /// The reason a log's `reason_code` and `reason` describe; `nil` when the text is not what
    /// this code writes (a hand-edited log, an unknown code).
    public init?(code: Code, text: String) {
        var reader = Reader(text)
        switch code {
        case .needsInput:
            guard reader.skip("needs input "), let names = reader.quotedList(until: " ("), !names.isEmpty,
                SkipReason.needsInput(names).text == text
            else { return nil }
            self = .needsInput(names)
        case .needsVM:
            let reasons = [true, false].map(SkipReason.needsVM)
            guard let reason = reasons.first(where: { $0.text == text }) else { return nil }
            self = reason
        case .requiresFailed:
            guard reader.skip("requires #"), let step = reader.word(until: ", which ") else { return nil }
            let statuses: [RunEvent.Status?] = [nil] + RunEvent.Status.allCases
            guard let status = statuses.first(where: { Self.describe($0) == reader.rest }) else { return nil }
            self = .requiresFailed(step: step, status: status)
        case .jumpedOver:
            guard reader.skip("jumped over: #"), let step = reader.word(until: " ") else { return nil }
            guard ["passed", "failed"].contains(reader.rest) else { return nil }
            self = .jumpedOver(by: step, passed: reader.rest == "passed")
        case .notNeeded:
            guard reader.skip("not needed: it fixes what "),
                let named = reader.word(until: " checks, which did not fail")
            else { return nil }
            self = .notNeeded(namedBy: named.split(separator: ", ").map { StepReference.id(String($0)) })
        case .alreadyOffered:
            guard reader.skip("already offered in this run as #") else { return nil }
            self = .alreadyOffered(as: String(reader.rest))
        case .dryRun:
            guard reader.skip("dry run: ") else { return nil }
            self = .dryRun(String(reader.rest))
        case .missingTool: self = .missingTool(text)
        case .unsafeInput: self = .unsafeInput(text)
        case .checkSkipped: self = .checkSkipped(text)
        case .secretOverArgv:
            guard reader.skip("reads secret input "), let names = reader.quotedList(until: ", and --vm "),
                let vm = reader.word(until: " sends the script")
            else { return nil }
            self = .secretOverArgv(names: names, vm: vm)
        case .noConsent: self = .noConsent
        case .declined: self = .declined
        case .interrupted: self = .interrupted
        case .byHand:
            guard reader.skip("do it by hand (see 'runbook show "), reader.rest.hasSuffix("')") else { return nil }
            self = .byHand(runbook: String(reader.rest.dropLast(2)))
        case .unknown: return nil
        }
        guard self.text == text else { return nil }
    }

    /// A cursor over a reason's text.
    private struct Reader {
        var rest: Substring

        init(_ text: String) { rest = text[...] }

        /// Moves past `prefix` if the text goes on with it.
        mutating func skip(_ prefix: String) -> Bool {
            guard rest.hasPrefix(prefix) else { return false }
            rest = rest.dropFirst(prefix.count)
            return true
        }

        /// The text up to `end`, moving past both.
        mutating func word(until end: String) -> String? {
            guard let range = rest.range(of: end) else { return nil }
            let word = String(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
            return word
        }

        /// `'a', 'b'` up to `end`, as `["a", "b"]`.
        mutating func quotedList(until end: String) -> [String]? {
            guard let list = word(until: end) else { return nil }
            let items = list.split(separator: ", ").map { item -> String? in
                guard item.count >= 2, item.hasPrefix("'"), item.hasSuffix("'") else { return nil }
                return String(item.dropFirst().dropLast())
            }
            return items.contains(nil) ? nil : items.compactMap { $0 }
        }
    }
}
