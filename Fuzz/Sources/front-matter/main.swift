import FuzzDriver
import RunbookMarkdown

/// YAML front matter: the reader on the input as is, and the input as a file's front matter.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? YAMLReader.read(text, firstLine: 2)
    _ = MarkdownDocument.blankingFrontMatter("---\n" + text + "\n---\n")
    return 0
}

runFuzzer(CommandLine.argc, CommandLine.unsafeArgv, fuzz)
