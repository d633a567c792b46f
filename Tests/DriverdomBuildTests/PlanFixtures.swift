// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig
@testable import DriverdomBuild

/// A two-layer image input the planner tests vary one field at a time.
enum PlanFixtures {
    static func layer(_ name: String, sources: String = "src-v1") -> LayerPlanInput {
        LayerPlanInput(name: name, executable: ExecutableInput(name: "\(name)-backend", sourceDigest: "\(name)-\(sources)"),
                       kernelModules: ["xen-evtchn", "xen-gntdev"], packages: ["libxenstore4"],
                       layerFilesDigest: "\(name)-files", options: ["grab": "true"], bindings: ["virtual-input"])
    }

    static func image() -> ImagePlanInput {
        ImagePlanInput(imageName: "test-image", architecture: .aarch64, packageLockDigest: "lock-v1",
                       sysrootPackages: ["libc6", "libc6-dev"], imagePackages: ["linux-image-arm64"],
                       toolchainVersion: "Swift version 6.3.1", compileFlags: ["-Osize"],
                       initExecutable: ExecutableInput(name: "driverdom-init", sourceDigest: "init-v1"),
                       assemblerDigest: "tool-v1", layers: [layer("kbdif"), layer("sndif")],
                       debugShell: false, etcFiles: ["etc/hostname": "h1"], sourceDateEpoch: 1_767_225_600, xenConfigDigest: "xen-v1",
                       flashLayout: "boot:64MiB,rootfs:auto", outputs: [.initramfs, .ext4, .disk, .bmap, .manifest, .sbom])
    }
}
