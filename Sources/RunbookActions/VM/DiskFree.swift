import RunbookCore

/// `disk-free`: free space of the file system holding `path`, from `df -P -k` inside the VM.
///
/// A full disk stops sshd from writing its logs and users' shells from starting.
struct DiskFree: StagedCheck {
    var schema: ActionSchema {
        ActionSchema(
            name: "disk-free",
            summary: "Checks that the file system holding a path has enough free space.",
            arguments: [
                ArgumentSpec("path", .string, default: "/", help: "A path on the file system to check."),
                ArgumentSpec(
                    "min-free", .string, default: "5%",
                    help: "Least free space: a percentage (`5%`) or a size (`100M`, `2G`)."),
            ],
            example: "check disk-free path=/ min-free=5%",
            readsVM: true)
    }

    /// The least free space, in percent of the file system or in KiB.
    enum Minimum: Equatable {
        case percent(Double)
        case kibibytes(Int)

        /// `5%`, `100M`, `2G`, `512K`, `1T` (binary units; a bare number is bytes).
        init?(_ text: String) {
            let text = text.trimmingCharacters(in: " ").uppercased()
            if text.hasSuffix("%") {
                guard let value = Double(text.dropLast()), (0...100).contains(value) else { return nil }
                self = .percent(value)
                return
            }
            var number = Substring(text)
            for suffix in ["IB", "B"] where number.hasSuffix(suffix) && number.count > suffix.count {
                number = number.dropLast(suffix.count)
                break
            }
            let units: [Character: Double] = ["K": 1, "M": 1024, "G": 1024 * 1024, "T": 1024 * 1024 * 1024]
            if let last = number.last, let factor = units[last] {
                guard let value = Double(number.dropLast()), value >= 0 else { return nil }
                self = .kibibytes(Int(value * factor))
            } else {
                guard let bytes = Double(number), bytes >= 0 else { return nil }
                self = .kibibytes(Int((bytes / 1024).rounded(.up)))
            }
        }
    }

    func check(_ arguments: Arguments, context: CheckContext) async throws -> CheckResult {
        let vm = try context.vmExecutor()
        let path = try arguments.string("path")
        let minimumText = try arguments.string("min-free")
        guard let minimum = Minimum(minimumText) else {
            return .error("min-free: '\(minimumText)' is not a percentage (5%) or a size (100M)")
        }
        let output = try await vm.run(["df", "-P", "-k", "--", path], timeout: context.timeout)
        guard output.succeeded, let usage = Self.parse(output.standardOutput) else {
            return .error("df \(path) failed: \(output.standardError.trimmedLine)")
        }
        let total = usage.usedKiB + usage.availableKiB
        let freePercent = total == 0 ? 0 : Double(usage.availableKiB) * 100 / Double(total)
        let evidence = [
            "filesystem": usage.filesystem, "mounted-on": usage.mountPoint,
            "available-kib": String(usage.availableKiB), "size-kib": String(usage.sizeKiB),
            "free-percent": Self.format(freePercent), "min-free": minimumText,
        ]
        let enough: Bool =
            switch minimum {
            case .percent(let least): freePercent >= least
            case .kibibytes(let least): usage.availableKiB >= least
            }
        let facts =
            "\(Self.format(freePercent))% free (\(Self.size(usage.availableKiB)) of \(Self.size(usage.sizeKiB)))"
        if enough { return .pass("\(usage.mountPoint) has \(facts)", evidence: evidence) }
        return .fail("\(usage.mountPoint) has \(facts), below \(minimumText)", evidence: evidence)
    }

    struct Usage: Equatable {
        var filesystem: String
        var sizeKiB: Int
        var usedKiB: Int
        var availableKiB: Int
        var mountPoint: String
    }

    /// Reads the data line of `df -P -k` (POSIX format: one line per file system).
    static func parse(_ text: String) -> Usage? {
        guard let line = text.nonEmptyLines.dropFirst().first else { return nil }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 6, let size = Int(fields[1]), let used = Int(fields[2]), let available = Int(fields[3])
        else { return nil }
        return Usage(
            filesystem: fields[0], sizeKiB: size, usedKiB: used, availableKiB: available,
            mountPoint: fields[5...].joined(separator: " "))
    }

    static func format(_ percent: Double) -> String {
        percent >= 10 ? String(Int(percent.rounded())) : String(Double(Int(percent * 10)) / 10)
    }

    static func size(_ kibibytes: Int) -> String {
        let units = ["K", "M", "G", "T"]
        var value = Double(kibibytes)
        var index = 0
        while value >= 1024 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return value >= 10 || index == 0
            ? "\(Int(value.rounded()))\(units[index])" : "\(Double(Int(value * 10)) / 10)\(units[index])"
    }
}
