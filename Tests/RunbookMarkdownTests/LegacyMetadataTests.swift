import RunbookMarkdown
import Testing

@Suite("Legacy metadata and anchors")
struct LegacyMetadataTests {
    static let seedPath = "seeds/troubleshoot-ssh-connection.md"

    @Test("the seed's multi-line <properties/> and <tags/> blocks read into LegacyMetadata")
    func seedHeader() throws {
        let seed = try SharedFiles.text(Self.seedPath)
        let header = SourceLines.split(seed).prefix(20).joined(separator: "\n") + "\n"
        let document = MarkdownDocument(parsing: header)
        #expect(document.frontMatter == nil)
        #expect(document.htmlBlocks.map(\.range.start) == [at(1, 1), at(12, 1)])
        let legacy = LegacyMetadata(blocks: document.blocks)
        #expect(legacy.location == at(1, 1))
        #expect(legacy.properties.count == 9)
        #expect(legacy.properties["pageTitle"] == "Troubleshoot SSH connection to an Azure VM | Microsoft Azure")
        #expect(legacy.properties["description"]?.hasPrefix("Troubleshoot and fix SSH errors like") == true)
        #expect(legacy.properties["keywords"] == "ssh connection refused,ssh error,azure ssh,SSH connection failed")
        #expect(legacy.properties["services"] == "virtual-machines-linux")
        #expect(legacy.properties["documentationCenter"] == "", "empty values are kept")
        #expect(legacy.properties["tags"] == "top-support-issue,azure-service-management,azure-resource-manager")
        #expect(legacy.tags.count == 7)
        #expect(legacy.tags["ms.service"] == "virtual-machines-linux")
        #expect(legacy.tags["ms.date"] == "06/14/2016")
        #expect(legacy.tags["ms.author"] == "iainfou")
        #expect(!legacy.isEmpty)
    }

    @Test("the whole seed: headings on their lines, the 'nsg' anchor just before its heading")
    func seedStructure() throws {
        let document = MarkdownDocument(parsing: try SharedFiles.text(Self.seedPath))
        let headings = document.headings
        #expect(headings.count == 17)
        #expect(headings.first?.range.start == at(21, 1))
        #expect(headings.first?.text == "Troubleshoot Secure Shell connections to a Linux-based Azure virtual machine")
        #expect(document.anchors.map(\.id) == ["nsg"])
        #expect(document.anchors.first?.range.start == at(229, 1))
        let nsg = try #require(headings.first { $0.text == "Source 4: Network security groups" })
        #expect(nsg.level == 4)
        #expect(nsg.range.start == at(230, 1))
        let anchorIndex = try #require(document.blocks.firstIndex { if case .anchor = $0 { true } else { false } })
        #expect(document.blocks[anchorIndex + 1] == .heading(nsg), "the anchor comes right before its heading")
    }

    @Test("tab-indented attributes of the 2016 article read the same way")
    func tabIndentedProperties() throws {
        let text = try SharedFiles.text("corpus/ssh-family/2016/virtual-machines-linux-troubleshoot-ssh-connection.md")
        let legacy = LegacyMetadata(blocks: MarkdownDocument(parsing: text).blocks)
        #expect(legacy.properties["authors"] == "dsk-2015")
        #expect(legacy.tags["ms.date"] == "01/22/2016")
        #expect(legacy.tags["ms.topic"] == "article")
    }

    @Test("one-line blocks, single quotes and unquoted values")
    func oneLineBlocks() {
        let text = """
            <properties pageTitle='Reset SSH' services=virtual-machines authors="a,b" />

            <tags ms.service="virtual-machines" ms.date="10/10/2016"/>

            # Reset SSH
            """
        let document = MarkdownDocument(parsing: text)
        let legacy = LegacyMetadata(blocks: document.blocks)
        #expect(legacy.properties == ["pageTitle": "Reset SSH", "services": "virtual-machines", "authors": "a,b"])
        #expect(legacy.tags == ["ms.service": "virtual-machines", "ms.date": "10/10/2016"])
        #expect(document.headings.map(\.range.start) == [at(5, 1)])
    }

    @Test("<tags/> on the line right after <properties/> (one HTML block) is read too")
    func adjacentBlocks() {
        let text = """
            <properties
               pageTitle="Testing"
               services="visual-studio-online" />
            <tags
               ms.service="visual-studio-online"
               ms.date="08/15/2016" />

            # Testing
            """
        let document = MarkdownDocument(parsing: text)
        let legacy = LegacyMetadata(blocks: document.blocks)
        #expect(legacy.properties == ["pageTitle": "Testing", "services": "visual-studio-online"])
        #expect(document.headings.map(\.range.start) == [at(8, 1)])
        #expect(legacy.tags == ["ms.service": "visual-studio-online", "ms.date": "08/15/2016"])
    }

    @Test("a corpus article whose <tags/> follows <properties/> without a blank line")
    func adjacentBlocksInCorpus() throws {
        let text = try SharedFiles.text(
            "corpus/azure-docs/articles/vs-azure-tools-performance-profiling-cloud-services.md")
        let legacy = LegacyMetadata(blocks: MarkdownDocument(parsing: text).blocks)
        #expect(legacy.properties["pageTitle"] == "Testing the performance of a cloud service | Microsoft Azure")
        #expect(legacy.tags["ms.date"] == "08/15/2016")
    }

    @Test("no legacy blocks: empty metadata without a location")
    func none() {
        let legacy = LegacyMetadata(blocks: MarkdownDocument(parsing: "# T\n\n<div>x</div>\n").blocks)
        #expect(legacy.isEmpty)
        #expect(legacy.location == nil)
    }

    @Test(
        "a legacy anchor line before a heading becomes an anchor; the heading is still found",
        arguments: [
            ("<a id=\"nsg\"></a>", "nsg"),
            ("<a name=\"reset\"></a>", "reset"),
            ("<a name='single'></a>", "single"),
            ("<a id=\"properties\" />", "properties"),
            ("<a id=\"open-tag-only\">", "open-tag-only"),
            ("<A ID=\"Upper\"></A>", "Upper"),
        ])
    func anchorBeforeHeading(anchorLine: String, id: String) throws {
        let text = "# Title\n\nText.\n\n\(anchorLine)\n### Network security groups\n\nBody text.\n"
        let document = MarkdownDocument(parsing: text)
        #expect(document.anchors.map(\.id) == [id], "\(anchorLine)")
        #expect(document.anchors.first?.range.start == at(5, 1))
        #expect(document.anchors.first?.range.end == at(5, anchorLine.utf8.count))
        let heading = try #require(document.headings.last)
        #expect(heading.text == "Network security groups")
        #expect(heading.level == 3)
        #expect(heading.range.start == at(6, 1), "\(anchorLine)")
        #expect(
            document.dump().suffix(3) == [
                "anchor 5:1 \(id)", "heading(3) 6:1-6:27 Network security groups", "paragraph 8:1",
            ])
    }

    @Test("text after a swallowed heading keeps its lines, fences included")
    func swallowedBlockLines() {
        let text = "<a id=\"x\" />\n## Step\n```check a\nbody\n```\nAfter.\n\n## Next\n"
        let document = MarkdownDocument(parsing: text)
        #expect(
            document.dump() == [
                "anchor 1:1 x",
                "heading(2) 2:1-2:7 Step",
                "fence 3:1-5:3 info=check a closed=true",
                "paragraph 6:1",
                "heading(2) 8:1-8:7 Next",
            ])
        #expect(document.fences.first?.infoLocation == at(3, 4))
    }

    @Test("an anchor with text after it, or a link, is not a legacy anchor")
    func notAnchors() {
        let document = MarkdownDocument(parsing: "<a id=\"x\"></a> and text\n\n<a href=\"y\">link</a>\n")
        #expect(document.anchors.isEmpty)
    }

    @Test("HTMLTag reads a start tag's name, attributes and the rest")
    func htmlTag() throws {
        let tag = try #require(
            HTMLTag(parsing: "  <Properties pageTitle=\"A | B\"\n\tempty=\"\" bare single='x y'/> tail"))
        #expect(tag.name == "properties")
        #expect(tag.attributes.map(\.name) == ["pageTitle", "empty", "bare", "single"])
        #expect(tag.attributes.map(\.value) == ["A | B", "", "", "x y"])
        #expect(tag.attribute("PAGETITLE") == "A | B", "attribute names match without case")
        #expect(tag.rest == " tail")
    }

    @Test(
        "HTMLTag rejects what is not a start tag",
        arguments: [
            "text", "</a>", "<1a>", "<a id=\"unclosed>", "<a name='checkdisk'<</a>",
        ])
    func htmlTagRejects(text: String) {
        #expect(HTMLTag(parsing: Substring(text)) == nil, "\(text)")
    }
}
