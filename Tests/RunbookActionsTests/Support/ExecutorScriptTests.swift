import Foundation
import RunbookActions
import Testing

/// `Executor.runScript`: how a fix reaches the VM (ScriptPayload).
@Suite("Executor.runScript")
struct ExecutorScriptTests {
    @Test("ssh: script, environment and secret file travel on stdin to a real sshd; the exit code comes back")
    func overSSH() async throws {
        let server = try await TestSSHServer.start()
        defer { server.stop() }
        let executor = SSHExecutor(
            destination: "root@127.0.0.1", port: server.port,
            options: [
                "-i", server.clientKey, "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=\(server.knownHosts)",
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=accept-new",
            ])
        let output = try await executor.runScript(
            "echo \"vm=$VM\"\ncat \"$PW_FILE\"; echo\nstat -c %a \"$PW_FILE\" \"$(dirname \"$PW_FILE\")\"\nexit 7\n",
            shell: "sh", environment: ["VM": "vm 'one'"], files: ["PW_FILE": "it's s3cret"], timeout: .seconds(30))
        #expect(output.exitCode == 7, "\(output)")
        #expect(output.standardOutput == "vm=vm 'one'\nit's s3cret\n600\n700\n")
    }

    @Test("a command of the fix that reads stdin cannot swallow the script's later lines; files are gone afterwards")
    func stdinIsNotTheScript() async throws {
        for executor in [LocalExecutor() as any Executor, PrefixExecutor(prefix: ["env"])] {
            let output = try await executor.runScript(
                "cat\necho after\nprintf '%s' \"$F\"\n", shell: "sh", environment: [:], files: ["F": "x"],
                timeout: .seconds(20))
            #expect(output.standardOutput.hasPrefix("after\n"), "\(executor): \(output)")
            let path = String(output.standardOutput.dropFirst("after\n".count))
            #expect(path.hasSuffix("/0"))
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) outlived the script")
        }
    }

    @Test("az run-command says its script travels in argv; the others do not")
    func argvFlag() {
        #expect(AzureRunCommandExecutor(resourceGroup: "rg", vm: "vm").scriptTravelsInArgv)
        #expect(!LocalExecutor().scriptTravelsInArgv)
        #expect(!PrefixExecutor(prefix: ["env"]).scriptTravelsInArgv)
        #expect(!SSHExecutor(destination: "h").scriptTravelsInArgv)
    }
}
