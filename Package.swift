// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
//
// Two worlds in one package (see README.md):
// - host tool modules (Foundation allowed), licensed Apache-2.0;
// - device modules (Embedded-safe Swift and C shims), licensed GPL-2.0-only OR MIT,
//   which also build as normal Swift so `swift test` exercises them.
// Each section below is owned by one area; keep edits inside your section.
import PackageDescription

let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")

var targets: [Target] = []

// MARK: - Host: configuration model and Xen configuration generation

targets += [
    .target(name: "DriverdomConfig", dependencies: [yams]),
    .target(name: "XenConfig", dependencies: ["DriverdomConfig"]),
    .testTarget(name: "DriverdomConfigTests", dependencies: ["DriverdomConfig"],
                resources: [.copy("Fixtures")]),
]

// MARK: - Host: build engine, target packages, cross toolchain

targets += [
    .target(name: "BuildEngine", dependencies: [crypto]),
]

// MARK: - Host: image assembly and flashing

targets += [
]

// MARK: - Host: command-line tool

targets += [
    .target(name: "DriverdomCLI", dependencies: [argumentParser, "DriverdomConfig", "XenConfig"]),
    .executableTarget(name: "driverdom", dependencies: ["DriverdomCLI"]),
]

// MARK: - Device: C shims

targets += [
    .target(name: "CLinux"),
]

// MARK: - Device: Xen backend core, simulator, protocols

targets += [
]

// MARK: - Device: init

targets += [
]

let package = Package(
    name: "driverdom",
    products: [
        .executable(name: "driverdom", targets: ["driverdom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: targets,
    swiftLanguageModes: [.v5]
)
