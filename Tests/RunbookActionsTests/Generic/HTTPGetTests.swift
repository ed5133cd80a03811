import Testing

@testable import RunbookActions

@Suite("http-get")
struct HTTPGetTests {
    /// A real `python3 -m http.server` on 127.0.0.1 serving a directory with `health.txt`.
    func withServer(_ body: (Int) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("rb-http")
        defer { directory.remove() }
        try directory.write("health.txt", "status: ok\n")
        let port = try freePort()
        let server = BackgroundProcess(
            ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", directory.path, String(port)])
        defer { server.stop() }
        try await waitForListener(port)
        try await body(port)
    }

    @Test("passes on the expected status and body; fails on a wrong status or body")
    func realServer() async throws {
        try await withServer { port in
            let url = "http://127.0.0.1:\(port)/health.txt"
            let ok = await HTTPGet().run(["url": url, "contains": "status: ok"])
            #expect(ok.status == .pass, "\(ok)")
            #expect(ok.summary == "status 200, body contains 'status: ok'")
            let missing = await HTTPGet().run(["url": "http://127.0.0.1:\(port)/nope"])
            #expect(missing.status == .fail)
            #expect(missing.summary == "status 404 from http://127.0.0.1:\(port)/nope, expected 200")
            let notFoundExpected = await HTTPGet().run(["url": "http://127.0.0.1:\(port)/nope", "expect-status": "404"])
            #expect(notFoundExpected.status == .pass)
            let wrongBody = await HTTPGet().run(["url": url, "contains": "degraded"])
            #expect(wrongBody.status == .fail)
            #expect(wrongBody.evidence["body"] == "status: ok\n")
        }
    }

    @Test("a closed port fails with curl's reason")
    func closedPort() async throws {
        let port = try freePort()
        let result = await HTTPGet().run(["url": "http://127.0.0.1:\(port)/"])
        #expect(result.status == .fail)
        #expect(result.evidence["curl-exit"] == "7", "\(result)")
    }

    @Test("a URL curl cannot use is an error")
    func badURL() async {
        let result = await HTTPGet().run(["url": "nosuchscheme://x"])
        #expect(result.status == .error, "\(result)")
    }
}
