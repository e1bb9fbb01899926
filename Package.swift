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
        .target(name: "Live", dependencies: ["Planner", "Spec"]),
        .target(name: "Apply", dependencies: ["Live", "Planner", "Spec"]),

        // MARK: - Composing commands, and what people read
        .target(name: "Operations", dependencies: ["Apply", "Live", "Planner", "Sandbox", "Spec"]),
        .target(name: "Views", dependencies: ["Operations", "Apply", "Live", "Planner", "Spec"]),

        // MARK: - Emulated live systems
        .target(name: "Sandbox", dependencies: ["Spec"]),

        // MARK: - Command line
        .executableTarget(
            name: "stoicprov", dependencies: ["Spec", "Planner", "Live", "Apply", "Operations", "Views", "Sandbox"]),

        // MARK: - Test support and tests
        .target(name: "TestSupport", dependencies: ["Spec", "Sandbox", "Live"]),
        .testTarget(
            name: "SpecTests", dependencies: ["Spec", "Sandbox", "TestSupport"],
            resources: [.copy("Fixtures"), .copy("Snapshots")]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Views", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "LiveTests", dependencies: ["Live", "Operations", "Planner", "Sandbox", "TestSupport"]),
        .testTarget(name: "ApplyTests", dependencies: ["Apply", "Live", "Operations", "Sandbox", "TestSupport"]),
        .testTarget(name: "OperationsTests", dependencies: ["Operations", "Live", "Views", "Sandbox", "TestSupport"]),
        .testTarget(name: "ViewsTests", dependencies: ["Views", "Planner", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "TestSupport"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", "Spec", "Planner", "Live", "Apply", "Operations", "Views", "Sandbox", "stoicprov"],
            exclude: ["Snapshots"]),
    ]
)

let sharedSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSettings
}
