import RunbookCore

/// `http-get`: fetches a URL with `curl` on the client and checks the status and, if asked, the body.
struct HTTPGet: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "http-get",
            summary: "Fetches a URL with curl and checks the status code and body.",
            arguments: [
                ArgumentSpec("url", .string, required: true, help: "The URL to fetch."),
                ArgumentSpec("expect-status", .integer, default: "200", help: "The HTTP status that passes."),
                ArgumentSpec("contains", .string, help: "Text the body must contain."),
            ],
            example: "check http-get url=http://{{host}}/health expect-status=200",
            readsVM: false)
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let url = try arguments.string("url")
        let expected = try arguments.int("expect-status")
        let contains = arguments.optional("contains")
        // --url keeps a value that starts with '-' from being read as an option.
        let argv = [
            "curl", "-sS", "-o", "-", "-w", "\n%{http_code}", "--max-time", String(context.timeoutSeconds),
            "--url", url,
        ]
        let output: ProcessOutput
        switch await runCapturing(context.local, argv, timeout: context.timeout + .seconds(2)) {
        case .success(let finished): output = finished
        case .failure(.notFound): return .error("curl is not installed")
        case .failure(let failure): return .error(failure.description)
        }
        var evidence = ["url": url, "curl-exit": String(output.exitCode)]
        guard output.succeeded else {
            let message = output.standardError.trimmedLine
            evidence["stderr"] = message
            // 1-4: curl could not even try (bad URL, unsupported scheme); the rest is the server or the path.
            if (1...4).contains(output.exitCode) { return .error("curl: \(message)", evidence: evidence) }
            return .fail("no HTTP answer from \(url): \(message)", evidence: evidence)
        }
        let body: Substring
        let statusText: Substring
        if let newline = output.standardOutput.lastIndex(of: "\n") {
            body = output.standardOutput[..<newline]
            statusText = output.standardOutput[output.standardOutput.index(after: newline)...]
        } else {
            body = ""
            statusText = Substring(output.standardOutput)
        }
        guard let status = Int(String(statusText).trimmingCharacters(in: " ")) else {
            return .error("curl gave no status code for \(url)", evidence: evidence)
        }
        evidence["status"] = String(status)
        evidence["body"] = String(body).truncated(to: 200)
        if status != expected { return .fail("status \(status) from \(url), expected \(expected)", evidence: evidence) }
        if let contains, !body.contains(contains) {
            return .fail("status \(status), but the body does not contain '\(contains)'", evidence: evidence)
        }
        return .pass("status \(status)\(contains.map { ", body contains '\($0)'" } ?? "")", evidence: evidence)
    }
}
