// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// An external program the image writers run (mke2fs, debugfs, mkfs.vfat,
/// mmd, mcopy), found in `PATH` or the sbin folders, with the Debian package
/// that ships it for the error message.
package struct ExternalTool: Sendable {
    package let name: String
    package let debianPackage: String

    package static let mke2fs = ExternalTool(name: "mke2fs", debianPackage: "e2fsprogs")
    package static let debugfs = ExternalTool(name: "debugfs", debianPackage: "e2fsprogs")
    package static let mkfsVfat = ExternalTool(name: "mkfs.vfat", debianPackage: "dosfstools")
    package static let mmd = ExternalTool(name: "mmd", debianPackage: "mtools")
    package static let mcopy = ExternalTool(name: "mcopy", debianPackage: "mtools")

    /// Absolute path of the program, or nil if it is not installed.
    package var path: String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = searchPath.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the tool through `tools` (default: BuildEngine's `ProcessToolRunner`)
    /// with a fixed environment (PATH, `LC_ALL=C`, `TZ=UTC`, then `environment`)
    /// and nothing inherited; returns its output or throws with it.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:],
             tools: any ToolRunner = ProcessToolRunner(cancellation: CancellationToken())) throws(ImageFormatsError) -> String {
        guard let executable = path else { throw .toolMissing(tool: name, package: debianPackage) }
        var env = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "TZ": "UTC"]
        env.merge(environment) { $1 }
        let result: ToolResult
        do {
            result = try tools.run(ToolCommand(executable, arguments, environment: env, inheritsEnvironment: false),
                                   allowFailure: true)
        } catch {
            throw .toolMissing(tool: executable, package: debianPackage)
        }
        guard result.succeeded else {
            throw .toolFailed(tool: name, arguments: arguments, status: result.status, output: result.outputTail())
        }
        return result.stdoutText + result.stderrText
    }
}
