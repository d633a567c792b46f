// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs the built `driverdom` (or another tool) as a child process for the
/// end-to-end tests, with the JSON events of a build parsed.
struct DriverdomProcess {
    let status: Int32
    let stdout: String
    let stderr: String

    /// `step-finish` events: step id → whether it was cached.
    var finishedSteps: [String: Bool] {
        var result: [String: Bool] = [:]
        for line in stdout.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["event"] as? String == "step-finish", let step = object["step"] as? String else { continue }
            result[step] = object["cached"] as? Bool ?? false
        }
        return result
    }

    /// Steps whose action ran.
    var stepsRun: Set<String> { Set(finishedSteps.filter { !$0.value }.keys) }

    /// The driverdom executable next to the test binary (SwiftPM's products folder).
    static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["DRIVERDOM_EXECUTABLE"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let path = folder.appendingPathComponent("driverdom").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    /// Whether `tool` is on PATH.
    static func available(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    /// Runs `arguments[0]` (looked up in PATH) to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:], in folder: URL? = nil) throws -> DriverdomProcess {
        let process = configured(arguments, environment: environment, in: folder)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorData = ErrorCollector(errors)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return DriverdomProcess(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
                                stderr: errorData.text())
    }

    static func configured(_ arguments: [String], environment: [String: String], in folder: URL?) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let folder { process.currentDirectoryURL = folder }
        return process
    }
}

/// Reads a pipe to its end on another thread.
// @unchecked Sendable: `data` is written once by the reading task inside `group`
// and read by `text()` only after `group.wait()`.
final class ErrorCollector: @unchecked Sendable {
    private let group = DispatchGroup()
    private var data = Data()

    init(_ pipe: Pipe) {
        DispatchQueue.global().async(group: group) { [self] in
            data = pipe.fileHandleForReading.readDataToEndOfFile()
        }
    }

    func text() -> String {
        group.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
