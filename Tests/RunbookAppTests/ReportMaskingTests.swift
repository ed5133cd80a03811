import Foundation
import RunbookApp
import Testing

@Suite("The run report masks secrets by the one rule")
struct ReportMaskingTests {
    @Test("a secret that contains another is hidden whole on the report page (it used to leave its tail)")
    func overlappingSecretsOnReport() throws {
        let folder = try TemporaryDirectory("runbook-app")
        defer { folder.remove() }
        _ = try folder.write(
            "two.md",
            """
            ---
            id: two
            title: Two secrets
            models: {arm: Resource Manager}
            inputs:
              token: {description: a token, secret: true}
              password: {description: a password, secret: true}
            verify: works
            ---
            # Two secrets

            ## It works {#works}

            ```check command run="true"
            ```

            """)
        // A log as an older runbook wrote it, with the values in plain text (today's logs hold `***`).
        let start =
            #"{"v":1,"ts":"2026-05-01T10:00:00Z","event":"run-start","run":"r1","runbook":"two","#
            + #""model":"arm","inputs":{"token":"abcd1234","password":"abcd1234XYZW"}}"#
        let step =
            #"{"v":1,"ts":"2026-05-01T10:00:01Z","event":"step","run":"r1","step":"works","#
            + #""status":"fail","summary":"the server said abcd1234XYZW and abcd1234"}"#
        let log = try folder.write("run.jsonl", start + "\n" + step + "\n")
        // The old masking went through the secrets in the dictionary's order: try a few times.
        for _ in 0..<8 {
            let html = try RunbookApp().report(
                log: log, choice: RunbookChoice(knowledgeBase: KnowledgeBaseLocation(directory: folder.path)),
                environment: [:])
            #expect(html.contains("the server said *** and ***"), "the step's summary is on the page, masked")
            #expect(!html.contains("XYZW"), "the tail of the longer secret is shown")
            #expect(!html.contains("abcd1234"))
        }
    }
}
