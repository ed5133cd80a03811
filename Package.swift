// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "runbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        // For the libFuzzer targets of Fuzz/ (a separate package that depends on this one by path).
        .library(name: "RunbookLibraries", targets: ["RunbookMarkdown", "RunbookCore", "RunbookSite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(
            name: "RunbookMarkdown",
            dependencies: ["CCmark", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookCore",
            dependencies: ["RunbookMarkdown"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookActions",
            dependencies: [
                "RunbookCore", "RunbookMarkdown", .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookRunner",
            dependencies: ["RunbookCore", "RunbookActions", "RunbookMarkdown"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookKB",
            dependencies: ["RunbookCore", "RunbookMarkdown", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookSite",
            dependencies: ["RunbookCore", "RunbookMarkdown", "RunbookKB"],
            swiftSettings: swiftSettings
        ),
        // The one entry for every client of the engine (the CLI, a server, fleet runs): requests in, events out.
        .target(
            name: "RunbookApp",
            dependencies: [
                "RunbookCore", "RunbookMarkdown", "RunbookActions", "RunbookRunner", "RunbookSite", "RunbookKB",
            ],
            swiftSettings: swiftSettings
        ),
        // mallopt for Swift (malloc.h has no Swift module): see Sources/runbook/MallocTuning.swift.
        .target(name: "CRunbookMalloc"),
        .executableTarget(
            name: "runbook",
            dependencies: [
                "CRunbookMalloc", "RunbookApp", "RunbookCore", "RunbookRunner", "RunbookSite", "RunbookKB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the test suites share: temporary folders, a real test sshd, loopback ports, the CLI runner.
        .target(
            name: "RunbookTestSupport",
            dependencies: ["RunbookActions"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookMarkdownTests",
            dependencies: ["RunbookMarkdown", "RunbookTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookCoreTests",
            dependencies: ["RunbookCore", "RunbookActions", "RunbookMarkdown", "RunbookTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookActionsTests",
            dependencies: ["RunbookActions", "RunbookTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookRunnerTests",
            dependencies: ["RunbookRunner", "RunbookActions", "RunbookCore", "RunbookTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookSiteTests",
            dependencies: [
                "RunbookSite", "RunbookCore", "RunbookMarkdown", "RunbookActions", "RunbookKB", "RunbookTestSupport",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookKBTests",
            dependencies: [
                "RunbookKB", "RunbookCore", "RunbookTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["relevance-queries.tsv"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookAppTests",
            dependencies: [
                "RunbookApp", "RunbookRunner", "RunbookCore", "RunbookActions", "RunbookKB", "RunbookTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookCLITests",
            dependencies: ["RunbookActions", "RunbookTestSupport"],
            exclude: ["Golden"],  // expected outputs, read from the source tree
            swiftSettings: swiftSettings
        ),
    ]
)
