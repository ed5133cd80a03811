import FuzzDriver
import RunbookCore
import RunbookMarkdown

/// The heading and fence attribute parser (`{#id .class key="value"}`) on any text.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? AttributeList(parsing: Substring(text), at: SourceLocation(line: 1, column: 1))
    return 0
}

runFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzz)
