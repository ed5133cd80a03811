import FuzzDriver
import RunbookCore

/// The whole loader: a file's text to a runbook and its diagnostics.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = Runbook.load(text: text, path: "fuzz.md")
    return 0
}

runFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzz)
