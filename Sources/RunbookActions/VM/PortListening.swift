import RunbookCore

/// `port-listening`: whether something (and, if asked, which process) listens on a TCP port in the VM.
///
/// Reads `/proc/net/tcp` and `/proc/net/tcp6` through the executor, so it sees the VM's own network
/// namespace, and maps socket inodes to processes through `/proc/PID/fd`.
struct PortListening: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "port-listening",
            summary: "Checks that a process listens on a TCP port inside the VM.",
            arguments: [
                ArgumentSpec("port", .port, default: "22", help: "TCP port that must have a listener."),
                ArgumentSpec("process", .string, help: "Process name the listener must have, e.g. sshd."),
            ],
            example: "check port-listening port=22 process=sshd",
            readsVM: true)
    }

    /// Prints `PID COMM INODE` for every socket a process of the shell's network namespace holds open.
    static let socketOwnersScript = #"""
        me=$(readlink /proc/$$/ns/net)
        for d in /proc/[0-9]*; do
          [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$me" ] || continue
          comm=$(cat "$d/comm" 2>/dev/null) || continue
          find "$d/fd" -maxdepth 1 -lname 'socket:*' -printf '%l\n' 2>/dev/null | while read -r link; do
            inode=${link#socket:[}
            echo "${d#/proc/} $comm ${inode%]}"
          done
        done
        """#

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let port = try arguments.port("port")
        let wanted = arguments.optional("process")

        var sockets: [ListeningSocket] = []
        for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // tcp6 is missing when IPv6 is off; tcp must be there.
            guard let text = try? await vm.readFile(file, timeout: context.timeout) else {
                if file == "/proc/net/tcp" { return .error("cannot read /proc/net/tcp in the VM") }
                continue
            }
            sockets += ListeningSocket.parse(procNetTCP: text)
        }
        var owners: [String: String] = [:]  // inode → comm
        let ownerOutput = try await vm.run(["sh", "-c", Self.socketOwnersScript], timeout: context.timeout)
        for line in ownerOutput.standardOutput.nonEmptyLines {
            let parts = line.split(separator: " ")
            // comm may hold spaces: the pid is first, the inode last.
            guard parts.count >= 3 else { continue }
            owners[String(parts[parts.count - 1])] = parts[1..<(parts.count - 1)].joined(separator: " ")
        }
        func describe(_ group: [ListeningSocket]) -> String {
            let byOwner = Dictionary(grouping: group) { owners[$0.inode] ?? "unknown process" }
            return byOwner.keys.sorted().map { owner in
                "\(owner) on \(byOwner[owner]!.map(\.endpoint).joined(separator: ", "))"
            }.joined(separator: "; ")
        }

        let onPort = sockets.filter { $0.port == port }
        var evidence = [
            "port": String(port),
            "listeners": onPort.map { "\($0.endpoint) \(owners[$0.inode] ?? "?")" }.joined(separator: "\n"),
        ]
        if onPort.isEmpty {
            let elsewhere = sockets.filter { socket in wanted.map { owners[socket.inode] == $0 } ?? true }
                .sorted { ($0.port, $0.endpoint) < ($1.port, $1.endpoint) }
            evidence["other-listeners"] = describe(sockets).truncated(to: 500)
            if let wanted {
                let instead = elsewhere.isEmpty ? "\(wanted) listens nowhere" : "\(wanted) listens on "
                    + elsewhere.map(\.endpoint).joined(separator: ", ")
                return .fail("nothing listens on port \(port); \(instead)", evidence: evidence)
            }
            let instead = elsewhere.isEmpty ? "" : "; listening: " + describe(Array(elsewhere.prefix(4)))
            return .fail("nothing listens on port \(port)\(instead)", evidence: evidence)
        }
        if let wanted {
            let mine = onPort.filter { owners[$0.inode] == wanted }
            if mine.isEmpty {
                if onPort.allSatisfy({ owners[$0.inode] == nil }) {
                    return .error("port \(port) has a listener whose process could not be identified", evidence: evidence)
                }
                return .fail("\(describe(onPort)) listens on port \(port), not \(wanted)", evidence: evidence)
            }
            evidence["process"] = wanted
            return .pass("\(wanted) listens on \(mine.map(\.endpoint).joined(separator: ", "))", evidence: evidence)
        }
        return .pass(describe(onPort).replacingOccurrences(of: " on ", with: " listens on "), evidence: evidence)
    }
}
