import Foundation
// Temporary folders and the rest of the shared test support, for every file here.
@_exported import RunbookTestSupport

@testable import RunbookKB

let repositoryRoot = URL(fileURLWithPath: Repository.root)

/// A folder under the system's temporary folder, removed by the test.
typealias Scratch = TemporaryDirectory

extension TemporaryDirectory {
    /// A folder `runbook-kb-XXXXXX`.
    init() throws { try self.init("runbook-kb") }

    /// The Markdown files in the folder and below it, sorted.
    func files() -> [String] {
        (FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".md") }.sorted().map { path + "/" + $0 }
    }
}

/// A small runbook: two models, a section with two steps, one step declaring the messages it explains.
let sampleRunbook = """
    ---
    id: ssh-sample
    title: Troubleshoot SSH logins
    keywords: [ssh, login]
    models: {arm: Resource Manager, classic: Classic}
    verify: log-in
    ---
    # Troubleshoot SSH logins

    Finds why a login fails.

    ## Log in {#log-in .symptom}

    ```check tcp-connect host=example.com port=22
    ```

    ## Network {#network}

    What lies between you and the server.

    ### The port answers {#port explains="Connection refused|No route to host"}

    Something must listen on the port and no firewall may reject the packets.

    ```check tcp-connect host=example.com port=22 finding="Nothing answers on the port"
    ```

    ### Network security group {#nsg model=arm}

    The rules of the network security group decide which packets reach the virtual machine.

    """

let sampleArticle = """
    <properties pageTitle="Troubleshoot refused connections to a web app" description="When a browser says the connection was refused." services="app-service" />

    # Troubleshoot refused connections to a web app

    A browser that reports that the connection was refused reached nothing on the port.
    Check the application settings, then restart the app.

    ## Restart the web app

    Restart it from the portal. Connection problems often go away after a restart of the worker process.

    """
