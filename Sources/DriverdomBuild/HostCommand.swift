// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs a short host command to completion and collects its output (used only
/// for planning-time queries: `swift package dump-package`, `swiftc --version`).
enum HostCommand {
    struct Result {
        var status: Int32
        var output: Data
        var errorText: String
    }

    static func run(_ arguments: [String], in folder: URL? = nil) throws(BuildError) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw .runToolFailed(command: arguments, status: -1, output: "\(error.localizedDescription)")
        }
        // Read both pipes before waiting so a chatty tool cannot fill one and block.
        let errorData = LockedData()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            errorData.set(errors.fileHandleForReading.readDataToEndOfFile())
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: data,
                      errorText: String(decoding: errorData.get(), as: UTF8.self))
    }
}

/// Data written by one thread and read by another after a DispatchGroup wait.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
