import Foundation
import Testing

@testable import RunbookActions

/// Serial console lines as Azure's boot diagnostics shows them, and the pattern each must raise
/// (nil: a line that must not match anything).
let bootLines: [(String, String?)] = [
    ("[    3.318213] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)", "kernel-panic"),
    (
        "[    3.320117] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100 ]---",
        "kernel-panic"
    ),
    ("/dev/sda1: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.", "fsck-needs-input"),
    ("The root filesystem on /dev/sda1 requires a manual fsck", "fsck-needs-input"),
    ("[    5.102931] systemd-fsck[402]: fsck exited with status code 4", "fsck-needs-input"),
    (
        "[\u{1B}[0;1;31mFAILED\u{1B}[0m] Failed to start File System Check on /dev/disk/by-uuid/3c1f8b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f.",
        "fsck-needs-input"
    ),
    ("You are in emergency mode. After logging in, type \"journalctl -xb\" to view", "emergency-mode"),
    ("Welcome to emergency mode! After logging in, type \"journalctl -xb\" to view system logs,", "emergency-mode"),
    ("Give root password for maintenance", "emergency-mode"),
    ("[DEPEND] Dependency failed for Local File Systems.", "emergency-mode"),
    (
        "[  188.504318] dracut-initqueue[348]: Warning: dracut-initqueue timeout - starting timeout scripts",
        "emergency-mode"
    ),
    ("[   12.004011] cloud-init[733]: OSError: [Errno 28] No space left on device", "out-of-disk"),
    ("[   14.210456] rsyslogd[701]: file '/var/log/syslog': write error: No space left on device", "out-of-disk"),
    ("[    8.412906] sshd[903]: sshd: no hostkeys available -- exiting.", "sshd-no-host-keys"),
    ("sshd: no hostkeys available -- exiting.", "sshd-no-host-keys"),
    ("[FAILED] Failed to start OpenBSD Secure Shell server.", "sshd-failed"),
    ("[FAILED] Failed to start OpenSSH server daemon.", "sshd-failed"),
    ("[    9.014101] systemd[1]: ssh.service: Main process exited, code=exited, status=255/EXCEPTION", "sshd-failed"),
    ("[FAILED] Failed to start Initial cloud-init job (metadata service crawler).", "cloud-init-failed"),
    ("[FAILED] Failed to start Apply the settings specified in cloud-config.", "cloud-init-failed"),
    (
        "[   31.117042] cloud-init[741]: 2026-11-29 03:58:31,117 - util.py[WARNING]: Failed running /var/lib/cloud/scripts/per-boot/x [CRITICAL]",
        "cloud-init-failed"
    ),
    ("[   12.331201] cloud-init[741]: Traceback (most recent call last):", "cloud-init-failed"),
    ("[FAILED] Failed to start Azure Linux Agent.", "agent-failed"),
    (
        "[   40.412003] systemd[1]: walinuxagent.service: Main process exited, code=exited, status=1/FAILURE",
        "agent-failed"
    ),
    ("[   40.412113] systemd[1]: waagent.service: Failed with result 'exit-code'.", "agent-failed"),
    // Lines that must not match:
    (
        "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.5.0-1025-azure root=PARTUUID=8d6a ro console=ttyS0 earlyprintk=ttyS0 panic=-1",
        nil
    ),
    ("[    0.000000] Kernel command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-1057-azure panic=1", nil),
    ("[  OK  ] Finished File System Check on Root Device.", nil),
    ("[    2.911204] systemd-fsck[512]: cloudimg-rootfs: clean, 81044/3870720 files, 1011011/7864064 blocks", nil),
    ("[  OK  ] Started OpenBSD Secure Shell server.", nil),
    (
        "[    9.880172] cloud-init[1002]: Cloud-init v. 24.1.3-0ubuntu1~22.04.5 finished at Fri, 29 Nov 2026 03:58:09 +0000. Datasource DataSourceAzure [seed=/dev/sr0].  Up 9.87 seconds",
        nil
    ),
    ("[  OK  ] Finished Initial cloud-init job (metadata service crawler).", nil),
    ("[  OK  ] Started Azure Linux Agent.", nil),
    ("[    1.882341] EXT4-fs (sda1): mounted filesystem 5b1e4a0c ro with ordered data mode. Quota mode: none.", nil),
    ("[    9.004388] cloud-init[958]: ci-info: no authorized SSH keys fingerprints found for user azureuser.", nil),
    ("         Starting emergency.service - Emergency Shell...", nil),
    ("Ubuntu 22.04.5 LTS vm1 ttyS0", nil),
    ("[   10.120333] sshd[1021]: Server listening on 0.0.0.0 port 22.", nil),
]

@Suite("boot log scanner")
struct BootLogScannerTests {
    @Test("each pattern on real-looking serial lines; benign lines match nothing", arguments: bootLines)
    func line(_ text: String, pattern: String?) {
        let log =
            "[    0.000000] Linux version 6.5.0-1025-azure (buildd@lcy02-amd64-050) #26~22.04.1-Ubuntu SMP\n\(text)\n"
        let matches = BootLogScanner.scan(log)
        #expect(matches.map(\.pattern) == (pattern.map { [$0] } ?? []), "\(text)")
        if let first = matches.first {
            #expect(first.lineNumber == 2)
            #expect(!first.line.contains("\u{1B}"), "ANSI codes are removed from the evidence")
        }
    }

    @Test("the fixtures' serial logs: healthy passes, no host keys fails naming the line")
    func fixtures() throws {
        let directory = repositoryRoot + "/Tests/Support/az-stub/fixtures"
        let healthy = try String(contentsOfFile: directory + "/healthy/boot-logs/rg1/vm1.log", encoding: .utf8)
        #expect(AzureBootDiagnostics.judge(healthy).status == .pass)
        let broken = try String(contentsOfFile: directory + "/boot-no-host-keys/boot-logs/rg1/vm1.log", encoding: .utf8)
        let result = AzureBootDiagnostics.judge(broken)
        #expect(result.status == .fail)
        #expect(result.evidence["pattern"] == "sshd-no-host-keys")
        #expect(result.evidence["line"] == "line 21: [    8.412906] sshd[903]: sshd: no hostkeys available -- exiting.")
        #expect(result.evidence["matched"] == "sshd-no-host-keys,sshd-failed")
        #expect(result.finding?.hasPrefix("sshd has no host keys") == true)
    }

    @Test("only the last boot counts, and a later sshd start clears an sshd failure")
    func lastBoot() {
        let banner = "[    0.000000] Linux version 6.5.0-1025-azure (buildd@lcy02) #26~22.04.1-Ubuntu SMP"
        let earlier =
            "\(banner)\n[    3.3] Kernel panic - not syncing: VFS: Unable to mount root fs\n\(banner)\n[  OK  ] Started OpenBSD Secure Shell server.\n"
        #expect(BootLogScanner.scan(earlier).isEmpty)
        let recovered =
            "\(banner)\n[    8.4] sshd[903]: sshd: no hostkeys available -- exiting.\n[  120.1] sshd[1893]: Server listening on 0.0.0.0 port 22.\n"
        #expect(BootLogScanner.scan(recovered).isEmpty)
        #expect(AzureBootDiagnostics.judge("\n\n").status == .error)
    }
}
