import Testing

@testable import RunbookActions

@Suite("disk-free")
struct DiskFreeTests {
    @Test(
        "reads minimums",
        arguments: [
            ("5%", DiskFree.Minimum.percent(5)), ("100M", .kibibytes(102_400)), ("2G", .kibibytes(2_097_152)),
            ("512K", .kibibytes(512)), ("1GiB", .kibibytes(1_048_576)), ("2048", .kibibytes(2)),
        ])
    func minimums(text: String, expected: DiskFree.Minimum) {
        #expect(DiskFree.Minimum(text) == expected)
    }

    @Test("rejects bad minimums", arguments: ["abc", "150%", "-5M", "M"])
    func badMinimums(text: String) {
        #expect(DiskFree.Minimum(text) == nil)
    }

    @Test("parses df -P -k output")
    func parses() {
        let text = """
            Filesystem     1024-blocks     Used Available Capacity Mounted on
            /dev/sda1         41152736 38914124    125028     100% /
            """
        #expect(
            DiskFree.parse(text)
                == DiskFree.Usage(
                    filesystem: "/dev/sda1", sizeKiB: 41_152_736, usedKiB: 38_914_124, availableKiB: 125_028,
                    mountPoint: "/"))
    }

    /// A 4 MiB tmpfs, 3 MiB of it filled, in a mount namespace of its own (needs root).
    func withSmallFileSystem(_ body: (PrefixExecutor, String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("rb-df")
        defer { directory.remove() }
        let script =
            #"mount -t tmpfs -o size=4m tmpfs "$1" && dd if=/dev/zero of="$1/fill" bs=1024 count=3072 status=none && shift && exec "$@""#
        let executor = PrefixExecutor(prefix: ["unshare", "-m", "sh", "-c", script, "sh", directory.path])
        try await body(executor, directory.path)
    }

    @Test("passes and fails on a real, nearly full file system")
    func realFileSystem() async throws {
        try await withSmallFileSystem { executor, path in
            let context = CheckContext(timeout: testTimeout, vm: executor)
            let enough = await DiskFree().run(["path": path, "min-free": "10%"], context: context)
            #expect(enough.status == .pass, "\(enough)")
            #expect(enough.evidence["size-kib"] == "4096")
            let percent = await DiskFree().run(["path": path, "min-free": "50%"], context: context)
            #expect(percent.status == .fail, "\(percent)")
            #expect(percent.summary == "\(path) has 25% free (1.0M of 4.0M), below 50%")
            let size = await DiskFree().run(["path": path, "min-free": "2M"], context: context)
            #expect(size.status == .fail, "\(size)")
        }
    }

    @Test("a bad minimum or a missing path is an error")
    func errors() async {
        let bad = await DiskFree().run(["min-free": "lots"], context: localVM())
        #expect(bad.status == .error)
        let missing = await DiskFree().run(["path": "/no/such/dir"], context: localVM())
        #expect(missing.status == .error)
    }
}
