import Foundation
import Testing

/// A runbook whose fix writes the secret input (from its environment variable) into a file.
private let secretRunbook = """
    ---
    id: secret
    title: Secret
    models: {arm: Resource Manager}
    inputs:
      out: {description: file the fix writes, required: true}
      new-password: {description: a secret, secret: true}
    verify: ok
    ---
    # Secret

    ## OK {#ok}

    ```check command run="false"
    ```

    ## Use it {#use-it}

    ```run sh
    printf '%s' "$NEW_PASSWORD" > "$OUT"; echo "said $NEW_PASSWORD"
    ```
    """

@Suite("Secret inputs", .serialized)
struct SecretInputCLITests {
    @Test("a secret from RUNBOOK_INPUT_NEW_PASSWORD reaches the fix and is masked in the log and console")
    func secretFromEnvironment() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("secret.md", secretRunbook)
        let out = folder.url.appendingPathComponent("out").path
        let log = folder.url.appendingPathComponent("run.jsonl").path
        let secret = "Tr0ub4dor-\(UUID().uuidString.prefix(6))"
        let result = try await runbook(
            ["run", "arm", "--runbook", book.path, "-i", "out=\(out)", "--yes", "--non-interactive", "--log", log],
            environment: ["RUNBOOK_INPUT_NEW_PASSWORD": secret])
        #expect(try String(contentsOfFile: out, encoding: .utf8) == secret)
        let logText = try String(contentsOfFile: log, encoding: .utf8)
        #expect(!logText.contains(secret))
        #expect(logText.contains("said ***"))
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
    }

    @Test("a secret shorter than 4 characters is refused (exit 2)")
    func shortSecret() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("secret.md", secretRunbook)
        let result = try await runbook(
            ["run", "arm", "--runbook", book.path, "-i", "out=/dev/null", "--non-interactive"],
            environment: ["RUNBOOK_INPUT_NEW_PASSWORD": "a"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("shorter than 4 characters"))
    }

    @Test("run --help says that -i for a secret is visible to other users")
    func helpWarns() async throws {
        let result = try await runbook(["run", "--help"])
        #expect(result.stdout.contains("RUNBOOK_INPUT_NEW_PASSWORD"))
        #expect(result.stdout.contains("visible to other users"))
    }

    @Test("the evidence is masked before it is cut: no tail of a secret survives at the 600-character cut")
    func maskThenCut() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write(
            "secret.md",
            secretRunbook.replacingOccurrences(
                of: #"printf '%s' "$NEW_PASSWORD" > "$OUT"; echo "said $NEW_PASSWORD""#,
                with: #"printf 'S%s' "$NEW_PASSWORD"; head -c 590 /dev/zero | tr '\0' x; : > "$OUT""#))
        let log = folder.url.appendingPathComponent("run.jsonl").path
        let secret = "TailSecret-\(UUID().uuidString.prefix(10))"
        _ = try await runbook(
            ["run", "arm", "--runbook", book.path, "-i", "out=/dev/null", "--yes", "--non-interactive", "--log", log],
            environment: ["RUNBOOK_INPUT_NEW_PASSWORD": secret])
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("xxxxxxxxxx"), "the fix's output is in the log")
        #expect(!text.contains(String(secret.suffix(9))), "a tail of the secret survived the cut")
    }
}
