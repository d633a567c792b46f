// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Every way assembling a sysroot or cross-compiling can fail.
package enum CrossToolchainError: Error, Equatable, CustomStringConvertible {
    /// `dpkg-deb -x` could not unpack a package into the sysroot.
    case extractFailed(deb: String, output: String)
    /// A file or folder of the sysroot or SDK could not be written.
    case writeFailed(path: String, reason: String)
    /// The Swift toolchain lacks something the cross build needs.
    case toolchainIncomplete(missing: String, toolchain: String)
    /// `swift build` for the target failed; `output` is the compiler's own message.
    case buildFailed(products: [String], triple: String, output: String)
    /// Stripping a binary failed.
    case stripFailed(binary: String, output: String)
    /// A set of packages needed for the sysroot is empty or lacks files.
    case sysrootPackagesMissing(set: String, missing: [String])

    package var description: String {
        switch self {
        case let .extractFailed(deb, output):
            return "cannot unpack \(deb) into the sysroot (is dpkg installed?):\n\(output)"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        case let .toolchainIncomplete(missing, toolchain):
            return "the Swift toolchain at \(toolchain) has no \(missing); install a Swift 6.3 toolchain "
                + "with Embedded Swift support"
        case let .buildFailed(products, triple, output):
            return "cross build of \(products.joined(separator: ", ")) for \(triple) failed:\n\(output)"
        case let .stripFailed(binary, output):
            return "cannot strip \(binary):\n\(output)"
        case let .sysrootPackagesMissing(set, missing):
            return "package set `\(set)` lacks \(missing.joined(separator: ", ")) for the sysroot; "
                + "fetch the packages first"
        }
    }
}
