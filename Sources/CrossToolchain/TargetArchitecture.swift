// SPDX-License-Identifier: Apache-2.0

/// A target CPU as Debian, Embedded Swift, the linker and QEMU name it.
package enum TargetArchitecture: String, CaseIterable, Sendable {
    case arm64
    case armhf

    /// Debian architecture name.
    package var debian: String { rawValue }

    /// Triple Embedded Swift compiles for (its standard library exists for these).
    package var swiftTriple: String {
        switch self {
        case .arm64: return "aarch64-none-none-elf"
        case .armhf: return "armv7-none-none-eabi"
        }
    }

    /// Triple clang links with, against the Debian glibc sysroot.
    package var linkTriple: String {
        switch self {
        case .arm64: return "aarch64-linux-gnu"
        case .armhf: return "arm-linux-gnueabihf"
        }
    }

    /// Debian multiarch folder name (`usr/lib/<multiarch>`, `usr/include/<multiarch>`).
    package var multiarch: String { linkTriple }

    /// Extra C-compiler flags the target ABI needs.
    package var abiFlags: [String] {
        switch self {
        case .arm64: return []
        case .armhf: return ["-mfloat-abi=hard"]
        }
    }

    /// qemu-user binary that runs this architecture's programs on the host.
    package var qemuUser: String {
        switch self {
        case .arm64: return "qemu-aarch64-static"
        case .armhf: return "qemu-arm-static"
        }
    }
}
