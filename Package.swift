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

// MARK: - Host: licenses, license policy evaluation and SPDX documents (area: licensing)

targets += [
    .target(name: "Licensing", dependencies: ["DebianPackages", crypto]),
    .testTarget(name: "LicensingTests", dependencies: ["Licensing"]),
]

// MARK: - Host: configuration model and loading (area: config)

targets += [
    .target(name: "DriverdomConfig", dependencies: [yams, "Licensing"]),
    .testTarget(name: "DriverdomConfigTests", dependencies: ["DriverdomConfig", "Licensing"],
                resources: [.copy("Fixtures")]),
]

// MARK: - Host: Xen configuration generation (area: boards)

targets += [
    .target(name: "XenConfig", dependencies: ["DriverdomConfig", "ImageFormats", "BuildEngine"]),
    .testTarget(name: "XenConfigTests", dependencies: ["XenConfig", "DriverdomConfig"],
                resources: [.copy("Fixtures")]),
]

// MARK: - Host: build engine and cache (area: engine)

targets += [
    .target(name: "CGlibcGNU"),
    // Fork/exec and signal traps in C; BuildEngine's ChildProcess starts every host-side child with it.
    .target(name: "CProcessControl"),
    .target(name: "BuildEngine", dependencies: [crypto, "CGlibcGNU", "CProcessControl"]),
    .executableTarget(name: "engine-harness", dependencies: ["BuildEngine"]),
    .executableTarget(name: "engine-bench", dependencies: ["BuildEngine"]),
    .testTarget(name: "BuildEngineTests", dependencies: ["BuildEngine", "engine-harness"]),
]

// MARK: - Host: target packages and cross toolchain (area: packages)

targets += [
    .target(name: "DebianPackages", dependencies: [crypto, "BuildEngine"]),
    .target(name: "CrossToolchain", dependencies: ["DebianPackages"]),
    // A signed file:// archive made by tests (throwaway key), for lock and fetch tests.
    .target(name: "DebianArchiveFixture", dependencies: ["DebianPackages"], path: "Tests/Support/DebianArchiveFixture"),
    .testTarget(name: "DebianPackagesTests", dependencies: ["DebianPackages", "DebianArchiveFixture"]),
    .testTarget(name: "CrossToolchainTests", dependencies: ["CrossToolchain", "DebianPackages", "DriverdomBuild"],
                exclude: ["Fixtures"]),
]

// MARK: - Host: image assembly and flashing (area: image)

targets += [
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .target(name: "RootfsAssembly", dependencies: [crypto]),
    .target(name: "ImageFormats", dependencies: ["RootfsAssembly", "CZlib", "BuildEngine", crypto]),
    .target(name: "Flash", dependencies: ["ImageFormats", crypto]),
    .executableTarget(name: "driverdom-flash-bench", dependencies: ["Flash", "ImageFormats"]),
    .testTarget(name: "ImageFormatsTests", dependencies: ["RootfsAssembly", "ImageFormats", "XenConfig"]),
    .testTarget(name: "FlashTests", dependencies: ["Flash", "ImageFormats"]),
]

// MARK: - Host: image build planning (area: build)

targets += [
    .target(name: "DriverdomBuild", dependencies: [crypto, "DriverdomConfig", "Licensing", "BuildEngine", "DebianPackages", "CrossToolchain", "DomDInit", "RootfsAssembly", "ImageFormats", "XenConfig"]),
    .testTarget(name: "DriverdomBuildTests", dependencies: ["DriverdomBuild", "RootfsAssembly", "SndIf", "KbdIf", "DisplIf", "UsbIf",
                                                          "XenCore", "driverdom", "Licensing",
                                                          "DebianArchiveFixture"]),
]

// MARK: - Host: running images under QEMU (area: run)

targets += [
    .target(name: "QEMURunner", dependencies: ["BuildEngine", "CProcessControl"]),
    // Runs a console program the way `driverdom run` runs QEMU (terminal, signals), for QEMURunnerTests.
    .executableTarget(name: "emulator-harness", dependencies: ["QEMURunner"]),
    // Tests drive interactive commands through a terminal (tmux) with it.
    .target(name: "TerminalHarness", dependencies: ["BuildEngine"]),
    .testTarget(name: "QEMURunnerTests", dependencies: ["QEMURunner", "emulator-harness", "TerminalHarness"]),
    .testTarget(name: "InputProbeTests", dependencies: ["InputProbe"]),
    // Device-side probes of the end-to-end test (GPL-2.0-only OR MIT).
    .target(name: "InputProbe"),
    .target(name: "ProbeSupport", dependencies: ["CLinux"]),
    .executableTarget(name: "e2e-input-inject", dependencies: ["CLinux", "InputProbe"]),
    .executableTarget(name: "e2e-input-check", dependencies: ["CLinux", "InputProbe", "ProbeSupport"]),
    // driverdom run/test: session initramfs, probes, per-layer verdicts.
    .target(name: "SystemTest", dependencies: ["QEMURunner", "BuildEngine", "DriverdomBuild", "DriverdomConfig", "DomDInit",
                                               "XenConfig", "CrossToolchain", "DebianPackages", "RootfsAssembly"]),
    .testTarget(name: "SystemTestTests", dependencies: ["SystemTest", "QEMURunner", "DriverdomBuild", "DriverdomConfig",
                                                        "BuildEngine", "CrossToolchain", "TerminalHarness", "driverdom"]),
]

// MARK: - Host: command-line tool (area: config)

targets += [
    .target(name: "DriverdomCLI", dependencies: [argumentParser, "DriverdomConfig", "Licensing", "DebianPackages", "XenConfig", "DriverdomBuild", "Flash", "QEMURunner", "SystemTest"]),
    .executableTarget(name: "driverdom", dependencies: ["DriverdomCLI"]),
    .testTarget(name: "DriverdomCLITests", dependencies: ["driverdom", "DriverdomConfig"]),
]

// MARK: - Device: C shims (CLinux is shared: add new header files, do not edit others')

targets += [
    .target(name: "CLinux", linkerSettings: [.linkedLibrary("m")]),  // libm: clinux_math.h
    .target(name: "CXen", linkerSettings: [
        .linkedLibrary("xenstore"), .linkedLibrary("xengnttab"), .linkedLibrary("xenevtchn"),
    ]),
]

// MARK: - Device: Xen backend core, simulator, protocols, backends (area: xencore)

targets += [
    .target(name: "XenCore", dependencies: ["CLinux"]),
    .target(name: "XenSimulator", dependencies: ["XenCore", "CLinux"]),
    .target(name: "XenLinux", dependencies: ["XenCore", "CXen", "CLinux"]),
    .target(name: "KbdIf", dependencies: ["XenCore", "CLinux"]),
    .target(name: "KbdIfSimulation", dependencies: ["KbdIf", "XenSimulator", "XenCore", "CLinux"]),
    .target(name: "EvdevInput", dependencies: ["KbdIf", "CLinux"]),
    .executableTarget(name: "kbdif-backend", dependencies: ["KbdIf", "EvdevInput", "XenLinux", "XenCore", "CXen"]),
    .executableTarget(name: "xencore-selftest", dependencies: ["KbdIfSimulation", "KbdIf", "XenSimulator", "XenCore", "CLinux"]),
    .executableTarget(name: "kbdif-bench", dependencies: ["KbdIfSimulation", "KbdIf", "XenSimulator", "XenCore", "CXen", "CLinux"],
                      path: "Benchmarks/kbdif-bench"),
    .executableTarget(name: "flood-bench", dependencies: ["KbdIfSimulation", "KbdIf", "SndIfSimulation", "SndIf", "XenSimulator",
                                                      "XenCore", "CLinux"],
                      path: "Benchmarks/flood-bench"),
    // Serves nothing through BackendProcess until a stop signal, for XenCoreTests' StopSignalTests.
    .executableTarget(name: "backend-stop-harness", dependencies: ["XenLinux", "XenCore", "CXen", "CLinux"]),
    .testTarget(name: "XenCoreTests", dependencies: ["XenCore", "XenSimulator", "XenLinux", "CXen", "CLinux", "backend-stop-harness"],
                exclude: ["embedded-check.sh"]),
    .testTarget(name: "KbdIfTests", dependencies: ["KbdIf", "KbdIfSimulation", "XenSimulator", "XenCore", "EvdevInput", "CXen", "CLinux"]),
]

// MARK: - Device: sndif protocol and ALSA backend (area: sndif)

targets += [
    .target(name: "CALSA", linkerSettings: [.linkedLibrary("asound")]),
    .target(name: "CSndIfWire"),
    .target(name: "SndIf", dependencies: ["XenCore", "CLinux"]),
    .target(name: "SndIfSimulation", dependencies: ["SndIf", "XenSimulator", "XenCore", "CLinux"]),
    .target(name: "ALSAPCM", dependencies: ["SndIf", "CALSA", "CLinux"]),
    .executableTarget(name: "sndif-backend", dependencies: ["SndIf", "ALSAPCM", "XenLinux", "XenCore", "CXen", "CLinux"]),
    .executableTarget(name: "sndif-bench", dependencies: ["SndIfSimulation", "SndIf", "XenSimulator", "XenCore", "CXen", "CLinux"],
                      path: "Benchmarks/sndif-bench"),
    .testTarget(name: "SndIfTests", dependencies: ["SndIf", "SndIfSimulation", "ALSAPCM", "XenSimulator", "XenCore", "CALSA", "CSndIfWire", "CLinux"],
                exclude: ["embedded-check.sh"]),
]

// MARK: - Device: displif protocol and DRM/KMS backend (area: displif)

targets += [
    .target(name: "CDRM", linkerSettings: [.linkedLibrary("drm")]),
    .target(name: "CDisplIfWire"),
    .target(name: "DisplIf", dependencies: ["XenCore", "CLinux"]),
    .target(name: "DisplIfSimulation", dependencies: ["DisplIf", "XenSimulator", "XenCore", "CLinux"]),
    .target(name: "DRMDisplay", dependencies: ["DisplIf", "CDRM", "CLinux"]),
    .executableTarget(name: "displif-backend", dependencies: ["DisplIf", "DRMDisplay", "XenLinux", "XenCore", "CXen", "CLinux"]),
    .executableTarget(name: "displif-bench", dependencies: ["DisplIfSimulation", "DisplIf", "XenSimulator", "XenCore", "CXen", "CLinux"],
                      path: "Benchmarks/displif-bench"),
    .testTarget(name: "DisplIfTests", dependencies: ["DisplIf", "DisplIfSimulation", "DRMDisplay", "XenSimulator", "XenCore",
                                                      "CDisplIfWire", "CDRM", "CLinux"],
                exclude: ["embedded-check.sh"]),
]

// MARK: - Device: usbif protocol and libusb backend (area: usbif)

targets += [
    .target(name: "CUSB", linkerSettings: [.linkedLibrary("usb-1.0")]),
    .target(name: "CUsbIfWire"),
    .target(name: "UsbIf", dependencies: ["XenCore", "CLinux"]),
    .target(name: "UsbIfSimulation", dependencies: ["UsbIf", "XenSimulator", "XenCore", "CLinux"]),
    .target(name: "LibUSBHost", dependencies: ["UsbIf", "CUSB", "CLinux"]),
    .executableTarget(name: "usbif-backend", dependencies: ["UsbIf", "LibUSBHost", "XenLinux", "XenCore", "CXen", "CLinux"]),
    .executableTarget(name: "usbif-bench", dependencies: ["UsbIfSimulation", "UsbIf", "XenSimulator", "XenCore", "CXen", "CLinux"],
                      path: "Benchmarks/usbif-bench"),
    .testTarget(name: "UsbIfTests", dependencies: ["UsbIf", "UsbIfSimulation", "LibUSBHost", "XenSimulator", "XenCore", "CUSB", "CUsbIfWire", "CLinux",
                                                 "usbif-backend"],
                exclude: ["embedded-check.sh"]),
]

// MARK: - Device: init (area: init)

targets += [
    .target(name: "DomDInit", dependencies: ["CLinux"]),
    .executableTarget(name: "driverdom-init", dependencies: ["DomDInit"]),
    .testTarget(name: "DomDInitTests", dependencies: ["DomDInit", "CLinux"], exclude: ["embedded-check.sh"]),
]

// MARK: - Device: sndif end-to-end probe (area: sndif-e2e; GPL-2.0-only OR MIT)

targets += [
    .target(name: "SoundProbe"),
    .executableTarget(name: "e2e-sound-probe", dependencies: ["CLinux", "SoundProbe", "ProbeSupport"]),
    .testTarget(name: "SoundProbeTests", dependencies: ["SoundProbe"]),
]

// MARK: - Device: usbif isochronous end-to-end device (area: usbif-e2e; GPL-2.0-only OR MIT)

targets += [
    .target(name: "UsbIpAudio", dependencies: ["SoundProbe"]),
    .executableTarget(name: "e2e-usbip-audio", dependencies: ["CLinux", "UsbIpAudio", "ProbeSupport"]),
    .testTarget(name: "UsbIpAudioTests", dependencies: ["UsbIpAudio", "SoundProbe"]),
]

// MARK: - Device: displif end-to-end probe (area: displif-e2e; GPL-2.0-only OR MIT)

targets += [
    .target(name: "DisplayProbe"),
    .executableTarget(name: "e2e-display-probe", dependencies: ["CLinux", "CDRM", "DisplIf", "DRMDisplay", "DisplayProbe", "ProbeSupport"]),
    .testTarget(name: "DisplayProbeTests", dependencies: ["DisplayProbe"]),
]

// MARK: - Device programs only (set by driverdom's cross builds)

// `DRIVERDOM_DEVICE_PRODUCTS="driverdom-init kbdif-backend …"`: the package is just
// those executables and the targets they depend on, so one `swift build` (no
// `--product`) cross-compiles all of them in one build graph — each shared device
// module compiled once, and building one program never makes SwiftPM forget
// another's state (it does when `--product` alternates on one scratch folder).
// The dependencies stay declared (unused) so SwiftPM keeps Package.resolved.
let deviceProducts = Context.environment["DRIVERDOM_DEVICE_PRODUCTS"].map { $0.split(separator: " ").map(String.init) }
if let deviceProducts {
    func dependencyName(_ dependency: Target.Dependency) -> String? {
        switch dependency {
        case let .targetItem(name, _), let .byNameItem(name, _): name
        default: nil
        }
    }
    var keep: Set<String> = []
    var pending = deviceProducts
    while let name = pending.popLast() {
        guard keep.insert(name).inserted, let target = targets.first(where: { $0.name == name }) else { continue }
        pending += target.dependencies.compactMap(dependencyName)
    }
    targets = targets.filter { keep.contains($0.name) && $0.type != .test }
}

let package = Package(
    name: "driverdom",
    products: deviceProducts != nil ? [] : [
        .executable(name: "driverdom", targets: ["driverdom"]),
    ] + [
        // Device libraries an out-of-tree backend package uses (docs/layer-contract.md);
        // each product is the target of the same name.
        "XenCore", "XenLinux", "CXen", "CLinux", "KbdIf", "SndIf", "DisplIf", "UsbIf",
        "EvdevInput", "ALSAPCM", "DRMDisplay", "LibUSBHost",
    ].map { Product.library(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: targets,
    // Swift 6 (complete concurrency checking) for every target, host and device;
    // the device targets' Embedded cross compiles read this manifest too.
    swiftLanguageModes: [.v6]
)
