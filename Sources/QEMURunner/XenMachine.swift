// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What boots: Xen, the dom0 kernel and dom0's initramfs, as files on the host.
package struct BootArtifacts: Sendable, Equatable {
    /// The Xen hypervisor image (Debian's `/boot/xen-4.17-arm64`).
    package var xen: URL
    /// The dom0 Linux kernel (a plain arm64 `Image`; Debian's `vmlinuz` is one).
    package var kernel: URL
    /// dom0's initramfs (cpio newc, gzip).
    package var initramfs: URL
    /// The image's disk (`disk.img`, what a board flashes), attached read-only
    /// as a virtio-blk device: dom0 mounts its boot partition, which carries
    /// DomD's kernel. Nil attaches no disk.
    package var disk: URL?

    package init(xen: URL, kernel: URL, initramfs: URL, disk: URL? = nil) {
        self.xen = xen
        self.kernel = kernel
        self.initramfs = initramfs
        self.disk = disk
    }
}

/// How the guest's serial console meets QEMU's stdio.
package enum SerialConsole: Sendable, Equatable {
    /// `-serial stdio`: the console for a watcher (test runs, stdin unused).
    case plain
    /// `-serial mon:stdio`: for a person at a terminal — QEMU's Ctrl-A keys
    /// (Ctrl-A h lists them, Ctrl-A x quits, Ctrl-A c toggles the monitor) and
    /// Ctrl-C passed to the guest instead of ending QEMU.
    case terminal
}

/// A QEMU `virt` machine running Xen with dom0 placed by QEMU's `guest-loader`
/// devices — no U-Boot needed (see shared/E2E.md for the measured recipe).
///
/// The value is pure: ``arguments()`` turns it into the command line, so the
/// exact invocation is pinned by tests.
package struct XenMachine: Sendable, Equatable {
    /// Guest physical address where `guest-loader` places dom0's kernel.
    package static let kernelAddress: UInt64 = 0x6000_0000
    /// Guest physical address where `guest-loader` places dom0's initramfs.
    package static let initramfsAddress: UInt64 = 0x6400_0000

    package var artifacts: BootArtifacts
    /// Machine memory in MiB.
    package var memoryMiB: Int
    /// Number of virtual CPUs.
    package var cpus: Int
    /// Memory given to dom0 in MiB.
    package var dom0MemoryMiB: Int
    /// Xen's console UART device-tree path (`dtuart=`).
    package var consoleUART: String
    /// Extra Xen command-line words, e.g. `xsm=dummy` for a separate driver domain.
    package var xenArguments: [String]
    /// dom0's kernel command line. The default's `loglevel=5` keeps the console
    /// to warnings and worse (what `driverdom test` watches for): under QEMU TCG
    /// every kernel message costs a trip through Xen's console to the emulated UART.
    package var dom0Arguments: [String]
    /// How the serial console meets stdio.
    package var console: SerialConsole
    /// The device tree to boot with (`-dtb`): QEMU's own tree for this exact
    /// command line (``dumpArguments(to:)``) with the host passthrough overlay
    /// applied; nil boots with the tree QEMU makes.
    package var deviceTree: URL?
    /// A unix socket for QEMU's machine protocol (`-qmp`), through which the
    /// test presses the machine's buttons; nil opens none.
    package var qmpSocket: String?

    package init(
        artifacts: BootArtifacts,
        memoryMiB: Int = 2048,
        cpus: Int = 2,
        dom0MemoryMiB: Int = 512,
        consoleUART: String = "/pl011@9000000",
        xenArguments: [String] = ["xsm=dummy"],
        dom0Arguments: [String] = ["console=hvc0", "earlycon=xenboot", "loglevel=5", "rdinit=/init"],
        console: SerialConsole = .plain
    ) {
        self.artifacts = artifacts
        self.memoryMiB = memoryMiB
        self.cpus = cpus
        self.dom0MemoryMiB = dom0MemoryMiB
        self.consoleUART = consoleUART
        self.xenArguments = xenArguments
        self.dom0Arguments = dom0Arguments
        self.console = console
    }

    /// The Xen command line.
    package var xenCommandLine: String {
        (["console=dtuart", "dtuart=\(consoleUART)", "dom0_mem=\(dom0MemoryMiB)M",
          "dom0_max_vcpus=1", "bootscrub=0"] + xenArguments).joined(separator: " ")
    }

    /// Checks the values QEMU would otherwise reject with a less helpful message.
    package func validate() throws(RunError) {
        guard memoryMiB > dom0MemoryMiB else {
            throw .invalidMachine("machine memory \(memoryMiB) MiB must exceed dom0's \(dom0MemoryMiB) MiB")
        }
        guard (1...8).contains(cpus) else {
            throw .invalidMachine("cpus \(cpus) is outside 1...8")
        }
        for word in dom0Arguments where word.contains(",") {
            // QEMU splits -device options at commas; a doubled comma would pass one
            // through, but guest-loader's bootargs parser does not accept it either.
            throw .invalidMachine("dom0 argument '\(word)' contains a comma, which QEMU's guest-loader bootargs cannot carry")
        }
        let optional = (deviceTree.map { [$0] } ?? []) + (artifacts.disk.map { [$0] } ?? [])
        for file in [artifacts.xen, artifacts.kernel, artifacts.initramfs] + optional {
            guard FileManager.default.isReadableFile(atPath: file.path) else {
                throw .missingArtifact(file.path)
            }
        }
    }

    /// The `qemu-system-aarch64` arguments (without the program name). `-nic none`: the
    /// machine needs no network, and virt's default virtio NIC needs ipxe-qemu's ROM.
    package func arguments() -> [String] {
        var arguments = baseArguments(machine: Self.machineType)
        if let deviceTree { arguments += ["-dtb", deviceTree.path] }
        if let qmpSocket { arguments += ["-qmp", "unix:\(qmpSocket),server=on,wait=off"] }
        return arguments
    }

    /// The `-M` value.
    package static let machineType = "virt,virtualization=on,gic-version=3"

    /// The arguments that make QEMU write the device tree it would boot this
    /// machine with to `file` and exit: the same machine, memory, kernel,
    /// command line and guest-loader modules (which QEMU describes in /chosen).
    package func dumpArguments(to file: URL) -> [String] {
        baseArguments(machine: Self.machineType + ",dumpdtb=" + file.path)
    }

    /// The disk's arguments: a read-only raw drive on a virtio-blk device (virtio-mmio,
    /// which virt always provides; dom0 sees it as /dev/vda). QEMU's option parser
    /// takes a doubled comma as a literal one in the file name.
    var diskArguments: [String] {
        guard let disk = artifacts.disk else { return [] }
        let file = disk.path.replacingOccurrences(of: ",", with: ",,")
        return ["-drive", "if=none,id=flash,format=raw,readonly=on,file=\(file)", "-device", "virtio-blk-device,drive=flash"]
    }

    private func baseArguments(machine: String) -> [String] {
        [
            "-M", machine,
            "-cpu", "cortex-a57",
            "-smp", String(cpus),
            "-m", String(memoryMiB),
            // No network: the machine needs none, and a default NIC needs an option ROM
            // (efi-virtio.rom) that qemu-system-arm only recommends.
            "-nographic", "-no-reboot", "-monitor", "none", "-serial", console == .terminal ? "mon:stdio" : "stdio",
            "-nic", "none",
            "-kernel", artifacts.xen.path,
            "-append", xenCommandLine,
            "-device", "guest-loader,addr=0x\(String(Self.kernelAddress, radix: 16)),kernel=\(artifacts.kernel.path),bootargs=\(dom0Arguments.joined(separator: " "))",
            "-device", "guest-loader,addr=0x\(String(Self.initramfsAddress, radix: 16)),initrd=\(artifacts.initramfs.path)",
        ] + diskArguments
    }
}
