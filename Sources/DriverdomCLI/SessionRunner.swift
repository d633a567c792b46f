// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import BuildEngine
import DriverdomBuild
import Foundation
import QEMURunner
import SystemTest

/// What `run` and `test` share: preparing the session with its steps printed
/// (and SIGINT, SIGTERM, SIGHUP interrupting it cleanly), booting it with QEMU
/// stopped on those signals, and the lines printed after QEMU stops. Output goes
/// through ``ConsoleSink`` so a terminal that hung up cannot crash the tool.
struct SessionRunner {
    let session: ImageSession
    let action: String
    /// Whether to print the preparation's steps and the session's own lines.
    let verbose: Bool

    /// The signals that stop a session.
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Prepares the session; exits 130 when interrupted.
    func prepare() throws -> XenMachine {
        let started = Date()
        let cancellation = CancellationToken()
        let trap = InterruptTrap(cancelling: cancellation, signals: Self.stopSignals)
        defer { trap.uninstall() }
        let verbose = self.verbose
        let reporter = SessionReporter(inner: verbose ? HumanReporter() : QuietReporter()) { result in
            guard verbose, case .succeeded = result.status else { return }
            let ran = result.stepsRun.count
            Self.say("session ready in \(String(format: "%.1f", Date().timeIntervalSince(started))) s "
                + "(\(ran == 0 ? "every step cached" : "\(ran) of \(result.stepsRun.count + result.stepsCached.count) steps run"))")
        }
        do {
            let output = session.locations.outputFolder(image: session.configuration.image.name)
            if verbose { say("preparing a session of \(Self.relative(output.path))\(Self.age(of: output))") }
            return try session.prepare(packageRoot: URL(fileURLWithPath: session.configuration.repository.root),
                                       reporter: reporter, cancellation: cancellation)
        } catch SystemTestError.prepareInterrupted {
            say("")  // ends the step line in progress
            say("interrupted while preparing the session; the cache holds only finished steps")
            throw ExitCode(130)
        } catch let error as SystemTestError {
            throw CommandFailure(action: action, reason: error.description, isUserError: isUserError(error))
        } catch let error as BuildError {
            throw CommandFailure(action: action, reason: error.description, isUserError: error.isUserError)
        } catch {
            throw CommandFailure(action: action, error: error)
        }
    }

    /// Boots `machine`; SIGINT, SIGTERM and SIGHUP stop QEMU, and then the command exits 130.
    func boot(_ machine: XenMachine, timeout: Double?, output: @escaping (String) -> Void) throws -> RunOutcome {
        let outcome: RunOutcome
        do {
            outcome = try session.boot(machine, timeout: timeout, stopOnSignals: true, output: output)
        } catch {
            throw CommandFailure(action: action, reason: error.description, isUserError: false)
        }
        if let signal = outcome.interruption {
            say("")
            say("stopped QEMU on \(Self.signalName(signal)) after \(String(format: "%.1f", outcome.elapsed)) s")
            throw ExitCode(130)
        }
        return outcome
    }

    /// Prints `line` (prefixed "driverdom: " unless empty) to stderr.
    func say(_ line: String) { Self.say(line) }

    /// Prints `line` (prefixed "driverdom: " unless empty) to stderr.
    static func say(_ line: String) {
        ConsoleSink.standardError.write(line.isEmpty ? "\n" : "driverdom: \(line)\n")
    }

    /// "QEMU start → all DomD backends ready: N s", or why it is unknown.
    static func readiness(_ outcome: RunOutcome) -> String {
        if let ready = outcome.console.readyAfter {
            return "driverdom: QEMU start → all DomD backends ready: \(String(format: "%.1f", ready)) s"
        }
        return "driverdom: the console never said all DomD backends were ready (ran \(String(format: "%.1f", outcome.elapsed)) s)"
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP (the terminal went away)"
        default: "signal \(signal)"
        }
    }

    /// " (built N min ago)" from the output's boot files, so an old build is noticed; "" when unknown.
    static func age(of output: URL) -> String {
        let built = try? BuiltImage(outputFolder: output)
        guard let path = built?.controlInitramfs.path,
              let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
            return ""
        }
        let minutes = Int(Date().timeIntervalSince(date) / 60)
        switch minutes {
        case ..<1: return " (built just now)"
        case ..<120: return " (built \(minutes) min ago)"
        case ..<(48 * 60): return " (built \(minutes / 60) h ago)"
        default: return " (built \(minutes / (24 * 60)) days ago)"
        }
    }

    /// `path` relative to the current folder when it is below it.
    static func relative(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }

    private func isUserError(_ error: SystemTestError) -> Bool {
        if case .findBuiltFileFailed = error { return true }
        return false
    }
}
