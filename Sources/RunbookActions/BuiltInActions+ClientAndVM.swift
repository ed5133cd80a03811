extension BuiltInActions {
    /// The client computer and the inside of the VM (issue #4).
    static var clientAndVM: [any CheckAction] {
        [
            SSHLogin(), SSHClientConfig(), SSHHostKey(), ProxyEnv(), ProcessRunning(), PortListening(),
            FirewallAllows(), SSHDConfig(), AuthorizedKeys(), LoginAccount(), DiskFree(), HTTPGet(),
        ]
    }
}
