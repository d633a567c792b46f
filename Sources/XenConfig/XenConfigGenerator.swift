// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// One file `driverdom config` writes.
package struct GeneratedFile: Sendable, Hashable {
    /// File name (no folder).
    package var name: String
    /// Contents.
    package var bytes: [UInt8]
    /// Creates a file.
    package init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
    /// Creates a text file.
    package init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }
    /// The contents as UTF-8 text.
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// The Xen configuration of an image — pure functions of the validated model:
/// - `domd.cfg` (separate driver domain only),
/// - `domd-passthrough.dts` and its `.dtb` (when devices are passed through),
/// - `host-passthrough.dtso` and its `.dtbo` (same condition),
/// - `boot.cmd` and its `boot.scr` (boards booted by U-Boot),
/// - `guest-<name>.cfg` for every guest.
package struct XenConfigGenerator: Sendable {
    /// Where DomD's boot files are in dom0.
    package var domdFiles: DomDFiles

    /// Creates a generator.
    package init(domdFiles: DomDFiles = .standard) {
        self.domdFiles = domdFiles
    }

    /// The text files, in the order above (no compiled device trees).
    package func sources(for configuration: Configuration) throws(XenConfigError) -> [GeneratedFile] {
        let plan = try PassthroughPlan(configuration: configuration)
        var files: [GeneratedFile] = []
        if let text = try DomDConfigWriter(files: domdFiles).text(for: configuration, plan: plan) {
            files.append(GeneratedFile(name: XenConfigFileNames.domdConfig, text: text))
        }
        if let text = try PartialDeviceTreeWriter().text(for: configuration, plan: plan) {
            files.append(GeneratedFile(name: XenConfigFileNames.partialDeviceTreeSource, text: text))
        }
        let overlay = try HostOverlayWriter().text(for: configuration, plan: plan)
        if let overlay {
            files.append(GeneratedFile(name: XenConfigFileNames.hostOverlaySource, text: overlay))
        }
        if let text = try UBootScriptWriter().text(
            for: configuration, hostOverlay: overlay == nil ? nil : XenConfigFileNames.hostOverlayBlob) {
            files.append(GeneratedFile(name: XenConfigFileNames.bootScriptSource, text: text))
        }
        for guest in configuration.image.guests {
            files.append(GeneratedFile(name: XenConfigFileNames.guestConfig(guest.name),
                                       text: try GuestConfigWriter().text(for: guest, in: configuration)))
        }
        return files
    }

    /// Every file: the sources, each device-tree source followed by its compiled form.
    package func files<Compiler: DeviceTreeCompiler>(for configuration: Configuration,
                                                    compiler: Compiler) throws(XenConfigError) -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        for file in try sources(for: configuration) {
            files.append(file)
            switch file.name {
            case XenConfigFileNames.partialDeviceTreeSource:
                files.append(GeneratedFile(name: XenConfigFileNames.partialDeviceTreeBlob,
                                           bytes: try compiler.compile(file.text, overlay: false)))
            case XenConfigFileNames.hostOverlaySource:
                files.append(GeneratedFile(name: XenConfigFileNames.hostOverlayBlob,
                                           bytes: try compiler.compile(file.text, overlay: true)))
            case XenConfigFileNames.bootScriptSource:
                let time = UInt32(clamping: configuration.image.sourceDateEpoch ?? 0)
                files.append(GeneratedFile(name: XenConfigFileNames.bootScriptImage,
                                           bytes: UBootScriptImage.encode(file.text, time: time)))
            default:
                break
            }
        }
        return files
    }
}
