/// Reads the recorded data of a Classic (cloud service) VM.
///
/// Azure retired Classic VMs and the Service Management API's CLI (`azure`, asm mode) in 2023, so
/// the Classic checks read a recorded document. Its shape is the Service Management REST API's
/// *Get Deployment* response (`GET https://management.core.windows.net/SUB/services/hostedservices/SERVICE/deploymentslots/Production`),
/// its XML turned into JSON one to one: each element a key with its XML name, repeated elements
/// (`RoleInstance`, `Role`, `InputEndpoint`, `Rule`) as arrays under their list element:
///
/// ```json
/// {"Name": "svc", "RoleInstanceList": [{"RoleName": "vm1", "InstanceName": "vm1",
///    "InstanceStatus": "ReadyRole", "PowerState": "Started", "IpAddress": "10.0.0.4",
///    "InstanceEndpoints": [{"Name": "SSH", "Vip": "191.239.1.2", "PublicPort": 22, "LocalPort": 22, "Protocol": "tcp"}]}],
///  "RoleList": [{"RoleName": "vm1", "ConfigurationSets": [{"ConfigurationSetType": "NetworkConfiguration",
///    "InputEndpoints": [{"Name": "SSH", "Port": 22, "LocalPort": 22, "Protocol": "tcp", "Vip": "191.239.1.2",
///      "EndpointAcl": {"Rules": [{"Order": 100, "Action": "permit", "RemoteSubnet": "203.0.113.0/24", "Description": "office"}]}}]}]}]}
/// ```
///
/// A document holding one `RoleInstance` or one `Role` object alone is read too.
enum ClassicDeployment {
    /// The role instance of `vm` (by `RoleName` or `InstanceName`), or the only one.
    static func roleInstance(in json: JSONValue, vm: String?) -> JSONValue? {
        if json["InstanceStatus"] != nil { return json }
        return pick(json["RoleInstanceList"]?.array ?? [], vm: vm, keys: ["RoleName", "InstanceName"])
    }

    /// The role (its configuration) of `vm`, or the only one.
    static func role(in json: JSONValue, vm: String?) -> JSONValue? {
        if json["ConfigurationSets"] != nil { return json }
        return pick(json["RoleList"]?.array ?? [], vm: vm, keys: ["RoleName"])
    }

    private static func pick(_ items: [JSONValue], vm: String?, keys: [String]) -> JSONValue? {
        if let vm {
            return items.first { item in keys.contains { item[$0]?.text?.lowercased() == vm.lowercased() } }
        }
        return items.count == 1 ? items[0] : nil
    }

    /// The names present, for an error that lists them.
    static func roleNames(in json: JSONValue) -> [String] {
        (json["RoleInstanceList"]?.array ?? json["RoleList"]?.array ?? []).compactMap { $0["RoleName"]?.text }
    }

    /// The input endpoints of a role: `ConfigurationSets[NetworkConfiguration].InputEndpoints`.
    static func inputEndpoints(of role: JSONValue) -> [JSONValue] {
        (role["ConfigurationSets"]?.array ?? []).flatMap { set -> [JSONValue] in
            set["InputEndpoints"]?.array ?? []
        }
    }
}
