// SPDX-License-Identifier: Apache-2.0

/// The identity of the Swift toolchain that cross-compiles device code, hashed
/// into every compile key so a toolchain upgrade recompiles everything.
package enum ToolchainIdentity {
    /// `swiftc --version` output (both lines: version and host target).
    package static func current(swiftc: String = "swiftc") throws(BuildError) -> String {
        let result = try HostCommand.run([swiftc, "--version"])
        guard result.status == 0 else {
            throw .runToolFailed(command: [swiftc, "--version"], status: result.status, output: result.stderrText)
        }
        return result.stdoutText + result.stderrText
    }
}
