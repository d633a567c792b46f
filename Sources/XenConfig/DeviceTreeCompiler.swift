// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import Foundation

/// Turns device-tree source into a flattened device tree (the `dtc` seam).
package protocol DeviceTreeCompiler {
    /// Compiles `source`; `overlay` asks for a plugin with `__symbols__` (`dtc -@`).
    func compile(_ source: String, overlay: Bool) throws(XenConfigError) -> [UInt8]
}

/// Runs the device-tree compiler `dtc` found on `PATH`, through the build
/// engine's `ToolRunner` (inside a build step: the step's, so interrupting the
/// build stops dtc too).
package struct SystemDeviceTreeCompiler: DeviceTreeCompiler {
    /// The `dtc` executable.
    package let executable: String
    /// What runs it.
    package let tools: any ToolRunner

    /// Finds `dtc` on `searchPath` (default: the `PATH` environment variable);
    /// `tools` runs it (default: a `ProcessToolRunner` nothing cancels).
    package init(searchPath: String? = nil, tools: (any ToolRunner)? = nil) throws(XenConfigError) {
        self.tools = tools ?? ProcessToolRunner(cancellation: CancellationToken())
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? ""
        let found = path.split(separator: ":").map { "\($0)/dtc" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let found else { throw .dtcNotFound(searchPath: path) }
        executable = found
    }

    /// Whether `dtc` is on `PATH`.
    package static var isAvailable: Bool { (try? SystemDeviceTreeCompiler()) != nil }

    /// Runs `dtc [-@] -I dts -O dtb -o OUT IN` in a private temporary folder.
    /// The phandle of Xen's guest GIC is not defined in a partial tree, so dtc's
    /// `interrupts_property` check is switched off.
    package func compile(_ source: String, overlay: Bool) throws(XenConfigError) -> [UInt8] {
        let arguments = (overlay ? ["-@"] : []) + ["-W", "no-interrupts_property", "-I", "dts", "-O", "dtb"]
        return try run(arguments: arguments, input: Array(source.utf8))
    }

    /// Decompiles a flattened tree back to source (`dtc -I dtb -O dts`).
    package func decompile(_ blob: [UInt8]) throws(XenConfigError) -> String {
        String(decoding: try run(arguments: ["-W", "no-interrupts_property", "-I", "dtb", "-O", "dts"], input: blob), as: UTF8.self)
    }

    private func run(arguments: [String], input: [UInt8]) throws(XenConfigError) -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("driverdom-dtc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("in")
        let outputFile = folder.appendingPathComponent("out")
        let fullArguments = arguments + ["-o", outputFile.path, inputFile.path]
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(input).write(to: inputFile)
        } catch {
            throw .dtcUnavailable(reason: "cannot write its input in \(folder.path): \(error.localizedDescription)")
        }
        let result: ToolResult
        do {
            result = try tools.run(ToolCommand(executable, fullArguments), allowFailure: true)
        } catch BuildEngineError.interrupted {
            throw .dtcUnavailable(reason: "the build was interrupted while dtc ran")
        } catch {
            throw .dtcUnavailable(reason: "cannot start \(executable): \(error)")
        }
        guard result.succeeded else {
            throw .dtcFailed(arguments: fullArguments, status: result.status, output: result.outputTail())
        }
        guard let data = FileManager.default.contents(atPath: outputFile.path) else {
            throw .dtcUnavailable(reason: "dtc reported success but wrote no \(outputFile.path)")
        }
        return Array(data)
    }
}

/// A compiler for tests and dry runs: records every call and returns scripted
/// bytes (or fails with a scripted error).
package final class RecordingDeviceTreeCompiler: DeviceTreeCompiler {
    /// One recorded call.
    package struct Call: Sendable, Hashable {
        /// The source passed in.
        package var source: String
        /// Whether an overlay was asked for.
        package var overlay: Bool
    }
    /// Calls in order.
    package private(set) var calls: [Call] = []
    /// What every call returns.
    package var result: Result<[UInt8], XenConfigError>

    /// Creates a recorder returning `result`.
    package init(result: Result<[UInt8], XenConfigError> = .success([0xd0, 0x0d, 0xfe, 0xed])) {
        self.result = result
    }

    /// Records the call and returns the scripted result.
    package func compile(_ source: String, overlay: Bool) throws(XenConfigError) -> [UInt8] {
        calls.append(Call(source: source, overlay: overlay))
        return try result.get()
    }
}
