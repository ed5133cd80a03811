/// The registry's built-in actions.
public enum BuiltInActions {
    public static var all: [any CheckAction] { network + generic + clientAndVM + cloud }

    /// The path between client and VM.
    static var network: [any CheckAction] { [TCPConnect(), DNSResolve(), SSHBanner()] }

    /// Actions for any runbook.
    static var generic: [any CheckAction] { [FileMode(), CommandCheck()] }
}
