// SPDX-License-Identifier: Apache-2.0
import Foundation

extension Repository {
    /// The environment variable that names the built-in collection explicitly.
    package static let homeVariable = "DRIVERDOM_HOME"
    /// Where an installed tree keeps the built-in collection, relative to the folder of the binary.
    package static let installedRelativePath = "../share/driverdom"

    /// The built-in boards, layers and driverdom package the running binary
    /// belongs to, found from the binary's own path, not the working directory:
    /// `$DRIVERDOM_HOME` if set; else `<bin>/../share/driverdom` (an installed
    /// tree, see `Scripts/install.sh`); else the nearest folder above the binary
    /// holding `Package.swift`, `Boards/` and `Layers/` (a checkout's `.build`).
    /// Nil when none of them is there.
    package static func builtin(executable: String = "/proc/self/exe",
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> Repository? {
        if let home = environment[homeVariable], !home.isEmpty {
            return isPackage(absolute(home)) ? Repository(root: home) : nil
        }
        var binary = executable
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: executable), executable.hasPrefix("/proc/") {
            binary = target
        }
        binary = URL(fileURLWithPath: binary).resolvingSymlinksInPath().path
        var folder = (absolute(binary) as NSString).deletingLastPathComponent
        let installed = absolute(folder + "/" + installedRelativePath)
        if isPackage(installed) { return Repository(root: installed) }
        while true {
            if isPackage(folder) { return Repository(root: folder) }
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder || parent.isEmpty { return nil }
            folder = parent
        }
    }

    /// Whether `folder` holds `Package.swift`, `Boards/` and `Layers/`.
    static func isPackage(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/Package.swift")
            && isFolder(folder + "/Boards") && isFolder(folder + "/Layers")
    }
}
