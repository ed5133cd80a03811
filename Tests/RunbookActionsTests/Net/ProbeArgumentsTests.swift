import Testing

@testable import RunbookActions

/// tcp-connect and ssh-banner read host and port the one way staged checks do: a bad one is an
/// error naming the argument, before anything connects.
@Suite("probe arguments")
struct ProbeArgumentsTests {
    @Test(
        "a bad or missing host or port is an error that says which",
        arguments: [
            (["host": "127.0.0.1", "port": "x"], "port: 'x' is not a port (1-65535)"),
            (["host": "127.0.0.1", "port": "70000"], "port: '70000' is not a port (1-65535)"),
            (["port": "22"], "argument 'host' is missing"),
        ])
    func badArguments(values: [String: String], message: String) async {
        for action in [TCPConnect() as any CheckAction, SSHBanner()] {
            let result = await action.run(values, context: CheckContext(timeout: .seconds(1)))
            #expect(result.status == .error, "\(action.schema.name): \(result)")
            #expect(result.summary == message, "\(action.schema.name)")
        }
    }
}
