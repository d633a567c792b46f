// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import Foundation
import Testing

/// A backend process stops when SIGTERM/SIGINT arrives on its signalfd: the poll
/// loop (which waits without a timeout) wakes for the signal itself. Runs
/// backend-stop-harness, which serves through `BackendProcess.serve` as the four
/// backends do.
@Suite struct StopSignalTests {
    /// `backend-stop-harness` next to the test binary (SwiftPM builds it for this target).
    static let executable: String? = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let path = folder.appendingPathComponent("backend-stop-harness").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    @Test(.enabled(if: executable != nil, "backend-stop-harness is not built next to the tests"),
          .timeLimit(.minutes(25)),  // a hang guard: on 2 cores the suite's blocking tests can starve this one
          arguments: [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")])
    func stopSignalEndsTheLoopInItsFirstRound(signal: Int32, name: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.executable))
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Wait for the banner: the backend has started and entered its loop (or is about to).
        var output = ""
        while !output.contains("serving until SIGTERM or SIGINT\n") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
        }
        try #require(output.contains("serving until SIGTERM or SIGINT"), "no banner: \(output)")
        let sent = DispatchTime.now()
        kill(process.processIdentifier, signal)
        output += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - sent.uptimeNanoseconds) / 1e6
        print("backend-stop-harness: \(name) to exit took \(String(format: "%.1f", milliseconds)) ms "
              + "(the former poll timeout: 1000 ms)")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(output)")
        // One round: the loop waits without a timeout, so only the signalfd could have ended it.
        #expect(output.contains("backend-stop-harness: stopped by \(name) after 1 poll rounds"), "\(output)")
    }
}
