/// Reads `--vm SPEC`: `local`, `exec:PREFIX`, `ssh:[user@]host[:port]`, `az:RESOURCE_GROUP/VM`.
public enum VMSpec {
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func executor(from spec: String) throws(Problem) -> any Executor {
        if spec == "local" { return LocalExecutor() }
        if spec.hasPrefix("exec:") {
            let prefix = spec.dropFirst(5).split(separator: " ").map(String.init)
            guard !prefix.isEmpty else {
                throw Problem(description: "--vm exec: needs a command prefix, e.g. 'exec:ip netns exec vm1'")
            }
            return PrefixExecutor(prefix: prefix)
        }
        if spec.hasPrefix("ssh:") {
            var target = String(spec.dropFirst(4))
            var port: Int?
            if let colon = target.lastIndex(of: ":"), let number = Int(target[target.index(after: colon)...]) {
                port = number
                target = String(target[..<colon])
            }
            guard !target.isEmpty else { throw Problem(description: "--vm ssh: needs [user@]host[:port]") }
            return SSHExecutor(destination: target, port: port)
        }
        if spec.hasPrefix("az:") {
            let parts = spec.dropFirst(3).split(separator: "/").map(String.init)
            guard parts.count == 2 else { throw Problem(description: "--vm az: needs RESOURCE_GROUP/VM") }
            return AzureRunCommandExecutor(resourceGroup: parts[0], vm: parts[1])
        }
        throw Problem(
            description:
                "unknown --vm '\(spec)'; use local, exec:PREFIX, ssh:[user@]host[:port] or az:RESOURCE_GROUP/VM")
    }
}
