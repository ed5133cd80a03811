import FuzzDriver

@testable import RunbookSite

/// Raw HTML through the tokenizer and the allow-list, then the input as a Markdown page.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = BodyRenderer.sanitize(text)
    _ = BodyRenderer.sanitize(text, links: SafeHTML.Links(markdownToHTML: true))
    _ = PageRenderer().pageBytes(loading: text, path: "fuzz.md")
    return 0
}

runFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzz)
