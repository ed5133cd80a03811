import Foundation
import RunbookActions
import Testing

/// A runbook that resolves a name and connects to it, each with a 1 s timeout.
private let dnsRunbook = """
    ---
    id: dns-block
    title: DNS that never answers
    models: {arm: Resource Manager}
    verify: resolves
    ---
    # DNS that never answers

    ## Resolves {#resolves}

    ```check dns-resolve host=never-answers.example timeout=1s
    ```

    ## Connects {#connects}

    ```check tcp-connect host=never-answers.example port=22 timeout=1s
    ```
    """

@Suite("Timeouts bound blocking calls", .serialized)
struct BlockingTimeoutCLITests {
    @Test("a DNS server that never answers: dns-resolve and tcp-connect still end within their 1 s timeouts")
    func deadResolver() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let book = try folder.write("dns.md", dnsRunbook)
        let name = "rb-t-dns-\(getpid() % 100_000)"
        // A namespace whose resolv.conf names a server on a link where nobody answers ARP: queries vanish,
        // and glibc's getaddrinfo blocks for timeout × attempts (here 5 s × 2).
        let script = """
            set -e
            trap 'ip netns del "$1" 2>/dev/null; rm -rf "/etc/netns/$1"' EXIT
            ip netns add "$1"
            mkdir -p "/etc/netns/$1"
            printf 'nameserver 10.235.0.9\\noptions timeout:5 attempts:2\\n' > "/etc/netns/$1/resolv.conf"
            ip -n "$1" link add v0 type veth peer name v1
            ip -n "$1" addr add 10.235.0.1/24 dev v0
            ip -n "$1" link set v0 up
            ip -n "$1" link set v1 up
            start=$(date +%s%N)
            ip netns exec "$1" "$2" run arm --runbook "$3" --non-interactive --log "$4" >/dev/null 2>&1 || true
            echo $(( ($(date +%s%N) - start) / 1000000 ))
            """
        let log = folder.url.appendingPathComponent("run.jsonl").path
        let output = try await ProcessRunner.run(
            ["/bin/sh", "-c", script, "sh", name, try runbookBinary(), book.path, log], timeout: .seconds(60))
        #expect(output.exitCode == 0, "\(output.standardError)")
        let milliseconds = try #require(Int(output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(milliseconds < 5000, "two 1 s checks took \(milliseconds) ms")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("\"run-end\""))
    }
}
