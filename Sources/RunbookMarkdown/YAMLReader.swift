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
            return convert(node, firstLine: firstLine, columnOffset: columnOffset)
        } catch let error as YamlError {
            throw failure(from: error, firstLine: firstLine, columnOffset: columnOffset)
        } catch {
            throw Failure(message: "\(error)", location: SourceLocation(line: firstLine, column: 1))
        }
    }

    private static func convert(_ node: Node, firstLine: Int, columnOffset: Int) -> MetaNode {
        let location = node.mark.map {
            SourceLocation(line: $0.line + firstLine - 1, column: $0.column + columnOffset)
        } ?? SourceLocation(line: firstLine, column: 1)
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return MetaNode(.null, at: location)
            }
            return MetaNode(.scalar(scalar.string), at: location)
        case .sequence(let sequence):
            return MetaNode(.sequence(sequence.map { convert($0, firstLine: firstLine, columnOffset: columnOffset) }), at: location)
        case .mapping(let mapping):
            return MetaNode(
                .mapping(mapping.map {
                    MetaNode.Pair(
                        key: convert($0.key, firstLine: firstLine, columnOffset: columnOffset),
                        value: convert($0.value, firstLine: firstLine, columnOffset: columnOffset))
                }), at: location)
        case .alias:
            return MetaNode(.null, at: location)
        }
    }

    private static func failure(from error: YamlError, firstLine: Int, columnOffset: Int) -> Failure {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return Failure(
                message: "invalid YAML: \(text)",
                location: SourceLocation(line: mark.line + firstLine - 1, column: mark.column + columnOffset))
        case .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return Failure(
                message: "invalid YAML: \(text)",
                location: SourceLocation(line: mark.line + firstLine - 1, column: mark.column + columnOffset))
        default:
            return Failure(message: "invalid YAML: \(error)", location: SourceLocation(line: firstLine, column: 1))
        }
    }
}
