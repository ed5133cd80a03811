/// One network security group as Azure evaluates it: its inbound rules, default rules included.
///
/// Reads both JSON shapes: `az network nsg show -o json` (rule fields at the top of each rule,
/// `securityRules` and `defaultSecurityRules` at the top of the group) and the ARM REST API's
/// (`properties.securityRules[].properties.*`). A rule list alone (`az network nsg rule list`)
/// is read as a group without a name. When the document has no `defaultSecurityRules` (a
/// template, a rule list), Azure's three inbound default rules are added, as Azure always does.
struct NetworkSecurityGroup: Sendable, Equatable {
    var name: String
    /// The resource group the group lives in (`resourceGroup`, else from its `id`), when the document says.
    var resourceGroup: String?
    /// Every rule, custom and default, in the order Azure applies them: ascending priority.
    var rules: [NSGRule]
    /// Whether the default rules came from the document (false: the built-in ones were added).
    var defaultsFromDocument: Bool

    struct Problem: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    init(name: String, rules: [NSGRule], defaultsFromDocument: Bool, resourceGroup: String? = nil) {
        self.name = name
        self.resourceGroup = resourceGroup
        self.rules = rules.sorted { $0.priority < $1.priority }
        self.defaultsFromDocument = defaultsFromDocument
    }

    init(json: JSONValue, fallbackName: String) throws(Problem) {
        var custom: [JSONValue]
        var defaults: [JSONValue] = []
        var name = fallbackName
        var resourceGroup: String?
        if let list = json.array {
            custom = list
        } else if json.isObject {
            name = json["name"]?.text ?? fallbackName
            resourceGroup = json["resourceGroup"]?.text ?? json["id"]?.text.flatMap(Self.resourceGroup(inID:))
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
        self.init(name: name, rules: rules, defaultsFromDocument: fromDocument, resourceGroup: resourceGroup)
    }

    /// `rg1` of `/subscriptions/…/resourceGroups/rg1/providers/…`.
    static func resourceGroup(inID id: String) -> String? {
        let parts = id.split(separator: "/")
        guard let index = parts.firstIndex(where: { $0.lowercased() == "resourcegroups" }), index + 1 < parts.count
        else {
            return nil
        }
        return String(parts[index + 1])
    }

    /// Custom rules take priorities 100 to 4096 (the default rules sit at 65000 and above).
    static let customPriorities = 100...4096

    /// Where a new rule goes so that it is evaluated just before `rule`.
    struct Placement: Sendable, Equatable {
        /// The priority of the new rule.
        var priority: Int
        /// When no priority before `rule` is free: `rule` moves to this free priority right after
        /// its own (before every rule that followed it), and the new rule takes its place.
        var moveTo: Int?
    }

    /// The free inbound priority closest before `rule`'s (a lower number): a new rule there is
    /// evaluated before `rule` and after every rule before it (those did not match, or `rule`
    /// would not have decided). With none free (a rule at 100), `rule` moves one step later into a
    /// free priority before the next rule, and the new rule takes its priority. Nil when neither fits.
    func placement(before rule: NSGRule) -> Placement? {
        let taken = Set(inboundRules.map(\.priority))
        let range = Self.customPriorities
        let upper = min(rule.priority - 1, range.upperBound)
        if upper >= range.lowerBound,
            let free = stride(from: upper, through: range.lowerBound, by: -1).first(where: { !taken.contains($0) })
        {
            return Placement(priority: free)
        }
        guard !rule.isDefault, range.contains(rule.priority) else { return nil }
        let next = inboundRules.map(\.priority).filter { $0 > rule.priority }.min() ?? Int.max
        let later = (rule.priority + 1)..<min(next, range.upperBound + 1)
        return later.first { !taken.contains($0) }.map { Placement(priority: rule.priority, moveTo: $0) }
    }

    var inboundRules: [NSGRule] { rules.filter { $0.direction == .inbound } }
}
