// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Foundation
import Testing
@testable import DomDInit
import CLinux

/// Waits on the real system until `done` holds or 10 s pass.
func pumpReal(_ control: LinuxProcessControl, channels: [Channel] = [], until done: () -> Bool) {
    let limit = control.now() + 10_000_000_000
    while !done() && control.now() < limit {
        _ = control.wait(until: control.now() + 100_000_000, watching: channels)
    }
}

/// These run real children (/bin/sh) as ordinary processes and reap only
/// their own children (the test runner shares its process with other tests);
/// nothing is mounted and nothing is powered off (the test process is not PID 1).
@Suite("LinuxProcessControl against the real kernel", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/sh"), "needs /bin/sh"))
struct LinuxProcessControlTests {
    @Test("a child gets its readiness pipe at descriptor 3 and its stdout captured, and is reaped with its status")
    func readinessAndOutput() throws {
        let control = LinuxProcessControl(reaping: .ownChildren)
        let child = try control.spawn(SpawnRequest(
            program: "/bin/sh", arguments: ["-c", "echo \"$GREETING\"; echo ready >&$DRIVERDOM_READY_FD; exit 7"],
            environment: ["GREETING=hello", "DRIVERDOM_READY_FD=3"], readinessPipe: true, captureOutput: true))
        let readiness = try #require(child.readiness)
        let output = try #require(child.output)
        var ready: [UInt8] = []
        var printed: [UInt8] = []
        var exit: ChildExit?
        var open: Set<Channel> = [readiness, output]
        pumpReal(control, channels: [readiness, output]) {
            for channel in Array(open) {
                switch control.read(channel) {
                case .data(let bytes): if channel == readiness { ready += bytes } else { printed += bytes }
                case .endOfFile:
                    control.close(channel)
                    open.remove(channel)
                case .empty: break
                }
            }
            while let reaped = control.reapAny() { if reaped.pid == child.pid { exit = reaped } }
            return exit != nil && open.isEmpty
        }
        #expect(String(decoding: ready, as: UTF8.self) == "ready\n")
        #expect(String(decoding: printed, as: UTF8.self) == "hello\n")
        #expect(exit == ChildExit(pid: child.pid, status: .exited(7)))
    }

    @Test("SIGTERM reaches the child's process group and the signal is reported")
    func terminateGroup() throws {
        let control = LinuxProcessControl(reaping: .ownChildren)
        let child = try control.spawn(SpawnRequest(program: "/bin/sh", arguments: ["-c", "sleep 30 & wait"]))
        #expect(getpgid(child.pid.rawValue) == child.pid.rawValue)
        control.signal(child.pid, .terminate)
        var exit: ChildExit?
        pumpReal(control) {
            while let reaped = control.reapAny() { if reaped.pid == child.pid { exit = reaped } }
            return exit != nil
        }
        #expect(exit?.status == .signaled(15))
    }

    @Test("a program that cannot be executed exits with status 127")
    func missingProgram() throws {
        let control = LinuxProcessControl(reaping: .ownChildren)
        let child = try control.spawn(SpawnRequest(program: "/nonexistent/driverdom-backend"))
        var exit: ChildExit?
        pumpReal(control) {
            while let reaped = control.reapAny() { if reaped.pid == child.pid { exit = reaped } }
            return exit != nil
        }
        #expect(exit?.status == .exited(127))
    }

    @Test("directories are created with their parents and files written")
    func directoriesAndFiles() throws {
        let control = LinuxProcessControl(reaping: .ownChildren)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-init-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try control.makeDirectory(root + "/a/b/c")
        try control.makeDirectory(root + "/a/b/c")
        #expect(control.pathExists(root + "/a/b/c"))
        try control.writeFile(root + "/a/status", contents: "ready\n")
        #expect(try String(contentsOfFile: root + "/a/status", encoding: .utf8) == "ready\n")
        #expect(!control.pathExists(root + "/missing"))
    }
}

@Suite("Backend side of the readiness contract (CLinux)")
struct ReadinessNotifyTests {
    @Test("DRIVERDOM_READY_FD values parse strictly", arguments: [
        ("3", Int32(3)), ("17", 17), ("", -1), ("x", -1), ("-3", -1), ("3 ", -1), ("99999999", -1),
    ])
    func parse(value: String, expected: Int32) {
        #expect(value.withCString { clinux_parse_ready_fd($0) } == expected)
    }

    @Test("a missing DRIVERDOM_READY_FD is reported as -1")
    func missing() {
        #expect(clinux_parse_ready_fd(nil) == -1)
    }

    @Test("notifying writes the line 'ready' the init looks for, and closes the descriptor")
    func notify() throws {
        var fds: [Int32] = [-1, -1]
        #expect(fds.withUnsafeMutableBufferPointer { clinux_pipe_cloexec($0.baseAddress) } == 0)
        #expect(clinux_notify_ready_fd(fds[1]) == 0)
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = buffer.withUnsafeMutableBytes { clinux_read_nonblocking(fds[0], $0.baseAddress, $0.count) }
        #expect(count == 6)
        #expect(containsReadyLine(Array(buffer[0..<max(count, 0)])))
        let end = buffer.withUnsafeMutableBytes { clinux_read_nonblocking(fds[0], $0.baseAddress, $0.count) }
        #expect(end == 0)
        close(fds[0])
    }
}
