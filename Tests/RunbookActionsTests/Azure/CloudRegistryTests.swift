import Testing

@testable import RunbookActions

@Suite("cloud actions registry")
struct CloudRegistryTests {
    @Test("registers the four cloud actions, none of them inside the VM, with valid defaults and examples")
    func registered() {
        let registry = ActionRegistry.builtIn
        for name in ["azure-vm-running", "azure-nsg-allows", "azure-endpoint-acl", "azure-boot-diagnostics"] {
            let schema = registry[name]?.schema
            #expect(schema != nil, "\(name)")
            #expect(schema?.readsVM == false, "\(name) runs az on the client")
            #expect(schema?.example.hasPrefix("check \(name) ") == true, "\(name)")
            for spec in schema?.arguments ?? [] {
                if let value = spec.defaultValue {
                    #expect(spec.type.problem(with: value) == nil, "\(name) \(spec.name)=\(value)")
                }
            }
        }
    }

    @Test("without data to read, each says what to give instead of guessing")
    func nothingGiven() async {
        #expect(await AzureVMRunning().run([:]).summary == "give resource-group= and vm= (live with az) or from=FILE")
        #expect(
            await AzureBootDiagnostics().run([:]).summary == "give resource-group= and vm= (live with az) or from=FILE")
        #expect(await AzureNSGAllows().run([:]).status == .error)
        #expect(await AzureEndpointACL().run([:]).summary.contains("retired"))
    }
}
