import RunbookCore

/// `check dns-resolve host=H`: does the name resolve, and to what?
struct DNSResolve: CheckAction {
    var schema: ActionSchema {
        ActionSchema(
            name: "dns-resolve",
            summary: "Resolves a host name with the system resolver and lists its addresses.",
            arguments: [
                ArgumentSpec("host", .string, required: true, help: "host name or address"),
                ArgumentSpec("expect", .string, help: "an address the name must resolve to"),
            ],
            example: "check dns-resolve host={{host}}")
    }

    func run(_ arguments: Arguments, context: CheckContext) async -> CheckResult {
        let host: String
        do { host = try arguments.string("host") } catch { return .error(error.description) }
        let result: Resolver.Result
        do {
            result =
                IPAddress(host) != nil
                ? Resolver.addresses(of: host)
                : try await BlockingCall.run(timeout: context.timeout) { Resolver.addresses(of: host) }
        } catch {
            return .fail(
                "no answer resolving \(host) within \(DurationText.format(milliseconds: context.timeout.milliseconds))",
                evidence: ["error": "timed out"])
        }
        switch result {
        case .failure(let message):
            return .fail("\(host) does not resolve: \(message)", evidence: ["error": message])
        case .success(let addresses):
            let list = addresses.map {
                String($0.description.dropLast(2)).trimmingCharacters(in: "[").trimmingCharacters(in: "]")
            }
            var unique: [String] = []
            for address in list where !unique.contains(address) { unique.append(address) }
            let joined = unique.joined(separator: ", ")
            if let expected = arguments.optional("expect"), !unique.contains(expected) {
                return .fail("\(host) resolves to \(joined), not \(expected)", evidence: ["addresses": joined])
            }
            return .pass(joined, evidence: ["addresses": joined])
        }
    }
}
