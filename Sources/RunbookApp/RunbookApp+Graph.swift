import RunbookActions
import RunbookCore

/// The drawings `runbook graph` makes of a step graph.
public enum GraphFormat: String, Sendable, CaseIterable {
    case dot, mermaid, svg
}

extension RunbookApp {
    /// `runbook graph`: the chosen runbook's step graph for one model (without a model named, its
    /// default-model, else its first), as Graphviz dot, Mermaid or SVG (drawn by Graphviz's `dot`).
    public func graph(_ choice: RunbookChoice, format: GraphFormat) async throws(AppError) -> String {
        let selected = try choice.resolve(withoutModel: .first, command: "graph")
        let graph: StepGraph
        do { graph = try selected.graph() } catch { throw AppError(error) }
        switch format {
        case .dot: return GraphExport.dot(graph)
        case .mermaid: return GraphExport.mermaid(graph)
        case .svg: return try await Self.svg(from: GraphExport.dot(graph))
        }
    }

    /// Runs Graphviz's `dot -Tsvg` on the graph.
    public static func svg(from dot: String) async throws(AppError) -> String {
        do {
            let result = try await ProcessRunner.run(["dot", "-Tsvg"], input: dot, timeout: .seconds(30))
            guard result.succeeded else {
                throw AppError.engine("dot failed: \(result.standardError)")
            }
            return result.standardOutput
        } catch let error as AppError {
            throw error
        } catch ExecutorError.notFound {
            throw .badInput(
                "Graphviz's 'dot' is not installed; install it (apt-get install graphviz) or use --format dot")
        } catch let error as ExecutorError {
            if case .failedToStart = error {
                throw .badInput(
                    "Graphviz's 'dot' could not be started (\(error)); install graphviz or use --format dot")
            }
            throw .engine("\(error)")
        } catch {
            throw .engine("\(error)")
        }
    }
}
