// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "stoicprov",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stoicprov", targets: ["stoicprov"])
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),

        // MARK: - Pipeline: parse → validate → observe → plan → apply
        .target(name: "Spec", dependencies: ["CYAML"]),
        .target(name: "Planner", dependencies: ["Spec"]),
        .target(name: "Apply", dependencies: ["Planner", "Spec"]),

        // MARK: - Emulated live systems
        .target(name: "Sandbox", dependencies: ["Spec"]),

        // MARK: - Command line
        .executableTarget(name: "stoicprov", dependencies: ["Spec", "Planner", "Apply", "Sandbox"]),

        // MARK: - Test support and tests
        .target(name: "TestSupport", dependencies: ["Spec", "Sandbox", "Apply"]),
        .testTarget(
            name: "SpecTests", dependencies: ["Spec", "Sandbox", "TestSupport"],
            resources: [.copy("Fixtures"), .copy("Snapshots")]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "ApplyTests", dependencies: ["Apply", "Sandbox", "TestSupport"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "TestSupport"]),
        .testTarget(
            name: "CLITests", dependencies: ["TestSupport", "Spec", "Planner", "Apply", "Sandbox", "stoicprov"],
            exclude: ["Snapshots"]),
    ]
)

let sharedSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSettings
}
