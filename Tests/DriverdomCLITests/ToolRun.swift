// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs the built `driverdom` executable and captures its output.
struct ToolRun {
    let status: Int32
    let stdout: String
    let stderr: String

    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// The executable: `$DRIVERDOM_EXECUTABLE`, or `driverdom` next to the test
    /// binary (SwiftPM puts both in the same build products folder).
    static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["DRIVERDOM_EXECUTABLE"] { return path }
        var folders = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let main = Bundle.main.executableURL { folders.append(main.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for folder in folders {
            var candidate = folder
            // Up from inside an .xctest bundle (Darwin layout) to the products folder.
            for _ in 0..<4 {
                let path = candidate.appendingPathComponent("driverdom").path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
                candidate.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// The package's fixture repository of broken configs.
    static var brokenFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DriverdomConfigTests/Fixtures/broken").standardizedFileURL.path
    }

    /// The package root.
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().standardizedFileURL.path
    }

    /// Runs `driverdom arguments` (or `executable`) in `directory` and waits for it;
    /// `environment` is added to this process's.
    init(_ arguments: [String], in directory: String, executable: String? = nil,
         environment: [String: String] = [:]) throws {
        let process = try Self.start(arguments, in: directory, executable: executable, environment: environment)
        let out = process.standardOutput as! Pipe
        let err = process.standardError as! Pipe
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errData, as: UTF8.self)
    }

    /// Starts `driverdom arguments` in `directory` with piped output.
    static func start(_ arguments: [String], in directory: String, executable chosen: String? = nil,
                      environment: [String: String] = [:]) throws -> Process {
        guard let executable = chosen ?? executable else { throw ToolRunError.executableNotFound }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }
}

enum ToolRunError: Error {
    case executableNotFound
}
