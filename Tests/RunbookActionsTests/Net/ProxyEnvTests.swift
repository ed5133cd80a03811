import RunbookActions
import Testing

@testable import RunbookActions

@Suite("proxy-env")
struct ProxyEnvTests {
    func context(_ environment: [String: String]) -> CheckContext {
        CheckContext(timeout: testTimeout, environment: environment)
    }

    @Test("passes with no proxy variables")
    func none() async {
        let result = await ProxyEnv().run(
            ["host": "vm1.example.com", "fail-if-set": "true"],
            context: context(["HOME": "/root", "PATH": "/usr/bin"]))
        #expect(result == .pass("no proxy variables"))
    }

    @Test("lists proxies in any spelling with credentials masked")
    func lists() async {
        let result = await ProxyEnv().run(
            [:], context: context(["HTTPS_PROXY": "http://alice:s3cret@proxy.corp:3128", "no_proxy": "localhost"]))
        #expect(result.status == .pass)
        #expect(result.summary == "HTTPS_PROXY=http://***@proxy.corp:3128, no_proxy=localhost")
        #expect(!result.summary.contains("s3cret"))
        #expect(result.evidence["HTTPS_PROXY"] == "http://***@proxy.corp:3128")
    }

    @Test("fails when asked and a proxy applies to the host")
    func failsWhenApplies() async {
        let result = await ProxyEnv().run(
            ["host": "vm1.example.com", "fail-if-set": "true"],
            context: context(["all_proxy": "socks5://127.0.0.1:1080", "no_proxy": "localhost,.internal"]))
        #expect(result.status == .fail)
        #expect(result.summary == "all_proxy=socks5://127.0.0.1:1080 applies to vm1.example.com")
    }

    @Test(
        "passes when no_proxy excludes the host, even with fail-if-set",
        arguments: [
            ("vm1.example.com", "example.com"), ("vm1.example.com", ".example.com"), ("vm1.example.com", "*"),
            ("10.1.2.3", "10.0.0.0/8"), ("10.1.2.3", "10.1.2.3"), ("vm1.example.com", "localhost, vm1.example.com:22"),
        ])
    func excluded(host: String, noProxy: String) async {
        let result = await ProxyEnv().run(
            ["host": host, "fail-if-set": "true"],
            context: context(["http_proxy": "http://proxy:3128", "NO_PROXY": noProxy]))
        #expect(result.status == .pass, "\(host) with no_proxy=\(noProxy): \(result)")
        #expect(result.evidence["applies"] == "no")
    }

    @Test(
        "no_proxy does not exclude look-alike names",
        arguments: [
            ("notexample.com", "example.com"), ("11.1.2.3", "10.0.0.0/8"),
        ])
    func notExcluded(host: String, noProxy: String) {
        #expect(!ProxyEnv.noProxy(noProxy, excludes: host))
    }

    @Test("a bad fail-if-set value is an error")
    func badBool() async {
        let result = await ProxyEnv().run(["fail-if-set": "maybe"], context: context([:]))
        #expect(result.status == .error)
    }
}
