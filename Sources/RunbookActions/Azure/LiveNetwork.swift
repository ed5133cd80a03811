import Foundation

/// The network around a VM, looked up with the Azure CLI for `azure-nsg-allows`.
struct LiveNetwork: Sendable {
    var nicName: String
    var privateAddress: String?
    var nicGroup: NetworkSecurityGroup?
    var subnetGroup: NetworkSecurityGroup?
    var vnetPrefixes: [IPPrefix]

    /// `az vm show` → primary NIC; `az network nic show` → its NSG, private address and subnet;
    /// `az network vnet subnet show` → the subnet's NSG; `az network vnet show` → address space;
    /// `az network nsg show` for each group found.
    static func lookUp(resourceGroup: String, vm: String, context: CheckContext) async throws(EarlyResult)
        -> LiveNetwork
    {
        try AzureCLI.requireName(resourceGroup, argument: "resource-group")
        try AzureCLI.requireName(vm, argument: "vm")
        let az = AzureCLI(context: context)
        let machine = try await az.json(["vm", "show", "--resource-group", resourceGroup, "--name", vm])
        let interfaces = machine.field("networkProfile")?.field("networkInterfaces")?.array ?? []
        let primary = interfaces.first { $0.field("primary") == .bool(true) } ?? interfaces.first
        guard let nicID = primary?["id"]?.text else {
            throw EarlyResult(.error("VM \(resourceGroup)/\(vm) has no network interface in az vm show"))
        }
        try AzureCLI.requireName(nicID, argument: "NIC id")
        let nic = try await az.json(["network", "nic", "show", "--ids", nicID])
        let configurations = nic.field("ipConfigurations")?.array ?? []
        let configuration = configurations.first { $0.field("primary") == .bool(true) } ?? configurations.first
        var result = LiveNetwork(
            nicName: nic["name"]?.text ?? nicID.split(separator: "/").last.map(String.init) ?? nicID,
            privateAddress: configuration?.field("privateIPAddress")?.text, nicGroup: nil, subnetGroup: nil,
            vnetPrefixes: [])
        if let id = nic.field("networkSecurityGroup")?["id"]?.text {
            result.nicGroup = try await group(id, az: az)
        }
        if let subnetID = configuration?.field("subnet")?["id"]?.text {
            try AzureCLI.requireName(subnetID, argument: "subnet id")
            let subnet = try await az.json(["network", "vnet", "subnet", "show", "--ids", subnetID])
            if let id = subnet.field("networkSecurityGroup")?["id"]?.text {
                result.subnetGroup = try await group(id, az: az)
            }
            if let range = subnetID.range(of: "/subnets/") {
                let vnetID = String(subnetID[..<range.lowerBound])
                let vnet = try await az.json(["network", "vnet", "show", "--ids", vnetID])
                result.vnetPrefixes = (vnet.field("addressSpace")?["addressPrefixes"]?.strings ?? []).compactMap(
                    IPPrefix.init)
            }
        }
        return result
    }

    static func group(_ id: String, az: AzureCLI) async throws(EarlyResult) -> NetworkSecurityGroup {
        try AzureCLI.requireName(id, argument: "NSG id")
        let json = try await az.json(["network", "nsg", "show", "--ids", id])
        do {
            return try NetworkSecurityGroup(
                json: json, fallbackName: id.split(separator: "/").last.map(String.init) ?? id)
        } catch {
            throw EarlyResult(.error("az network nsg show --ids \(id): \(error)"))
        }
    }
}
