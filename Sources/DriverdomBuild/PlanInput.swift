// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

extension OutputFormat {
    /// The file name it has in the output folder.
    package var fileName: String {
        switch self {
        case .initramfs: "domd-initramfs.cpio.gz"
        case .ext4: "domd-rootfs.ext4"
        case .disk: "disk.img"
        case .bmap: "disk.img.bmap"
        case .manifest: "manifest.json"
        case .sbom: "sbom.spdx.json"
        }
    }
}

/// One device-side executable to cross-compile, identified by what it is built from.
package struct ExecutableInput: Sendable, Equatable {
    /// SwiftPM executable target name (e.g. `kbdif-backend`).
    package var name: String
    /// Digest of the sources and declarations of its module closure.
    package var sourceDigest: String
    /// The license of its module closure from the sources' SPDX headers (nil when none has one).
    package var license: String?
    /// Whether it comes from an out-of-tree package (`backend.package`) rather than driverdom's own.
    package var vendor: Bool

    /// Creates an executable input.
    package init(name: String, sourceDigest: String, license: String? = nil, vendor: Bool = false) {
        self.name = name
        self.sourceDigest = sourceDigest
        self.license = license
        self.vendor = vendor
    }
}

/// One layer of the image as the planner sees it: everything that can change
/// its compile, its staged files or its service-table entry.
package struct LayerPlanInput: Sendable, Equatable {
    /// Layer name (`kbdif`).
    package var name: String
    /// The backend executable.
    package var executable: ExecutableInput
    /// Kernel modules the layer declares (and the board devices it binds provide).
    package var kernelModules: [String]
    /// Runtime Debian packages it declares.
    package var packages: [String]
    /// Digest of the layer folder (layer.yaml and files it installs).
    package var layerFilesDigest: String
    /// The resolved options (image value or layer default), as text.
    package var options: [String: String]
    /// The bound devices, each as a canonical text of its DomD-side facts.
    package var bindings: [String]

    /// Creates a layer input.
    package init(name: String, executable: ExecutableInput, kernelModules: [String], packages: [String],
                layerFilesDigest: String, options: [String: String], bindings: [String]) {
        self.name = name
        self.executable = executable
        self.kernelModules = kernelModules
        self.packages = packages
        self.layerFilesDigest = layerFilesDigest
        self.options = options
        self.bindings = bindings
    }
}

/// Everything the build plan depends on, gathered before planning so that
/// planning itself is a pure function (see ``BuildPlanner``).
package struct ImagePlanInput: Sendable, Equatable {
    /// Image name (`qemu-virt-arm64`).
    package var imageName: String
    /// Target architecture.
    package var architecture: Architecture
    /// Digest of the package lock (every package's name, version, architecture, SHA256).
    package var packageLockDigest: String
    /// Packages the sysroot is made of.
    package var sysrootPackages: [String]
    /// Packages the image itself carries (kernel, Xen, busybox, ...).
    package var imagePackages: [String]
    /// `swiftc --version` output.
    package var toolchainVersion: String
    /// Compiler and linker flags common to every executable.
    package var compileFlags: [String]
    /// The DomD init executable.
    package var initExecutable: ExecutableInput
    /// Digest of the driverdom tool itself, which stages, writes the service table,
    /// assembles the rootfs and writes the formats.
    package var assemblerDigest: String
    /// The layers, in image order.
    package var layers: [LayerPlanInput]
    /// DomD's mode (`separate` or `dom0`): decides how its init reports readiness.
    package var domdMode: String
    /// Whether DomD gets busybox and a shell.
    package var debugShell: Bool
    /// /etc files of the DomD rootfs: path to contents digest.
    package var etcFiles: [String: String]
    /// Timestamp every output carries.
    package var sourceDateEpoch: Int
    /// Digest of the generated Xen configuration (DomD and guest xl.cfg, device trees).
    package var xenConfigDigest: String
    /// Canonical text of the board's flash layout (disk image partitions).
    package var flashLayout: String
    /// Formats to write.
    package var outputs: [OutputFormat]
    /// What the kernel step builds from linux-source (modules, board DTB); empty for nothing.
    package var kernelSourceBuild: String = ""
    /// The locked kernel packages the kernel step reads (`linux-*`: image, source,
    /// headers), each as "name version sha256".
    package var kernelPackages: [String] = []
    /// Whether the kernel step builds modules for `driverdom test`'s guests (exported to the output folder).
    package var testGuestModules: Bool = false
    /// Canonical text of the merged license policy (see ``LicensePolicy``).
    package var licensePolicy: String = ""
    /// The Debian archive the SBOM names as packages' download location.
    package var archiveURI: String = ""

    /// Creates a plan input.
    package init(imageName: String, architecture: Architecture, packageLockDigest: String,
                sysrootPackages: [String], imagePackages: [String], toolchainVersion: String,
                compileFlags: [String], initExecutable: ExecutableInput, assemblerDigest: String,
                layers: [LayerPlanInput], domdMode: String = "separate", debugShell: Bool, etcFiles: [String: String],
                sourceDateEpoch: Int, xenConfigDigest: String, flashLayout: String, outputs: [OutputFormat]) {
        self.imageName = imageName
        self.architecture = architecture
        self.packageLockDigest = packageLockDigest
        self.sysrootPackages = sysrootPackages
        self.imagePackages = imagePackages
        self.toolchainVersion = toolchainVersion
        self.compileFlags = compileFlags
        self.initExecutable = initExecutable
        self.assemblerDigest = assemblerDigest
        self.layers = layers
        self.domdMode = domdMode
        self.debugShell = debugShell
        self.etcFiles = etcFiles
        self.sourceDateEpoch = sourceDateEpoch
        self.xenConfigDigest = xenConfigDigest
        self.flashLayout = flashLayout
        self.outputs = outputs
    }
}

extension ImagePlanInput {
    /// driverdom's own programs the image carries, by name: the init and the in-tree
    /// layers' backends (out-of-tree backends build from their own packages).
    package var ownPrograms: [ExecutableInput] {
        var programs: [String: ExecutableInput] = [initExecutable.name: initExecutable]
        for layer in layers where !layer.executable.vendor { programs[layer.executable.name] = layer.executable }
        return programs.values.sorted { $0.name < $1.name }
    }
}
