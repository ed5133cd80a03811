import FuzzDriver
import RunbookCore
import RunbookSite

/// A run log (JSON Lines) read back by `runbook report`, and its page for a small runbook.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let report = RunReport(log: text)
    _ = report.page(for: Sample.runbook, source: Sample.source, renderer: PageRenderer())
    return 0
}

/// A runbook with a secret input, for the report to mask.
enum Sample {
    static let source = """
        ---
        id: fuzz
        title: Fuzz
        models: [a]
        inputs:
          password: {secret: true}
        verify: [s]
        ---
        # Fuzz

        ## Step {#s}

        ```check command
        command: "true"
        ```
        """
    static let runbook = Runbook.load(text: source, path: "fuzz.md").runbook
}

runFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzz)
