// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
// Cross-compile probe: the tests copy the repository's Sources/CLinux next to these
// targets and build them with the generated Swift SDK for each target architecture.
import PackageDescription

let package = Package(
    name: "CrossProbe",
    targets: [
        .target(name: "CLinux"),
        .target(name: "CXenStoreProbe", linkerSettings: [.linkedLibrary("xenstore")]),
        .executableTarget(name: "hello", dependencies: ["CLinux"]),
        .executableTarget(name: "xsprobe", dependencies: ["CLinux", "CXenStoreProbe"]),
    ]
)
