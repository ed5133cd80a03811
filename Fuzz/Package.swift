// swift-tools-version: 6.2
// libFuzzer targets for runbook's parsers (issue #13). Build and run with `Fuzz/run TARGET SECONDS`;
// the targets need `-sanitize=fuzzer,address`, so they live apart from the main build.
import PackageDescription

let targets = ["attributes", "fence-info", "front-matter", "legacy-metadata", "loader", "sanitizer", "run-log"]

let package = Package(
    name: "runbook-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "runbook", path: "..")],
    targets: [.target(name: "FuzzDriver")]
        + targets.map { name in
            .executableTarget(
                name: "fuzz-\(name)",
                dependencies: ["FuzzDriver", .product(name: "RunbookLibraries", package: "runbook")],
                path: "Sources/\(name)"
            )
        }
)
