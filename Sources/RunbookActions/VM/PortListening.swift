import RunbookCore

/// `port-listening`: whether something (and, if asked, which process) listens on a TCP port in the VM,
/// on an address the client reaches: a wildcard (`0.0.0.0`; `::`, which takes IPv4 too unless the
/// socket is IPv6-only, as sshd's always are) or the VM's own address toward the client (`ip route get
/// CLIENT` inside the VM gives the device and source address). A listener on loopback or on another
/// address only is a finding that names where it listens.
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
                ArgumentSpec(
                    "host", .string, help: "The VM's address or name as the client uses it (finds the client address)."),
                ArgumentSpec("client-ip", .string, help: ClientAddress.argumentHelp),
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

        let sockets: [ListeningSocket]
        do {
            sockets = try await ListeningSocket.read(on: vm, timeout: context.timeout)
        } catch is ListeningSocket.Unreadable {
            return .error("cannot read /proc/net/tcp in the VM")
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
                let instead =
                    elsewhere.isEmpty
                    ? "\(wanted) listens nowhere"
                    : "\(wanted) listens on "
                        + elsewhere.map(\.endpoint).joined(separator: ", ")
                return .fail("nothing listens on port \(port); \(instead)", evidence: evidence)
            }
            let instead = elsewhere.isEmpty ? "" : "; listening: " + describe(Array(elsewhere.prefix(4)))
            return .fail("nothing listens on port \(port)\(instead)", evidence: evidence)
        }
        var serving = onPort
        if let wanted {
            let mine = onPort.filter { owners[$0.inode] == wanted }
            if mine.isEmpty {
                if onPort.allSatisfy({ owners[$0.inode] == nil }) {
                    return .error(
                        "port \(port) has a listener whose process could not be identified", evidence: evidence)
                }
                return .fail("\(describe(onPort)) listens on port \(port), not \(wanted)", evidence: evidence)
            }
            evidence["process"] = wanted
            serving = mine
        }
        if arguments.optional("client-ip") == nil && arguments.optional("host") == nil {
            let name = wanted ?? describe(serving).components(separatedBy: " on ").first ?? "a process"
            return .pass("\(name) listens on \(serving.map(\.endpoint).joined(separator: ", "))", evidence: evidence)
        }
        let client = try await ClientAddress.resolve(
            clientIP: arguments.optional("client-ip"), host: arguments.optional("host"), context: context)
        evidence["client-address"] = client.map { "\($0.address) (\($0.source))" } ?? "unknown"
        var route: Route?
        if let client {
            let output = try await vm.run(["ip", "route", "get", client.address], timeout: context.timeout)
            route = output.succeeded ? Route.parse(output.standardOutput) : nil
            evidence["vm-route"] = output.standardOutput.nonEmptyLines.first ?? output.standardError.trimmedLine
        }
        var v6only: [String: Bool] = [:]
        for socket in serving where socket.isIPv6 && socket.address == "::" {
            v6only[socket.inode] = try await Self.isIPv6Only(
                socket, owner: owners[socket.inode], executor: vm, timeout: context.timeout)
        }
        let reach = ListeningSocket.reachability(
            serving, client: client.flatMap { IPAddress($0.address) }, route: route,
            v6only: { v6only[$0.inode] ?? false })
        let who = describe(serving).replacingOccurrences(of: " on ", with: " listens on ")
        let endpoints = serving.map(\.endpoint).joined(separator: ", ")
        let toward =
            route.map { route in
                let vmAddress = route.source.map(\.description) ?? "?"
                let device = route.device.map { " on \($0)" } ?? ""
                return " (the client \(client!.address) reaches the VM at \(vmAddress)\(device))"
            } ?? ""
        switch reach {
        case .reachable(let endpoint):
            evidence["reachable-on"] = endpoint
            let name = wanted ?? who.components(separatedBy: " listens on ").first ?? "a process"
            return .pass(
                "\(name) listens on \(endpoints), reachable from the client on \(endpoint)", evidence: evidence)
        case .loopbackOnly:
            return .fail("\(who) only: loopback, unreachable from the client\(toward)", evidence: evidence)
        case .otherAddress:
            return .fail("\(who) only: not an address the client reaches\(toward)", evidence: evidence)
        case .undecided(let reason):
            return .error(
                "listens on \(endpoints); could not decide whether the client reaches it: \(reason)", evidence: evidence
            )
        }
    }

    /// Whether a `::` listener refuses IPv4: sshd sets `IPV6_V6ONLY` on every IPv6 listener; for other
    /// programs `ss` shows a dual-stack socket as `*:PORT`, and the sysctl `bindv6only` is the default.
    static func isIPv6Only(
        _ socket: ListeningSocket, owner: String?, executor: any Executor, timeout: Duration
    ) async throws -> Bool {
        if owner == "sshd" { return true }
        let ss = try await executor.run(["ss", "-Hltn", "sport = :\(socket.port)"], timeout: timeout)
        if ss.succeeded {
            for line in ss.standardOutput.nonEmptyLines {
                let words = line.split(separator: " ")
                if words.count >= 4, words[3] == "*:\(socket.port)" { return false }
                if words.count >= 4, words[3] == "[::]:\(socket.port)" { return true }
            }
        }
        let sysctl = try? await executor.readFile("/proc/sys/net/ipv6/bindv6only", timeout: timeout)
        return sysctl?.trimmedLine == "1"
    }
}
