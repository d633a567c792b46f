// SPDX-License-Identifier: Apache-2.0
import Foundation
import RootfsAssembly

/// A fresh temporary folder removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "driverdom-image-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }
}

/// Result of running an external checker.
struct ToolOutput {
    let status: Int32
    let output: String
}

enum Tools {
    static func path(_ name: String) -> String? {
        ["/usr/sbin", "/usr/bin", "/sbin", "/bin"].map { $0 + "/" + name }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func available(_ names: String...) -> Bool { names.allSatisfy { path($0) != nil } }

    /// Runs a tool through `/bin/sh -c` so tests can use pipes; returns status and combined output.
    @discardableResult
    static func shell(_ command: String) throws -> ToolOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolOutput(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func quoted(_ path: String) -> String { "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

enum Fixtures {
    static let epoch: UInt32 = 1_700_000_000

    /// A small rootfs with files from memory and disk, a symlink, a device
    /// node, a fifo, a setuid file and a non-root owner.
    static func rootfs(hostFile: String) throws -> StagedTree {
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/etc/hostname", kind: .regularFile(.bytes(Array("domd\n".utf8))),
                                 permissions: 0o644, origin: "base"))
        try tree.add(StagedEntry(path: "/usr/bin/sndbe", kind: .regularFile(.file(path: hostFile)),
                                 permissions: 0o755, origin: "layer:sndif"))
        try tree.add(StagedEntry(path: "/usr/bin/su-helper", kind: .regularFile(.bytes([1, 2, 3])),
                                 permissions: 0o4755, origin: "base"))
        try tree.add(StagedEntry(path: "/bin", kind: .symlink(target: "usr/bin"), permissions: 0o777, origin: "base"))
        try tree.add(StagedEntry(path: "/dev/console", kind: .characterDevice(major: 5, minor: 1),
                                 permissions: 0o600, origin: "base"))
        try tree.add(StagedEntry(path: "/run/initctl", kind: .fifo, permissions: 0o600, origin: "init"))
        try tree.add(StagedEntry(path: "/home/user/data", kind: .regularFile(.bytes(Array(repeating: 0x5a, count: 70_000))),
                                 permissions: 0o640, uid: 1000, gid: 1000, origin: "base"))
        try tree.add(StagedEntry(path: "/var/empty", kind: .directory, permissions: 0o700, origin: "base"))
        return tree
    }

    /// A boot partition tree (FAT holds only files and directories).
    static func bootTree() throws -> StagedTree {
        var tree = StagedTree()
        try tree.add(StagedEntry(path: "/xen", kind: .regularFile(.bytes(Array(repeating: 0xa5, count: 300_000))),
                                 permissions: 0o644, origin: "xen"))
        try tree.add(StagedEntry(path: "/boot.scr", kind: .regularFile(.bytes(Array("setenv bootargs\n".utf8))),
                                 permissions: 0o644, origin: "boot"))
        try tree.add(StagedEntry(path: "/dtbs/board-with-a-long-name.dtb", kind: .regularFile(.bytes([0xd0, 0x0d, 0xfe, 0xed])),
                                 permissions: 0o644, origin: "board"))
        return tree
    }
}
