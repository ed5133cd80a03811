import FuzzDriver
import RunbookCore

/// A step whose fence's info string is the input's first line and whose body is the rest, loaded
/// as a runbook: the executable-word test, the info string's attributes, a check's YAML body.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let info = text.prefix { $0 != "\n" && $0 != "\r" }
    let body = text.dropFirst(info.count)
    let document =
        "---\nid: fuzz\ntitle: Fuzz\nmodels: [a]\nverify: [s]\n---\n# Fuzz\n\n## Step {#s}\n\n```\(info)\n\(body)\n```\n"
    _ = Runbook.load(text: document, path: "fuzz.md")
    return 0
}

runFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzz)
