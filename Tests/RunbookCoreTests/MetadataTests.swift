import RunbookCore
import RunbookMarkdown
import Testing

@Suite("Metadata")
struct MetadataTests {
    @Test("front matter fills every field of the runbook")
    func frontMatter() throws {
        let (runbook, diagnostics) = try Fixture.load("metadata.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(runbook.hasFrontMatter)
        #expect(runbook.id == "ssh-connection")
        #expect(runbook.title == "Troubleshoot SSH connections to a Linux VM")
        #expect(runbook.summary == "One paragraph shown in lists and search results.")
        #expect(runbook.keywords == ["ssh", "permission denied", "connection refused", "timeout"])
        #expect(runbook.services == ["virtual-machines-linux"])
        #expect(runbook.models.map(\.id) == ["arm", "classic"])
        #expect(runbook.models.map(\.name) == ["Resource Manager", "Classic (cloud service)"])
        #expect(runbook.model("classic")?.name == "Classic (cloud service)")
        #expect(runbook.defaultModel == "arm")
        #expect(runbook.verify == "can-log-in")
        #expect(runbook.isDefault)
        #expect(runbook.path == "metadata.md")
        #expect(runbook.legacy.isEmpty)
    }

    @Test("inputs keep their order, required flag, default and secrecy")
    func inputs() throws {
        let runbook = try Fixture.load("metadata.md").runbook
        #expect(runbook.inputs.map(\.name) == ["host", "port", "user", "password"])
        #expect(runbook.inputs.map(\.required) == [true, false, false, false])
        #expect(runbook.inputs.map(\.defaultValue) == [nil, "22", "azureuser", nil])
        #expect(runbook.inputs.map(\.secret) == [false, false, false, true])
        #expect(runbook.inputs.map(\.location) == [at(12, 3), at(13, 3), at(14, 3), at(15, 3)])
        #expect(runbook.input("host")?.description == "DNS name or IP of the VM")
        #expect(runbook.input("nope") == nil)
    }

    @Test("every metadata key's location is kept for diagnostics")
    func metadataLocations() throws {
        let runbook = try Fixture.load("metadata.md").runbook
        #expect(runbook.metadataLocations["id"] == at(2, 1))
        #expect(runbook.metadataLocations["models"] == at(7, 1))
        #expect(runbook.metadataLocations["default-model"] == at(10, 1))
        #expect(runbook.metadataLocations["verify"] == at(16, 1))
        #expect(runbook.metadataLocations["default"] == at(17, 1))
        #expect(runbook.metadataLocations.count == 10)
    }

    @Test("the fixture lints clean")
    func fixtureLintsClean() throws {
        let runbook = try Fixture.load("metadata.md").runbook
        #expect(Linter.lint(runbook, schemas: schemas).isEmpty)
    }

    @Test("models may be a list; an input may be a bare description")
    func shortForms() throws {
        let (runbook, diagnostics) = load(
            """
            ---
            id: short
            title: Short
            models: [arm, classic]
            inputs:
              host: DNS name of the VM
            ---
            # Short
            """)
        #expect(diagnostics.isEmpty)
        #expect(runbook.models.map(\.id) == ["arm", "classic"])
        #expect(runbook.models.map(\.name) == ["arm", "classic"])
        let input = try #require(runbook.inputs.first)
        #expect(runbook.inputs.count == 1)
        #expect(input.name == "host")
        #expect(input.description == "DNS name of the VM")
        #expect(!input.required && !input.secret && input.defaultValue == nil)
        #expect(input.location == at(6, 3))
        #expect(!runbook.isDefault)
        #expect(runbook.verify == nil)
    }

    @Test(
        "environment names of inputs",
        arguments: [
            ("resource-group", "RESOURCE_GROUP"), ("host", "HOST"), ("new.password", "NEW_PASSWORD"), ("vm2", "VM2"),
        ])
    func environmentName(name: String, expected: String) {
        #expect(Input.environmentName(of: name) == expected)
    }

    @Test("legacy <properties/> map to title, summary, keywords and services; every attribute is kept")
    func legacyMapping() throws {
        let (runbook, diagnostics) = try Fixture.load("legacy.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(!runbook.hasFrontMatter)
        #expect(runbook.id == "legacy", "the file name without .md")
        #expect(runbook.title == "Troubleshoot SSH connection to an Azure VM | Microsoft Azure")
        #expect(runbook.summary == "Troubleshoot and fix SSH errors.")
        #expect(runbook.keywords == ["ssh connection refused", "ssh error", "azure ssh"])
        #expect(runbook.services == ["virtual-machines-linux", "virtual-machines-windows"])
        #expect(runbook.legacy.properties["authors"] == "someone")
        #expect(runbook.legacy.properties["tags"] == "top-support-issue")
        #expect(runbook.legacy.tags == ["ms.service": "virtual-machines-linux", "ms.date": "06/14/2016"])
        #expect(runbook.legacy.location == at(1, 1))
        #expect(runbook.models.isEmpty)
        #expect(runbook.verify == nil)
        #expect(!runbook.isExecutable)
        #expect(Linter.lint(runbook, schemas: schemas).isEmpty)
    }

    @Test("legacy services fall back to <tags ms.service>; the title to the first heading")
    func legacyFallbacks() {
        let runbook = load(
            """
            <tags ms.service="storage" ms.date="01/01/2016"/>

            # Storage troubleshooting

            Text.
            """, path: "articles/storage/storage-troubleshoot.md"
        ).runbook
        #expect(runbook.services == ["storage"])
        #expect(runbook.title == "Storage troubleshooting")
        #expect(runbook.id == "storage-troubleshoot")
    }

    @Test("a file with neither metadata nor headings takes its title from its id")
    func bareFile() {
        let (runbook, diagnostics) = load("Just text.\n", path: "notes/readme.md")
        #expect(diagnostics.isEmpty)
        #expect(runbook.title == "readme")
        #expect(runbook.steps.isEmpty)
        #expect(runbook.sections.isEmpty)
    }

    @Test(
        "front matter problems are diagnostics at the key or value at fault",
        arguments: [
            ("---\ntitle: T\n---\n# T\n", ["1:1 error missing-id"], "front matter has no 'id'"),
            (
                "---\nid: SSH_Conn\ntitle: T\n---\n# T\n", ["2:5 error bad-id"],
                "'SSH_Conn' must use only a-z, 0-9 and '-'"
            ),
            ("---\nid: x\n---\n# T\n", ["1:1 error missing-title"], "front matter has no 'title'"),
            (
                "---\nid: x\ntitle: T\ncolour: red\n---\n# T\n", ["4:1 warning unknown-metadata"],
                "unknown metadata key 'colour'"
            ),
            ("---\nid: x\ntitle: 5\n", ["1:1 error front-matter"], "never closed"),
            ("---\nid:\n  - x\n title: T\n---\n# T\n", ["4:2 error front-matter"], "invalid YAML"),
            ("---\nid: x\ntitle: T\n\n# T\n", ["1:1 error front-matter"], "never closed"),
            ("---\nid: x\ntitle: [T\nverify: v\n---\n# T\n", ["4:7 error front-matter"], "invalid YAML"),
        ])
    func frontMatterDiagnostics(text: String, expected: [String], message: String) throws {
        let diagnostics = load(text, path: "bad.md").diagnostics
        #expect(diagnostics.map(\.summary) == expected, "\(text)")
        let first = try #require(diagnostics.first)
        #expect(first.message.contains(message), "\(first.message)")
        #expect(first.description.hasPrefix("bad.md:\(first.location.line):\(first.location.column): "))
    }

    @Test(
        "a '---' block that is no YAML mapping and reads like no keys is Markdown, without diagnostics",
        arguments: ["---\n---\n# T\n", "---\nFoo\n---\nBar\n", "---\n- a\n- b\n---\n# T\n"])
    func markdownRuleIsNoFrontMatter(text: String) {
        let (runbook, diagnostics) = load(text, path: "notes/rule.md")
        #expect(!runbook.hasFrontMatter)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test("a missing id's note suggests the file name")
    func missingIDNote() throws {
        let diagnostic = try #require(load("---\ntitle: T\n---\n", path: "kb/reset-access.md").diagnostics.first)
        #expect(diagnostic.note == "add a line such as 'id: reset-access'")
        #expect(
            diagnostic.description == """
                kb/reset-access.md:1:1: error: front matter has no 'id'
                kb/reset-access.md:1:1: note: add a line such as 'id: reset-access'
                """)
    }
}
