/// One network security group as Azure evaluates it: its inbound rules, default rules included.
///
/// Reads both JSON shapes: `az network nsg show -o json` (rule fields at the top of each rule,
/// `securityRules` and `defaultSecurityRules` at the top of the group) and the ARM REST API's
/// (`properties.securityRules[].properties.*`). A rule list alone (`az network nsg rule list`)
/// is read as a group without a name. When the document has no `defaultSecurityRules` (a
/// template, a rule list), Azure's three inbound default rules are added, as Azure always does.
struct NetworkSecurityGroup: Sendable, Equatable {
    var name: String
    /// Every rule, custom and default, in the order Azure applies them: ascending priority.
    var rules: [NSGRule]
    /// Whether the default rules came from the document (false: the built-in ones were added).
    var defaultsFromDocument: Bool

    struct Problem: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    init(name: String, rules: [NSGRule], defaultsFromDocument: Bool) {
        self.name = name
        self.rules = rules.sorted { $0.priority < $1.priority }
        self.defaultsFromDocument = defaultsFromDocument
    }

    init(json: AzureJSON, fallbackName: String) throws(Problem) {
        var custom: [AzureJSON]
        var defaults: [AzureJSON] = []
        var name = fallbackName
        if let list = json.array {
            custom = list
        } else if json.isObject {
            name = json["name"]?.string ?? fallbackName
            custom = json.field("securityRules")?.array ?? []
            defaults = json.field("defaultSecurityRules")?.array ?? []
            if json.field("securityRules") == nil && json.field("defaultSecurityRules") == nil {
                throw Problem(description: "no securityRules or defaultSecurityRules: not a network security group")
            }
        } else {
            throw Problem(description: "not a network security group (expected a JSON object)")
        }
        var rules: [NSGRule] = []
        for (index, item) in custom.enumerated() {
            rules.append(try NSGRule(json: item, isDefault: false, position: index))
        }
        let fromDocument = !defaults.isEmpty
        if fromDocument {
            for (index, item) in defaults.enumerated() {
                rules.append(try NSGRule(json: item, isDefault: true, position: index))
            }
        } else {
            rules += NSGRule.builtInDefaults
        }
        self.init(name: name, rules: rules, defaultsFromDocument: fromDocument)
    }

    var inboundRules: [NSGRule] { rules.filter { $0.direction == .inbound } }
}
