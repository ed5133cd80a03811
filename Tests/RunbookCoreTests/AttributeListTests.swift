import RunbookCore
import RunbookMarkdown
import Testing

@Suite("AttributeList")
struct AttributeListTests {
    @Test("#id, .class, key=value and key=\"quoted value\" with their columns")
    func parse() throws {
        let list = try AttributeList(
            parsing: #"#reset-sshd .fix .symptom model=arm finding="a b" x='c d'"#,
            at: at(7, 20))
        #expect(list.id?.value == "reset-sshd")
        #expect(list.id?.location == at(7, 20))
        #expect(list.classes == ["fix", "symptom"])
        #expect(list.items.map(\.key) == ["model", "finding", "x"])
        #expect(list.items.map(\.value) == ["arm", "a b", "c d"])
        #expect(list.items.map(\.location) == [at(7, 46), at(7, 56), at(7, 70)])
        #expect(list.words.isEmpty)
        #expect(list["finding"]?.value == "a b")
    }

    @Test("bare words are kept apart with their columns; the last of repeated keys wins")
    func wordsAndRepeats() throws {
        let list = try AttributeList(parsing: "check tcp-connect port=1 port=2", at: at(1, 4))
        #expect(list.words.map(\.key) == ["check", "tcp-connect"])
        #expect(list.words.map(\.location) == [at(1, 4), at(1, 10)])
        #expect(list["port"]?.value == "2")
        #expect(list.items.count == 2)
    }

    @Test("an empty value, '=' inside a value and a tab separator")
    func edgeValues() throws {
        let list = try AttributeList(parsing: "a= b=c=d\tc=\"\"", at: at(1, 1))
        #expect(list.items.map(\.key) == ["a", "b", "c"])
        #expect(list.items.map(\.value) == ["", "c=d", ""])
        #expect(list.items.map(\.location) == [at(1, 1), at(1, 4), at(1, 10)])
    }

    @Test("columns after multi-byte text are in UTF-8 bytes")
    func byteColumns() throws {
        let list = try AttributeList(parsing: "finding=\"é 日本\" next=1", at: at(3, 1))
        #expect(list.items.map(\.location) == [at(3, 1), at(3, 21)])
        #expect(list["finding"]?.value == "é 日本")
    }

    @Test(
        "syntax errors are thrown with their position",
        arguments: [
            ("finding=\"open", "unterminated quoted value", 5),
            ("a=1 ='x'", "attribute value without a name", 9),
        ])
    func failures(text: String, message: String, column: Int) {
        do {
            _ = try AttributeList(parsing: Substring(text), at: at(2, 5))
            Issue.record("expected a failure for \(text)")
        } catch {
            #expect(error.message == message)
            #expect(error.location == at(2, column))
        }
    }
}
