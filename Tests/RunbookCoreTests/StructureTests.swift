import RunbookCore
import RunbookMarkdown
import Testing

@Suite("Sections and steps")
struct StructureTests {
    @Test("headings with sub-headings are sections, the others steps, in document order")
    func sectionsAndSteps() throws {
        let (runbook, diagnostics) = try Fixture.load("structure.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(runbook.sections.map(\.id) == ["structure", "client-computer", "network", "nsg", "reset"])
        #expect(
            runbook.steps.map(\.id) == [
                "can-log-in", "key-files", "key-files-2", "legacy-anchor", "inbound-rule", "outbound-rule",
                "classic-endpoint", "reset-the-ssh-configuration", "cjk",
            ])
        #expect(runbook.sections.map(\.location) == [at(10, 1), at(19, 1), at(34, 1), at(38, 1), at(46, 1)])
        #expect(runbook.steps.map(\.location.line) == [14, 23, 27, 32, 40, 42, 44, 48, 50])
        #expect(runbook.sections.map(\.parent) == [nil, "structure", "structure", "network", "structure"])
        #expect(runbook.sections.map(\.level) == [1, 2, 2, 3, 2])
    }

    @Test("the text before a section's first sub-heading is its introduction")
    func introductions() throws {
        let runbook = try Fixture.load("structure.md").runbook
        #expect(
            runbook.sections.map(\.introduction) == [
                "Introduction of the runbook.", "Text before the first sub-heading.", "Only for Resource Manager.", "",
                "",
            ])
    }

    @Test("a step's text runs to the next heading; its section path lists the enclosing sections")
    func stepTextAndPath() throws {
        let runbook = try Fixture.load("structure.md").runbook
        let keyFiles = try #require(runbook.step("key-files"))
        #expect(keyFiles.text == "Manual text.")
        #expect(keyFiles.sectionPath == ["structure", "client-computer"])
        #expect(keyFiles.isManual)
        #expect(runbook.step("inbound-rule")?.sectionPath == ["structure", "network", "nsg"])
        let login = try #require(runbook.step("can-log-in"))
        #expect(login.text == "```check tcp-connect host=example.com port=22\n```", "fences are part of the text")
        #expect(!login.isManual)
        #expect(runbook.step("legacy-anchor")?.text == "", "the next heading's anchor line is not part of the text")
    }

    @Test("heading attributes: title without braces, id, classes and key=value with positions")
    func headingAttributes() throws {
        let runbook = try Fixture.load("structure.md").runbook
        let login = try #require(runbook.step("can-log-in"))
        #expect(login.title == "Log in")
        #expect(login.classes == ["symptom"])
        #expect(login.isSymptom)
        let keyFiles = try #require(runbook.step("key-files"))
        #expect(keyFiles.title == "Key files")
        #expect(keyFiles.classes == ["fix"])
        #expect(keyFiles.attributes.mapValues(\.value) == ["owner": "Ops team", "tier": "1"])
        #expect(keyFiles.attributes["owner"]?.location == at(23, 21))
        #expect(keyFiles.attributes["tier"]?.location == at(23, 38))
        #expect(keyFiles.attribute("owner") == "Ops team")
        #expect(keyFiles.attribute("missing") == nil)
    }

    @Test("attribute columns after CJK text count UTF-8 bytes")
    func attributeColumnsInBytes() throws {
        let runbook = try Fixture.load("structure.md").runbook
        let step = try #require(runbook.step("cjk"))
        #expect(step.title == "日本語 の 手順")
        #expect(step.attributes["key"]?.location == at(50, 32))
        #expect(step.attributes["key"]?.value == "v")
    }

    @Test("slug ids are made unique with -2, -3")
    func uniqueSlugs() {
        let runbook = load("# Check\n## Check\n### Check\n### Check\n## Check-2\n").runbook
        #expect(runbook.sections.map(\.id) == ["check", "check-2"])
        #expect(runbook.steps.map(\.id) == ["check-3", "check-4", "check-2-2"])
    }

    @Test("a legacy anchor just before a heading is its id; an explicit {#id} wins")
    func legacyAnchorID() throws {
        let (runbook, diagnostics) = try Fixture.load("legacy.md")
        #expect(diagnostics.isEmpty)
        #expect(runbook.steps.map(\.id) == ["reset-sshd", "nsg"])
        #expect(runbook.step("nsg")?.title == "Network security groups")
        #expect(runbook.step("nsg")?.location == at(26, 1))
        let explicit = load("<a name=\"old\"></a>\n## Title {#new}\n").runbook
        #expect(explicit.steps.map(\.id) == ["new"])
        let separated = load("<a name=\"old\"></a>\n\nText between.\n\n## Title\n").runbook
        #expect(separated.steps.map(\.id) == ["title"], "an anchor separated by text names no heading")
    }

    @Test("model= limits sections and steps; children inherit it; a child's own model= wins")
    func modelInheritance() throws {
        let runbook = try Fixture.load("structure.md").runbook
        #expect(runbook.sections.map(\.models) == [nil, nil, ["arm"], ["arm"], ["arm", "classic"]])
        let models = Dictionary(uniqueKeysWithValues: runbook.steps.map { ($0.id, $0.models) })
        #expect(models["can-log-in"] == .some(nil))
        #expect(models["inbound-rule"] == ["arm"])
        #expect(models["outbound-rule"] == ["arm", "classic"])
        #expect(models["classic-endpoint"] == ["classic"])
        #expect(models["reset-the-ssh-configuration"] == ["arm", "classic"])
        #expect(runbook.step("inbound-rule")?.applies(to: "classic") == false)
        #expect(runbook.step("can-log-in")?.applies(to: "anything") == true)
        #expect(runbook.step("classic-endpoint")?.attributes.isEmpty == true, "model= is not a step attribute")
    }

    @Test("the fixture lints clean")
    func fixtureLintsClean() throws {
        let runbook = try Fixture.load("structure.md").runbook
        let diagnostics = Linter.lint(runbook, schemas: schemas)
        #expect(
            diagnostics.map(\.summary) == [
                "23:21 warning unknown-attribute", "23:38 warning unknown-attribute",
                "50:32 warning unknown-attribute",
            ])
        #expect(!diagnostics.hasErrors)
    }

    @Test("duplicate explicit ids are an error at the second id; the copy gets a unique id")
    func duplicateHeadingIDs() throws {
        let (runbook, diagnostics) = load(
            "---\nid: t\ntitle: T\n---\n# T\n\n## One {#dup}\n\n## Two {#dup}\n", path: "dup.md")
        #expect(diagnostics.map(\.summary) == ["9:9 error duplicate-id"])
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message == "duplicate id 'dup'")
        #expect(diagnostic.note == "first used at dup.md:7:9")
        #expect(runbook.steps.map(\.id) == ["dup", "dup-2"])
    }

    @Test("an explicit id that repeats a slug made earlier is a duplicate too (a warning in a legacy article)")
    func explicitIDAfterSlug() {
        let (runbook, diagnostics) = load("# T\n## Reset\n## Other {#reset}\n")
        #expect(diagnostics.map(\.summary) == ["3:11 warning duplicate-id"])
        #expect(runbook.steps.map(\.id) == ["reset", "reset-2"])
    }

    @Test(
        "braces that are not attributes stay in the title",
        arguments: [
            ("## Use {{host}} here", "Use {{host}} here", "use-host-here"),
            ("## JSON {\"a\": 1}", "JSON {\"a\": 1}", "json-a-1"),
            ("## Set {this}", "Set {this}", "set-this"),
            ("## Empty {}", "Empty", "empty"),
        ])
    func notAttributes(heading: String, title: String, id: String) throws {
        let step = try #require(load("\(heading)\n").runbook.steps.first)
        #expect(step.title == title)
        #expect(step.id == id)
    }
}
