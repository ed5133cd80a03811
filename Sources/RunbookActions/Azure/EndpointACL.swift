/// A Classic endpoint's access control list, evaluated as Azure's host does.
///
/// Rules apply in ascending `Order` and the first whose `RemoteSubnet` holds the client decides.
/// When none matches: an ACL with any permit rule denies (permit rules turn the default into
/// deny), an ACL with only deny rules, or no rules at all, permits.
struct EndpointACL: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        enum Action: String, Sendable { case permit, deny }
        var order: Int
        var action: Action
        var remoteSubnet: String
        var description: String?

        var label: String { "rule \(order) (\(action.rawValue) \(remoteSubnet))" }
    }

    var rules: [Rule]

    init(rules: [Rule]) { self.rules = rules.sorted { $0.order < $1.order } }

    struct Problem: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// Reads `{"Rules": [{"Order", "Action", "RemoteSubnet", "Description"}]}` (also a bare list).
    init(json: JSONValue?) throws(Problem) {
        let items = json?["Rules"]?.array ?? json?.array ?? []
        var rules: [Rule] = []
        for (index, item) in items.enumerated() {
            guard let actionText = item["Action"]?.text,
                let action = Rule.Action(rawValue: actionText.lowercased())
            else { throw Problem(description: "ACL rule #\(index + 1) has no Action permit or deny") }
            guard let subnet = item["RemoteSubnet"]?.text else {
                throw Problem(description: "ACL rule #\(index + 1) has no RemoteSubnet")
            }
            rules.append(
                Rule(
                    order: item["Order"]?.integer ?? index, action: action, remoteSubnet: subnet,
                    description: item["Description"]?.text))
        }
        self.init(rules: rules)
    }

    enum Verdict: Sendable, Equatable {
        case permitted(by: Rule?)
        case denied(by: Rule?)
        case undecided(String)

        var permitted: Bool {
            if case .permitted = self { return true }
            return false
        }
    }

    func evaluate(_ client: IPAddress) -> Verdict {
        for rule in rules {
            guard let subnet = IPPrefix(rule.remoteSubnet) else {
                return .undecided("\(rule.label): '\(rule.remoteSubnet)' is not an address range")
            }
            // An IPv4-mapped client (`::ffff:a.b.c.d`) is the IPv4 client Azure compares.
            if subnet.containsUnmapped(client) {
                return rule.action == .permit ? .permitted(by: rule) : .denied(by: rule)
            }
        }
        return rules.contains { $0.action == .permit } ? .denied(by: nil) : .permitted(by: nil)
    }
}
