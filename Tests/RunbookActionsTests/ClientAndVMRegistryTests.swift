import Testing

@testable import RunbookActions

@Suite("client and VM actions registry")
struct ClientAndVMRegistryTests {
    @Test("registers every action of issue #4 with the right VM flag")
    func registered() {
        let schemas = Dictionary(uniqueKeysWithValues: BuiltInActions.clientAndVM.map { ($0.schema.name, $0.schema) })
        let vm = [
            "process-running", "port-listening", "sshd-config", "firewall-allows", "authorized-keys", "login-account",
            "disk-free",
        ]
        let client = ["ssh-login", "ssh-client-config", "ssh-host-key", "proxy-env", "http-get"]
        #expect(Set(schemas.keys) == Set(vm + client))
        for name in vm { #expect(schemas[name]?.readsVM == true, "\(name)") }
        for name in client { #expect(schemas[name]?.readsVM == false, "\(name)") }
    }

    @Test("every default value passes its own argument type")
    func defaults() {
        for action in BuiltInActions.clientAndVM {
            for spec in action.schema.arguments {
                if let value = spec.defaultValue {
                    #expect(spec.type.problem(with: value) == nil, "\(action.schema.name) \(spec.name)=\(value)")
                }
            }
        }
    }

    @Test("VM actions without a VM executor say they need --vm")
    func needVM() async {
        for action in BuiltInActions.clientAndVM where action.schema.readsVM {
            let result = await action.run(["user": "x"])
            #expect(result == .error("needs --vm to look inside the VM"), "\(action.schema.name)")
        }
    }
}
