extension BuiltInActions {
    /// The cloud layer: VM state, NSG and endpoint ACL evaluation, boot diagnostics (issue #11).
    static var cloud: [any CheckAction] {
        [AzureVMRunning(), AzureNSGAllows(), AzureEndpointACL(), AzureBootDiagnostics()]
    }
}
