import RunbookActions
import RunbookApp
import RunbookCore
import RunbookKB
import RunbookRunner
import Testing

@Suite("Errors in one scheme")
struct ErrorSchemeTests {
    /// One error of each library, as a caller catches it: `any Error`.
    static let libraryErrors: [(any Error, String)] = [
        (
            CoreError.noDefaultRunbook(directory: "kb"),
            "no runbook in kb is marked 'default: true'; name one with --runbook"
        ),
        (InputResolver.Problem.missingEquals("host"), "-i 'host' needs the form NAME=VALUE"),
        (SearchError.emptyQuery, "the query has no words to search for"),
        (ExecutorError.notFound("dot"), "command not found: dot"),
    ]

    @Test("every library error is a RunbookError whose text is the one users read today, exit 2")
    func libraryErrorsAdoptTheScheme() throws {
        for (error, text) in Self.libraryErrors {
            let scheme = try #require(error as? any RunbookError, "\(type(of: error)) is no RunbookError")
            #expect(scheme.located == text)
            #expect(scheme.exitCode == RunbookErrorExit.badInput)
            #expect(scheme.place == nil)
        }
        let spec = try #require(throws: VMSpec.Problem.self) { try VMSpec.executor(from: "exec:") }
        #expect((spec as any Error as? any RunbookError)?.message == spec.description)
    }

    @Test("an error in a document puts file:line:col in front of its message; an engine failure exits 3")
    func placeAndExit() {
        let located = AppError.badInput("not a runbook", at: DocumentPlace(file: "a.md", at: .init(line: 3, column: 7)))
        #expect(located.located == "a.md:3:7: not a runbook")
        #expect(AppError.badInput("x", at: DocumentPlace(file: "a.md")).located == "a.md: x")
        #expect(AppError.engine("dot crashed").exitCode == 3)
        #expect(AppError.badInput("x").exitCode == 2)
    }

    @Test("choosing a runbook: an unknown model of it is bad input with a suggestion")
    func unknownModel() throws {
        let choice = RunbookChoice(
            words: ["ssh-connection", "arn"],
            knowledgeBase: KnowledgeBaseLocation(directory: Repository.root + "/Runbooks"))
        let error = try #require(throws: AppError.self) { try choice.resolve(withoutModel: .required, command: "run") }
        #expect(error.located.hasPrefix("unknown model 'arn' for runbook 'ssh-connection'"), "\(error.located)")
        #expect(error.located.hasSuffix("; did you mean 'arm'?"), "\(error.located)")
    }
}
