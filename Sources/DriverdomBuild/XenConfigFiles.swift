// SPDX-License-Identifier: Apache-2.0
import BuildEngine
import DriverdomConfig
import Foundation
import XenConfig

/// The generated Xen files of an image with their device trees compiled by
/// `dtc` and the boot script by our mkimage-compatible encoder, written to a
/// folder so image steps can stage them.
enum XenConfigFiles {
    /// Finds `dtc` only when a device tree has to be compiled, so images
    /// without passthrough need no dtc.
    /// `tools` (the step's) runs it.
    struct OnDemandCompiler: DeviceTreeCompiler {
        let tools: any ToolRunner

        func compile(_ source: String, overlay: Bool) throws(XenConfigError) -> [UInt8] {
            try SystemDeviceTreeCompiler(tools: tools).compile(source, overlay: overlay)
        }
    }

    /// Writes every file of `configuration` into `folder`; returns name → path, in generation order.
    /// `epoch` (the build's SOURCE_DATE_EPOCH) stamps boot.scr when the image sets none.
    static func write(_ configuration: Configuration, epoch: Int, into folder: URL, step: String,
                      tools: any ToolRunner) throws -> [(name: String, path: String)] {
        var configuration = configuration
        configuration.image.sourceDateEpoch = configuration.image.sourceDateEpoch ?? epoch
        let files: [GeneratedFile]
        do {
            files = try XenConfigGenerator().files(for: configuration, compiler: OnDemandCompiler(tools: tools))
        } catch {
            throw BuildError.stepFailed(step: step, reason: "cannot generate the Xen configuration: \(error)")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try files.map { file in
            let url = folder.appendingPathComponent(file.name)
            try Data(file.bytes).write(to: url)
            return (file.name, url.path)
        }
    }

    /// Kernel-package folder holding the DTBs (`usr/lib/linux-image-VERSION`), inside the kernel step's tree.
    static func dtbFolder(inKernelTree tree: URL) throws -> URL {
        let parent = tree.appendingPathComponent("usr/lib")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [])
            .filter { $0.hasPrefix("linux-image-") }.sorted()
        guard let name = names.first else {
            throw BuildError.stepFailed(step: "boot files", reason: "the kernel package has no usr/lib/linux-image-*/ device trees")
        }
        return parent.appendingPathComponent(name)
    }

    /// The board's upstream DTB (`board.dtb`, e.g. `renesas/r8a77951-salvator-xs.dtb`) in the kernel tree.
    static func boardDTB(_ board: Board, inKernelTree tree: URL) throws -> String? {
        guard let relative = board.dtb else { return nil }
        let path = try dtbFolder(inKernelTree: tree).appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw BuildError.stepFailed(step: "boot files",
                                        reason: "board '\(board.name)' names dtb '\(relative)', which the kernel package does not ship; check `dtb:` in its board file")
        }
        return path
    }
}
