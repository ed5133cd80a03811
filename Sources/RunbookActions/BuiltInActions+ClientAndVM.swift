extension BuiltInActions {
    /// The client computer and the inside of the VM (issue #4).
    static var clientAndVM: [any CheckAction] {
        [
            SSHLogin(), SSHClientConfig(), ProxyEnv(), ProcessRunning(), PortListening(), FirewallAllows(), SSHDConfig(), AuthorizedKeys(), LoginAccount(), DiskFree(), HTTPGet(),
        ]
    }
}
