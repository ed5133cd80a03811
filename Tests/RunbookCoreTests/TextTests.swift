import Foundation
import RunbookMarkdown
import Testing

@testable import RunbookCore

@Suite("Template")
struct TemplateTests {
    @Test("references in order of first use, optional ones marked")
    func references() {
        let references = Template.references(in: "ssh -p {{port}} {{ user }}@{{host}} -i {{identity?}} {{port}}")
        #expect(references.map(\.name) == ["port", "user", "host", "identity"])
        #expect(references.map(\.optional) == [false, false, false, true])
        #expect(Template.names(in: "no placeholders {single} {{unclosed") == [])
    }

    @Test(
        "expansion",
        arguments: [
            ("{{host}}:{{port}}", ["host": "vm", "port": "22"], "vm:22"),
            ("-i {{identity?}}.", [:], "-i ."),
            ("-i {{identity?}}", ["identity": "~/.ssh/id"], "-i ~/.ssh/id"),
            ("plain", [:], "plain"),
            ("{{a}}{{a}}", ["a": "x"], "xx"),
            ("left {{open", [:], "left {{open"),
        ] as [(String, [String: String], String)])
    func expand(text: String, values: [String: String], expected: String) {
        #expect(Template.expand(text, values: values) == expected)
    }

    @Test("a missing required value stops expansion and is listed; optional ones never are")
    func missing() {
        #expect(Template.expand("{{host}}:{{port}}", values: ["host": "vm"]) == nil)
        #expect(Template.missing(in: "{{host}} {{port}} {{key?}}", values: ["host": "vm"]) == ["port"])
        #expect(Template.missing(in: "{{key?}}", values: [:]) == [])
    }

    @Test("segments: text and placeholders in order, names trimmed before the `?` is read")
    func segments() {
        let segments = Template.segments(in: "a {{ host? }}:{{port}} {{x")
        #expect(
            segments == [
                .text("a "), .placeholder(.init(name: "host", optional: true), raw: " host? "), .text(":"),
                .placeholder(.init(name: "port", optional: false), raw: "port"), .text(" {{x"),
            ])
        #expect(Template.segments(in: "") == [])
        #expect(Template.segments(in: "{{a}}{{b}}").count == 2)
        // A `?` inside the spaces still marks the input optional (the page once read it as part of the name).
        #expect(
            Template.references(in: "{{ host? }} {{\tkey ?\t}}") == [
                .init(name: "host", optional: true), .init(name: "key ", optional: true),
            ])
        #expect(Template.expand("[{{ host? }}]", values: [:]) == "[]")
    }

    @Test("run scripts see inputs as environment variables")
    func environmentInputs() {
        let inputs = load("---\ninputs: {resource-group: g, vm: v, host: h}\n---\n").runbook.inputs
        #expect(inputs.map(\.name) == ["resource-group", "vm", "host"])
        let used = Template.environmentInputs(in: "az vm show -g \"$RESOURCE_GROUP\" -n ${VM}", inputs: inputs)
        #expect(used.map(\.name) == ["resource-group", "vm"])
    }
}

@Suite("DurationText")
struct DurationTextTests {
    @Test(
        "parses ms, s, m and h",
        arguments: [
            ("500ms", 500), ("5s", 5_000), ("2m", 120_000), ("1h", 3_600_000), ("0s", 0), ("30s", 30_000),
        ])
    func parse(text: String, milliseconds: Int) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
        #expect(DurationText.parse(text)?.milliseconds == milliseconds)
    }

    @Test(
        "rejects what is not a whole number with a unit",
        arguments: [
            "5x", "5", "", "s", "ms", "1.5s", "-5s", "5 s", "5S", "five s",
        ])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil, "\(text)")
    }

    @Test(
        "formats short text for the console",
        arguments: [
            (0, "0ms"), (35, "35ms"), (999, "999ms"), (1_000, "1.0s"), (1_234, "1.2s"), (1_250, "1.3s"),
            (59_949, "59.9s"), (60_000, "1m00s"), (125_000, "2m05s"), (3_600_000, "60m00s"),
        ])
    func format(milliseconds: Int, expected: String) {
        #expect(DurationText.format(milliseconds: milliseconds) == expected)
    }

    @Test("59.95 seconds rounds up without printing 60.0s")
    func roundingAtTheMinute() {
        #expect(DurationText.format(milliseconds: 59_950) == "1m00s")
    }
}

@Suite("Slug")
struct SlugTests {
    @Test(
        "lower case words joined by '-'",
        arguments: [
            ("Reset the SSH configuration", "reset-the-ssh-configuration"),
            ("Source 4: Network security groups", "source-4-network-security-groups"),
            ("Azure CLI - Reset SSHD", "azure-cli-reset-sshd"),
            ("  --Leading and trailing--  ", "leading-and-trailing"),
            ("C# and .NET", "c-and-net"),
            ("snake_case_words", "snake-case-words"),
            ("Café résumé", "café-résumé"),
            ("日本語 の 手順", "日本語-の-手順"),
            ("🚀 Launch", "launch"),
            ("!!!", ""),
        ])
    func make(text: String, slug: String) {
        #expect(Slug.make(text) == slug)
    }

    @Test("the ASCII byte path gives what the character path gives, for every ASCII byte")
    func asciiPathMatchesCharacters() {
        var texts = (0..<128).map { "a\(Character(Unicode.Scalar(UInt8($0))))b" }
        texts += [
            "Hello, World!", "  x\t\ny  ", "A_B-C.D", "C# and .NET", "\u{7F}a\u{1}b", "", "-", "Version 2.0 (beta)",
        ]
        for text in texts {
            #expect(Slug.asciiSlug(text) == Slug.characterSlug(text), "\(text.debugDescription)")
        }
        #expect(Slug.asciiSlug("Café") == nil)
    }

    @Test("unique: base, then -2, -3 …")
    func unique() {
        #expect(Slug.unique("a", among: [String: Int]()) == "a")
        #expect(Slug.unique("a", among: ["a": 1]) == "a-2")
        #expect(Slug.unique("a", among: ["a": 1, "a-2": 2, "a-3": 3]) == "a-4")
    }

    @Test("unique with a memory of the next number gives the ids a rescan from 2 gives")
    func uniqueRemembersNextNumber() {
        var used: [String: Int] = ["b-3": 0]
        var next: [String: Int] = [:]
        var ids: [String] = []
        for base in ["b", "b", "b", "c", "b", "b-2", "b"] {
            let id = Slug.unique(base, among: used, next: &next)
            #expect(id == Slug.unique(base, among: used), "\(base) after \(ids)")
            used[id] = 0
            ids.append(id)
        }
        #expect(ids == ["b", "b-2", "b-4", "c", "b-5", "b-2-2", "b-6"])
    }
}

@Suite("EditDistance")
struct EditDistanceTests {
    @Test(
        "Levenshtein distance",
        arguments: [
            ("", "", 0), ("abc", "", 3), ("", "ab", 2), ("tcp-conect", "tcp-connect", 1), ("kitten", "sitting", 3),
            ("ssh", "ssh", 0), ("日本", "日本語", 1),
        ])
    func distance(lhs: String, rhs: String, expected: Int) {
        #expect(EditDistance.between(lhs, rhs) == expected)
        #expect(EditDistance.between(rhs, lhs) == expected)
    }

    @Test("suggestions: close names first, at most three, and names that contain it")
    func suggestions() {
        let names = ["tcp-connect", "dns-resolve", "ssh-banner", "file-mode", "command"]
        #expect(EditDistance.suggestions(for: "tcp-conect", among: names) == ["tcp-connect"])
        #expect(EditDistance.suggestions(for: "banner", among: names) == ["ssh-banner"])
        #expect(EditDistance.suggestions(for: "zzzzzzzz", among: names) == [])
        #expect(EditDistance.suggestions(for: "a", among: ["b", "c", "d", "e"]).count == 3)
    }
}

@Suite("TextFile")
struct TextFileTests {
    @Test("reads regular files whole, invalid UTF-8 repaired; nil for a folder or a missing file")
    func reads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textfile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let big = String(repeating: "línea ✓\n", count: 20_000)  // 200 KB, several reads
        let cases: [(name: String, bytes: [UInt8], text: String)] = [
            ("empty.md", [], ""),
            ("ascii.md", Array("# Title\n\nText.\n".utf8), "# Title\n\nText.\n"),
            ("big.md", Array(big.utf8), big),
            ("bad.md", [0x61, 0xFF, 0x62, 0xC3], "a\u{FFFD}b\u{FFFD}"),
        ]
        for item in cases {
            let path = folder + "/" + item.name
            #expect(FileManager.default.createFile(atPath: path, contents: Data(item.bytes)))
            #expect(TextFile.read(path) == item.text, "\(item.name)")
            #expect(TextFile.read(path) == String(decoding: item.bytes, as: UTF8.self))
        }
        #expect(TextFile.read(folder) == nil)
        #expect(TextFile.read(folder + "/missing.md") == nil)
    }
}
