import FuzzDriver
import RunbookMarkdown

/// Legacy `<properties .../>` and `<tags .../>` metadata of an article.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = LegacyMetadata(blocks: MarkdownDocument(parsing: text).blocks)
    return 0
}

runFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzz)
