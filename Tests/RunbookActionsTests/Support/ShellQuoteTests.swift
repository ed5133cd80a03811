import Foundation
import RunbookActions
import Testing

/// The one shell-quoting rule (the executors, the script payload, the verdict's commands and search's `try:` line).
@Suite struct ShellQuoteTests {
    @Test("safe ASCII words stay as they are; anything else is single-quoted, a quote inside closed and reopened")
    func quoting() {
        for word in [
            "arm", "ssh-connection", "./Runbooks", "/tmp/a_b.md", "k=v", "host:22", "a,b", "me@host", "50%", "+x",
        ] {
            #expect(ShellQuote.quote(word) == word)
        }
        #expect(ShellQuote.quote("") == "''")
        #expect(ShellQuote.quote("two words") == "'two words'")
        #expect(ShellQuote.quote("$(reboot)") == "'$(reboot)'")
        #expect(ShellQuote.quote("it's") == "'it'\\''s'")
        // Letters outside ASCII are quoted (search's own copy left them bare).
        #expect(ShellQuote.quote("café") == "'café'")
        #expect(ShellQuote.quote("a\u{202E}b") == "'a\u{202E}b'")
    }

    @Test("what the quote gives, a POSIX shell reads back as the one word it was")
    func roundTrip() throws {
        for word in ["", "plain", "two words", "it's", "$HOME `x` \"q\"", "café", "a\nb", "-n"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "printf '%s' " + ShellQuote.quote(word)]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(String(decoding: data, as: UTF8.self) == word)
        }
    }
}
