import Foundation
import Glibc
import RunbookActions
import RunbookCore
import RunbookRunner
import Testing

/// A folder with a stub `az` that records every call (`calls`), the argv of every process that
/// shows the secret (`leaks`), the argv of its own parent chain (`chain`), and what it read from a
/// `--password @FILE` (`password-seen`, `file-mode`, `dir-mode`, `file-path`). A file `logged-out`
/// makes `az account show` fail the way the real CLI does without a login.
struct StubAzure {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stub-az-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = #"""
            #!/bin/sh
            dir=$(dirname "$0")
            printf '%s\n' "$*" >>"$dir/calls"
            if [ -n "$NEW_PASSWORD_FILE" ]; then
                # Every process's argv, read with the secret as a pattern file (never as an argument).
                grep -l -a -F -f "$NEW_PASSWORD_FILE" /proc/[0-9]*/cmdline >>"$dir/leaks" 2>/dev/null
            fi
            pid=$$
            n=0
            while [ "$pid" -gt 1 ] && [ $n -lt 30 ]; do
                tr '\0' ' ' <"/proc/$pid/cmdline" >>"$dir/chain"; echo >>"$dir/chain"
                pid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")
                n=$((n + 1))
            done
            if [ "$1 $2" = "account show" ]; then
                if [ -f "$dir/logged-out" ]; then
                    echo "ERROR: Please run 'az login' to setup account." >&2
                    exit 1
                fi
                exit 0
            fi
            prev=
            for arg in "$@"; do
                if [ "$prev" = "--password" ]; then
                    file=${arg#@}
                    cat "$file" >"$dir/password-seen"
                    stat -c %a "$file" >"$dir/file-mode"
                    stat -c %a "$(dirname "$file")" >"$dir/dir-mode"
                    printf '%s' "$file" >"$dir/file-path"
                fi
                prev=$arg
            done
            exit 0
            """#
        let az = directory.appendingPathComponent("az")
        try script.write(to: az, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: az.path)
    }

    var path: String { directory.path + ":/usr/bin:/bin" }

    func read(_ name: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    func touch(_ name: String) {
        FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: Data())
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A runbook whose verify step always fails, with `steps` after it and the inputs fixes read.
private func fixRunbook(id: String = "fixes", _ steps: String, extraInputs: String = "") -> String {
    """
    ---
    id: \(id)
    title: Fixes
    inputs:
      vm: {description: VM name}
      marks: {description: file the fixes append to}
      new-password: {description: a secret, secret: true}
    \(extraInputs)
    verify: v
    ---
    # Fixes

    ## Verify {#v}

    ```check command run="false"
    ```

    \(steps)
    """
}

@Suite("Fixes")
struct FixTests {
    @Test("on=vm runs through the --vm executor (an exec:env prefix) and sees the inputs it reads")
    func onVMThroughPrefix() async throws {
        let text = fixRunbook(
            """
            ## In the VM {#in-vm}

            ```run sh on=vm
            echo "place=$RB_PLACE vm=$VM"
            ```
            """)
        let vm = PrefixExecutor(prefix: ["env", "RB_PLACE=inside-prefix"])
        let result = try await runRunbook(
            text, model: "any", options: RunOptions(inputs: ["vm": "vm1"], assumeYes: true, vm: vm, vmSpec: "exec:env"))
        let fix = try #require(result.events.first { $0.step == "in-vm" })
        #expect(fix.status == .done, "\(fix)")
        #expect(fix.evidence?["stdout"] == "place=inside-prefix vm=vm1\n")
        #expect(fix.evidence?["vm"] == "exec:env RB_PLACE=inside-prefix")
        #expect(fix.summary == "applied in the VM")

        // The same fix on the client does not go through the prefix.
        let client = try await runRunbook(
            text.replacingOccurrences(of: "run sh on=vm", with: "run sh on=client"), model: "any",
            options: RunOptions(inputs: ["vm": "vm1"], assumeYes: true, vm: vm))
        #expect(client.events.first { $0.step == "in-vm" }?.evidence?["stdout"] == "place= vm=vm1\n")
    }

    @Test(
        "on=vm through ip netns exec runs in that network namespace (needs root)",
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
                || getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/sbin/ip")))
    func onVMInNamespace() async throws {
        let name = "rb-t-fix-\(getpid())-\(UInt32.random(in: 0..<100_000))"
        do {
            // Inside the do: a timed-out add may still have created the namespace, which is deleted below.
            _ = try await ProcessRunner.run(["ip", "netns", "add", name], timeout: .seconds(30))
            let text = fixRunbook(
                """
                ## In the VM {#in-vm}

                ```run sh on=vm
                echo "$VM $(readlink /proc/self/ns/net)"
                ```
                """)
            let result = try await runRunbook(
                text, model: "any",
                options: RunOptions(
                    inputs: ["vm": "lab-vm"], assumeYes: true,
                    vm: PrefixExecutor(prefix: ["ip", "netns", "exec", name])))
            let inside = try await ProcessRunner.run(
                ["ip", "netns", "exec", name, "readlink", "/proc/self/ns/net"], timeout: .seconds(10))
            let here = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
            let stdout = result.events.first { $0.step == "in-vm" }?.evidence?["stdout"] ?? ""
            #expect(stdout == "lab-vm \(inside.standardOutput)")
            #expect(!stdout.contains(here), "the fix ran in this process's namespace \(here)")
        } catch {
            _ = try? await ProcessRunner.run(["ip", "netns", "delete", name], timeout: .seconds(30))
            throw error
        }
        _ = try? await ProcessRunner.run(["ip", "netns", "delete", name], timeout: .seconds(30))
    }

    @Test("without --vm an on=vm fix is skipped with the reason")
    func onVMWithoutVM() async throws {
        let text = fixRunbook("## In the VM {#in-vm}\n\n```run sh on=vm\ntouch \"$MARKS\"\n```\n")
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID())").path
        let result = try await runRunbook(
            text, model: "any", options: RunOptions(inputs: ["marks": marks], assumeYes: true))
        let fix = try #require(result.events.first { $0.step == "in-vm" })
        #expect(fix.status == .skipped)
        #expect(fix.reason?.hasPrefix("runs inside the VM: give --vm") == true)
        #expect(!FileManager.default.fileExists(atPath: marks))
        #expect(result.end.unchecked == [])
    }

    @Test(
        "a secret reaches az as a 0600 file in a 0700 folder, never in any process's argv, and the file is gone after")
    func secretNeverInArgv() async throws {
        let stub = try StubAzure()
        defer { stub.remove() }
        let secret = "pw-\(UUID().uuidString.prefix(12))"
        let text = fixRunbook(
            """
            ## Reset the password {#reset-password}

            ```run sh
            az vm user update --name "$VM" --password "@$NEW_PASSWORD_FILE"
            ```
            """)
        let result = try await runRunbook(
            text, model: "any",
            options: RunOptions(
                inputs: ["vm": "vm1", "new-password": secret], secretInputs: ["new-password"], assumeYes: true,
                environment: ["PATH": stub.path]))
        #expect(result.events.first { $0.step == "reset-password" }?.status == .done)
        #expect(stub.read("password-seen") == secret)
        #expect(stub.read("file-mode") == "600\n")
        #expect(stub.read("dir-mode") == "700\n")
        let file = try #require(stub.read("file-path"))
        #expect(!FileManager.default.fileExists(atPath: file), "the secret file outlived the fix")
        #expect(stub.read("leaks") ?? "" == "", "processes showing the secret: \(stub.read("leaks") ?? "")")
        let chain = try #require(stub.read("chain"))
        #expect(chain.contains("az vm user update") && chain.contains("sh -s"), "\(chain)")
        #expect(!chain.contains(secret))
        #expect(stub.read("calls")?.contains(secret) == false)
        let encoded = try result.events.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        #expect(!encoded.joined().contains(secret))

        // The control: a fix that does put the secret on az's command line is caught by the same scan.
        let leaky = try StubAzure()
        defer { leaky.remove() }
        _ = try await runRunbook(
            text.replacingOccurrences(of: "\"@$NEW_PASSWORD_FILE\"", with: "\"$NEW_PASSWORD\""), model: "any",
            options: RunOptions(
                inputs: ["vm": "vm1", "new-password": secret], secretInputs: ["new-password"], assumeYes: true,
                environment: ["PATH": leaky.path]))
        #expect(leaky.read("leaks")?.contains("/cmdline") == true, "the scan must see a secret in argv")
    }

    @Test("a fix reading a secret is refused through --vm az:, whose run-command puts the script in argv")
    func secretRefusedThroughRunCommand() async throws {
        let stub = try StubAzure()
        defer { stub.remove() }
        let text = fixRunbook("## Set it {#set-it}\n\n```run sh on=vm\nchpasswd <\"$NEW_PASSWORD_FILE\"\n```\n")
        let result = try await runRunbook(
            text, model: "any",
            options: RunOptions(
                inputs: ["new-password": "s3cret"], secretInputs: ["new-password"], assumeYes: true,
                vm: AzureRunCommandExecutor(resourceGroup: "rg", vm: "vm1"), environment: ["PATH": stub.path]))
        let fix = try #require(result.events.first { $0.step == "set-it" })
        #expect(fix.status == .refused)
        #expect(fix.reason?.contains("command-line argument of az run-command") == true)
        #expect(stub.read("calls") == nil)
    }

    @Test("fixes are offered in the order of the causes that name them, once per run, also across call")
    func causeOrderAndOnce() async throws {
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent("marks-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: marks) }
        let callee = Runbook.load(
            text: fixRunbook(
                id: "callee",
                """
                ## D {#d}

                ```check command run="false" fix=#callee-fix
                ```

                ## General again {#general}

                ```run sh
                echo general-again >>"$MARKS"
                ```

                ## Same script, other id {#same-script}

                ```run sh
                echo first  >>"$MARKS"
                ```

                ## Callee fix {#callee-fix}

                ```run sh
                echo callee >>"$MARKS"
                ```
                """), path: "callee.md"
        ).runbook
        let caller = fixRunbook(
            id: "caller",
            """
            ## A {#a}

            ```check command run="false" fix=#fix-second
            ```

            ## B {#b .symptom}

            ```check command run="false" fix=#fix-symptom
            ```

            ## C {#c}

            ```check command run="false" fix=#fix-first
            ```

            ## D {#d}

            ```check command run="true" fix=#fix-unneeded
            ```

            ## Fix first {#fix-first}

            ```run sh
            echo first >>"$MARKS"
            ```

            ## General {#general}

            ```run sh
            echo general >>"$MARKS"
            ```

            ## Fix symptom {#fix-symptom}

            ```run sh
            echo symptom >>"$MARKS"
            ```

            ## Unneeded {#fix-unneeded}

            ```run sh
            echo unneeded >>"$MARKS"
            ```

            ## Fix second {#fix-second}

            ```run sh
            echo second >>"$MARKS"
            ```

            ## Call {#call-it}

            ```call callee
            ```
            """)
        let prompter = ScriptedPrompter(consent: true)
        let result = try await runRunbook(
            caller, model: "any", options: RunOptions(inputs: ["marks": marks], interactive: true),
            prompter: prompter, knowledgeBase: ["callee": callee])
        #expect(prompter.asked == ["fix-second", "fix-first", "fix-symptom", "general", "callee-fix"])
        let written = try String(contentsOfFile: marks, encoding: .utf8)
        #expect(written == "second\nfirst\nsymptom\ngeneral\ncallee\n")
        let unneeded = try #require(result.events.first { $0.step == "fix-unneeded" })
        #expect(unneeded.status == .skipped)
        #expect(unneeded.reason == "not needed: it fixes what #d checks, which did not fail")
        #expect(
            result.events.first { $0.step == "callee/general" }?.reason == "already offered in this run as #general")
        #expect(
            result.events.first { $0.step == "callee/same-script" }?.reason
                == "already offered in this run as #fix-first")
        #expect(result.end.unchecked == [])
    }

    @Test("az missing from PATH, or az account show failing, skips az fixes with one line each; asked once per run")
    func missingTool() async throws {
        let text = fixRunbook(
            """
            ## Restart {#restart}

            ```run sh
            az vm restart --name "$VM"
            ```

            ## Redeploy {#redeploy}

            ```run sh
            az vm redeploy --name "$VM"
            ```

            ## Classic restart {#classic-restart}

            ```run sh
            azure vm restart "$VM"
            ```
            """)
        let stub = try StubAzure()
        defer { stub.remove() }
        stub.touch("logged-out")
        let loggedOut = try await runRunbook(
            text, model: "any",
            options: RunOptions(inputs: ["vm": "vm1"], assumeYes: true, environment: ["PATH": stub.path]))
        for id in ["restart", "redeploy"] {
            let fix = try #require(loggedOut.events.first { $0.step == id })
            #expect(fix.status == .skipped)
            #expect(
                fix.reason
                    == "'az account show' failed: ERROR: Please run 'az login' to setup account.; run 'az login' first")
        }
        #expect(stub.read("calls") == "account show -o none\n")
        let classic = try #require(loggedOut.events.first { $0.step == "classic-restart" })
        #expect(classic.reason?.hasPrefix("needs the classic Azure CLI 'azure', which is not on PATH") == true)
        #expect(loggedOut.events.filter { $0.event == .step && $0.status == .skipped }.count == 3)

        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-az-\(UUID())")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let missing = try await runRunbook(
            text, model: "any",
            options: RunOptions(
                inputs: ["vm": "vm1"], assumeYes: true, environment: ["PATH": empty.path + ":/usr/bin:/bin"]))
        #expect(
            missing.events.first { $0.step == "restart" }?.reason
                == "needs the Azure CLI 'az', which is not on PATH (install it, then run 'az login')")

        // Logged in: the fixes run, and account show was still asked only once.
        let loggedIn = try StubAzure()
        defer { loggedIn.remove() }
        let ran = try await runRunbook(
            text, model: "any",
            options: RunOptions(inputs: ["vm": "vm1"], assumeYes: true, environment: ["PATH": loggedIn.path]))
        #expect(ran.events.first { $0.step == "redeploy" }?.status == .done)
        #expect(loggedIn.read("calls") == "account show -o none\nvm restart --name vm1\nvm redeploy --name vm1\n")
    }

    @Test("the runner refuses a fix that would get an input as PATH, even when lint was ignored")
    func refusedVariable() async throws {
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID())").path
        let text = fixRunbook(
            "## Fix {#fix}\n\n```run sh\necho \"$PATH\" >\"$MARKS\"\n```\n",
            extraInputs: "  path: {description: a path}")
        let result = try await runRunbook(
            text, model: "any", options: RunOptions(inputs: ["path": "/tmp/evil", "marks": marks], assumeYes: true),
            lintClean: false)
        let fix = try #require(result.events.first { $0.step == "fix" })
        #expect(fix.status == .refused)
        #expect(fix.reason == "input 'path' would set the variable 'PATH', which changes how fixes run; rename it")
        #expect(!FileManager.default.fileExists(atPath: marks))
    }

    @Test("dry run and the consent prompt show the values given, secrets as ***; a dry run runs nothing")
    func valuesShown() async throws {
        let stub = try StubAzure()
        defer { stub.remove() }
        let secret = "pw-\(UUID().uuidString.prefix(8))"
        let text = fixRunbook(
            """
            ## Reset {#reset}

            ```run sh
            test -n "$NEW_PASSWORD" && az vm user update --name "${VM}" --password "@$NEW_PASSWORD_FILE" '$VM'
            ```
            """)
        let expected =
            #"test -n "***" && az vm user update --name "vm 1" --password "@$NEW_PASSWORD_FILE" '$VM'"# + "\n"
        let options = RunOptions(
            inputs: ["vm": "vm 1", "new-password": secret], secretInputs: ["new-password"], dryRun: true,
            environment: ["PATH": stub.path])
        let dry = try await runRunbook(text, model: "any", options: options)
        let fix = try #require(dry.events.first { $0.step == "reset" })
        #expect(fix.status == .skipped)
        #expect(fix.reason == "dry run: would run this sh fix on this computer")
        #expect(fix.script == expected)
        #expect(stub.read("calls") == nil, "a dry run called az: \(stub.read("calls") ?? "")")

        let prompter = ScriptedPrompter(consent: false)
        var asking = options
        asking.dryRun = false
        asking.interactive = true
        _ = try await runRunbook(text, model: "any", options: asking, prompter: prompter)
        #expect(prompter.scripts == [expected])
        #expect(stub.read("calls") == "account show -o none\n")
    }
}
