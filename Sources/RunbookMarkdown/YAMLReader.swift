internal import Yams

/// Reads YAML (front matter, fence bodies) into ``MetaNode`` values with positions.
public enum YAMLReader {
    /// A YAML syntax error at a place in the file.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var location: SourceLocation
    }

    /// Parses `text` whose first line is line `firstLine` of the file, its columns shifted by `columnOffset`.
    public static func read(_ text: String, firstLine: Int, columnOffset: Int = 0) throws(Failure) -> MetaNode? {
        do {
            guard let node = try Yams.compose(yaml: text) else { return nil }
            let converter = Converter(lines: SourceLines(text), firstLine: firstLine, columnOffset: columnOffset)
            let converted = converter.convert(node)
            if converter.budget.exhausted {
                throw Failure(
                    message:
                        "YAML expands to more than \(Budget.limit) values (aliases of aliases?); refusing to expand it",
                    location: converter.budget.exhaustedAt ?? SourceLocation(line: firstLine, column: 1))
            }
            return converted
        } catch let failure as Failure {
            throw failure
        } catch let error as YamlError {
            throw failure(from: error, firstLine: firstLine, columnOffset: columnOffset)
        } catch {
            throw Failure(message: "\(error)", location: SourceLocation(line: firstLine, column: 1))
        }
    }

    /// Turns Yams nodes into ``MetaNode``s, converting libYAML's columns (Unicode scalars) to
    /// UTF-8 bytes, the unit of every ``SourceLocation``.
    /// Counts the values a conversion makes: a few hundred bytes of nested aliases expand to
    /// billions of values, so conversion stops at ``limit`` and the read fails with a message.
    final class Budget {
        static let limit = 100_000
        var used = 0
        var exhaustedAt: SourceLocation?
        var exhausted: Bool { used > Self.limit }
    }

    private struct Converter {
        let lines: SourceLines
        let firstLine: Int
        let columnOffset: Int
        let budget = Budget()

        func location(_ mark: Mark?) -> SourceLocation {
            guard let mark else { return SourceLocation(line: firstLine, column: 1) }
            return SourceLocation(
                line: mark.line + firstLine - 1,
                column: YAMLReader.byteColumn(mark.column, in: lines[mark.line]) + columnOffset)
        }

        func convert(_ node: Node) -> MetaNode {
            let location = location(node.mark)
            budget.used += 1
            if budget.exhausted {
                if budget.exhaustedAt == nil { budget.exhaustedAt = location }
                return MetaNode(.null, at: location)
            }
            switch node {
            case .scalar(let scalar):
                if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                    return MetaNode(.null, at: location)
                }
                return MetaNode(.scalar(scalar.string), at: location)
            case .sequence(let sequence):
                return MetaNode(.sequence(sequence.map(convert)), at: location)
            case .mapping(let mapping):
                return MetaNode(
                    .mapping(mapping.map { MetaNode.Pair(key: convert($0.key), value: convert($0.value)) }),
                    at: location)
            case .alias:
                return MetaNode(.null, at: location)
            }
        }
    }

    /// The 1-based UTF-8 byte column of the 1-based scalar column `column` of `line`.
    static func byteColumn(_ column: Int, in line: String?) -> Int {
        guard let line, column > 1 else { return column }
        let scalars = line.unicodeScalars
        let prefix = scalars.prefix(column - 1)
        let bytes = prefix.reduce(0) { $0 + UTF8.width($1) }
        return bytes + 1 + max(0, column - 1 - prefix.count)
    }

    private static func failure(from error: YamlError, firstLine: Int, columnOffset: Int) -> Failure {
        func location(_ mark: Mark) -> SourceLocation {
            let yaml: String
            switch error {
            case .scanner(_, _, _, let text), .parser(_, _, _, let text), .composer(_, _, _, let text): yaml = text
            default: yaml = ""
            }
            return SourceLocation(
                line: mark.line + firstLine - 1,
                column: byteColumn(mark.column, in: SourceLines(yaml)[mark.line]) + columnOffset)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return Failure(message: "invalid YAML: \(text)", location: location(mark))
        case .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return Failure(message: "invalid YAML: \(text)", location: location(mark))
        default:
            return Failure(message: "invalid YAML: \(error)", location: SourceLocation(line: firstLine, column: 1))
        }
    }
}
