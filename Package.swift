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

// MARK: - Host: configuration model and loading (area: config)

targets += [
    .target(name: "DriverdomConfig", dependencies: [yams]),
    .testTarget(name: "DriverdomConfigTests", dependencies: ["DriverdomConfig"],
                resources: [.copy("Fixtures")]),
]

// MARK: - Host: Xen configuration generation (area: boards)

targets += [
    .target(name: "XenConfig", dependencies: ["DriverdomConfig"]),
]

// MARK: - Host: build engine and cache (area: engine)

targets += [
    .target(name: "BuildEngine", dependencies: [crypto]),
]

// MARK: - Host: target packages and cross toolchain (area: packages)

targets += [
]

// MARK: - Host: image assembly and flashing (area: image)

targets += [
]

// MARK: - Host: image build planning (area: build)

targets += [
]

// MARK: - Host: running images under QEMU (area: run)

targets += [
    .target(name: "QEMURunner"),
    .testTarget(name: "QEMURunnerTests", dependencies: ["QEMURunner"]),
    .testTarget(name: "InputProbeTests", dependencies: ["InputProbe"]),
    // Device-side probes of the end-to-end test (GPL-2.0-only OR MIT).
    .target(name: "InputProbe"),
    .executableTarget(name: "e2e-input-inject", dependencies: ["CLinux", "InputProbe"]),
    .executableTarget(name: "e2e-input-check", dependencies: ["CLinux", "InputProbe"]),
]

// MARK: - Host: command-line tool (area: config)

targets += [
    .target(name: "DriverdomCLI", dependencies: [argumentParser, "DriverdomConfig", "XenConfig"]),
    .executableTarget(name: "driverdom", dependencies: ["DriverdomCLI"]),
]

// MARK: - Device: C shims (CLinux is shared: add new header files, do not edit others')

targets += [
    .target(name: "CLinux"),
]

// MARK: - Device: Xen backend core, simulator, protocols, backends (area: xencore)

targets += [
]

// MARK: - Device: init (area: init)

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
