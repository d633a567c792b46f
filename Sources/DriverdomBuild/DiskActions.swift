// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomConfig
import Foundation
import ImageFormats
import RootfsAssembly
import XenConfig

/// The disk image (GPT, per the board's flash layout) and its bmap.
///
/// Partition contents: `boot` gets Xen (`xen`), the dom0 kernel (`vmlinuz`) and
/// the control domain as an initramfs (`dom0-initrd.cpio.gz`, what QEMU's
/// guest-loader or U-Boot loads) and, on U-Boot boards, `boot.scr`/`boot.cmd`, the
/// board's upstream DTB and the host passthrough overlay; `control-rootfs` gets
/// the control domain as ext4. The boot partition's `vmlinuz` is also DomD's
/// kernel: dom0's init mounts the partition read-only and `xl create` reads it
/// there (``DomDFiles/standard``), so it is not in dom0's initramfs.
enum DiskActions {
    /// File recording the byte ranges the disk writer filled (for the bmap).
    static let rangesFile = "disk.ranges"
    /// Folder of the disk step (and of the output folder) holding the boot files as plain files.
    static let bootFolder = "boot"

    static func disk(_ input: ImagePlanInput, _ session: BuildSession, _ context: StepContext) throws {
        let flash = session.configuration.board.flash
        guard flash.table == .gpt else {
            throw BuildError.stepFailed(step: "output:disk", reason: "board '\(session.configuration.board.name)' wants an MBR partition table; driverdom writes GPT disks only")
        }
        let control = try TreeRecord.read(from: context.outputDirectory(of: StepID(StepKind.controlRootfs.id)))
        let epoch = UInt32(clamping: input.sourceDateEpoch)
        let scratch = context.scratchDirectory
        var specs: [PartitionSpec] = []
        for partition in flash.partitions {
            var size: UInt64?
            if case let .fixed(bytes) = partition.size { size = bytes.bytes }
            let tree = partition.contents == .boot ? try bootTree(control, epoch: epoch, session, context) : control
            let image = scratch.appendingPathComponent("\(partition.name).img")
            let name = "\(input.imageName)/\(partition.name)"
            switch partition.filesystem {
            case .vfat:
                guard let size else {
                    throw BuildError.stepFailed(step: "output:disk", reason: "vfat partition '\(partition.name)' needs a fixed size, not auto")
                }
                try FATImage.write(tree, to: image.path, options: FATOptions(name: name, label: partition.name.uppercased(),
                                                                           epoch: epoch, size: size))
            case .ext4:
                _ = try Ext4Image.write(tree, to: image.path,
                                        options: Ext4Options(name: name, label: partition.name, epoch: epoch, fixedSize: size))
            }
            specs.append(PartitionSpec(name: partition.name,
                                       type: partition.filesystem == .vfat ? .microsoftBasicData : .linuxFilesystem,
                                       size: size, contentPath: image.path))
        }
        let disk = context.outputDirectory.appendingPathComponent(OutputFormat.disk.fileName)
        let result = try DiskImage.write(partitions: specs, to: disk.path,
                                         options: DiskImageOptions(imageName: input.imageName,
                                                                   sectorSize: UInt64(flash.sectorSize)))
        let ranges = result.mappedRanges.map { "\($0.lowerBound) \($0.upperBound)\n" }.joined()
        try StepActions.write(ranges, to: context.outputDirectory.appendingPathComponent(rangesFile))
    }

    static func bmap(_ context: StepContext) throws {
        let diskStep = context.outputDirectory(of: StepID(StepKind.output(.disk).id))
        let text = try String(contentsOf: diskStep.appendingPathComponent(rangesFile), encoding: .utf8)
        let ranges = text.split(separator: "\n").compactMap { line -> Range<UInt64>? in
            let parts = line.split(separator: " ").compactMap { UInt64($0) }
            return parts.count == 2 ? parts[0]..<parts[1] : nil
        }
        let bmap = try Bmap.create(imagePath: diskStep.appendingPathComponent(OutputFormat.disk.fileName).path,
                                   mappedByteRanges: ranges)
        try StepActions.write(bmap.xml(), to: context.outputDirectory.appendingPathComponent(OutputFormat.bmap.fileName))
    }

    /// Generated files a U-Boot board's boot partition carries.
    static let ubootFiles: Set<String> = [XenConfigFileNames.bootScriptSource, XenConfigFileNames.bootScriptImage,
                                          XenConfigFileNames.hostOverlayBlob]

    /// The boot partition: Xen, the dom0 kernel and the control domain as initramfs;
    /// on U-Boot boards also boot.cmd/boot.scr, the board DTB and the host overlay.
    static func bootTree(_ control: StagedTree, epoch: UInt32, _ session: BuildSession,
                         _ context: StepContext) throws -> StagedTree {
        let xen = context.outputDirectory(of: StepID(StepKind.imagePackages.id)).appendingPathComponent("root")
        let kernel = context.outputDirectory(of: StepID(StepKind.kernel.id)).appendingPathComponent("tree")
        let initrd = context.scratchDirectory.appendingPathComponent("dom0-initrd.cpio.gz")
        try Data(CPIOArchive.compressedArchive(control, epoch: epoch)).write(to: initrd)
        let xenFile = try ControlDomain.bootFile("xen-", in: xen)
        let vmlinuz = try ControlDomain.bootFile("vmlinuz-", in: kernel)
        // The same files beside the disk (exported as boot/): `driverdom run` hands them to QEMU.
        let exported = context.outputDirectory.appendingPathComponent(bootFolder)
        for (name, source) in [("xen", xenFile), ("vmlinuz", vmlinuz), ("dom0-initrd.cpio.gz", initrd.path)] {
            try StepActions.copy(URL(fileURLWithPath: source), to: exported.appendingPathComponent(name))
        }
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/xen", kind: .regularFile(.file(path: xenFile)), permissions: 0o644, origin: "xen"))
        try tree.add(StagedEntry(path: "/vmlinuz", kind: .regularFile(.file(path: vmlinuz)), permissions: 0o644,
                                 origin: "kernel"))
        try tree.add(StagedEntry(path: "/dom0-initrd.cpio.gz", kind: .regularFile(.file(path: initrd.path)),
                                 permissions: 0o644, origin: "control domain"))
        guard session.configuration.board.boot.loader == .uBoot else { return tree }

        // U-Boot boards: the script (boot.cmd, and boot.scr that U-Boot runs), the
        // board's upstream DTB it loads and the host overlay it applies.
        let generated = try XenConfigFiles.write(session.configuration, epoch: Int(epoch),
                                                 into: context.scratchDirectory.appendingPathComponent("xen"),
                                                 step: "output:disk", tools: context.tools)
        for file in generated where Self.ubootFiles.contains(file.name) {
            try tree.add(StagedEntry(path: "/" + file.name, kind: .regularFile(.file(path: file.path)), permissions: 0o644,
                                     origin: "boot script"))
            try StepActions.copy(URL(fileURLWithPath: file.path), to: exported.appendingPathComponent(file.name))
        }
        if let dtb = try XenConfigFiles.boardDTB(session.configuration.board, inKernelTree: kernel) {
            let name = URL(fileURLWithPath: dtb).lastPathComponent
            try tree.add(StagedEntry(path: "/" + name, kind: .regularFile(.file(path: dtb)), permissions: 0o644, origin: "kernel"))
            try StepActions.copy(URL(fileURLWithPath: dtb), to: exported.appendingPathComponent(name))
        }
        return tree
    }
}
