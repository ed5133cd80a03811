extension Block {
    /// Where a `run` fix runs: written `run sh on=client` (the default) or `run sh on=vm`.
    public enum Place: String, Sendable, CaseIterable {
        /// The operator's machine (for example `az` calls).
        case client
        /// Inside the VM, through the `--vm` executor, like the VM's checks.
        case vm
    }

    /// Where this fix runs; `nil` for a block that is not a `run` block, or an `on=` value that is
    /// neither `client` nor `vm` (a lint error).
    public var place: Place? {
        guard case .run = kind else { return nil }
        guard let value = argument("on")?.value else { return .client }
        return Place(rawValue: value)
    }
}
