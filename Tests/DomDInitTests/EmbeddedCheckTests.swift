// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Foundation
import Testing
@testable import DomDInit

/// Path of a tool on PATH, or nil.
func toolPath(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let candidate = String(directory) + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

let embeddedToolsPresent: Bool = {
    guard let swiftc = toolPath("swiftc"), toolPath("clang") != nil, toolPath("ld.lld") != nil else { return false }
    let library = URL(fileURLWithPath: swiftc).deletingLastPathComponent()
        .appendingPathComponent("../lib/swift/embedded/x86_64-unknown-linux-gnu").path
    return FileManager.default.fileExists(atPath: library)
}()

/// Runs a program to its end; returns its status and combined output.
func runTool(_ path: String, _ arguments: [String]) throws -> (status: Int32, signaled: Bool, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, process.terminationReason == .uncaughtSignal, output)
}

let canRunAsNamespaceInit = getuid() == 0 && toolPath("unshare") != nil && toolPath("timeout") != nil

/// Scripts standing in for backends in the PID-1 run.
let smokeBackends: [(name: String, script: String)] = [
    ("steady", "#!/bin/sh\nsleep 0.2\necho ready >&$DRIVERDOM_READY_FD\ntrap 'echo steady got TERM; exit 0' TERM\nwhile true; do sleep 0.05; done\n"),
    ("crasher", "#!/bin/sh\nsleep 0.1\nkill -SEGV $$\n"),
    // Calls the init binary under the name poweroff (a symlink), as the kernel does on `xl shutdown`.
    ("stopper", "#!/bin/sh\necho ready >&3\nsleep 1\n\"$(dirname \"$0\")/poweroff\"\nsleep 100\n"),
]

@Suite("Embedded Swift build of the init")
struct EmbeddedCheckTests {
    @Test("DomDInit and driverdom-init compile and link in Embedded mode, and the binary runs as PID 1",
          .enabled(if: embeddedToolsPresent, "needs swiftc with the x86_64 embedded stdlib, clang and ld.lld on PATH"))
    func embeddedBuild() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("embedded-check.sh")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("driverdom-init-embedded-\(getpid())")
        defer { try? FileManager.default.removeItem(at: output) }
        let build = try runTool("/bin/sh", [script.path, output.path])
        #expect(build.status == 0, "embedded-check.sh failed:\n\(build.output)")
        let binary = output.appendingPathComponent("driverdom-init").path
        try #require(FileManager.default.isExecutableFile(atPath: binary))
        guard canRunAsNamespaceInit else {
            print("skipping the PID-1 run of the Embedded init: needs root, unshare and timeout")
            return
        }
        try runAsNamespaceInit(binary, in: output.path)
    }

    /// Runs the init as PID 1 of a new PID and mount namespace (so nothing it
    /// mounts or signals reaches the host) with shell scripts as backends.
    func runAsNamespaceInit(_ binary: String, in directory: String) throws {
        var table = ServiceTable(role: .domd, modprobe: "/bin/true", modules: [ModuleSpec(name: "uinput")])
        for backend in smokeBackends {
            let path = directory + "/" + backend.name + ".sh"
            try backend.script.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            var spec = ServiceSpec(name: backend.name, program: path, maxRestarts: 1, backoffMilliseconds: 50,
                                   stopTimeoutMilliseconds: 2_000)
            spec.device = DeviceWait(path: "/dev/null", timeoutMilliseconds: 1_000)
            table.services.append(spec)
        }
        try FileManager.default.createSymbolicLink(atPath: directory + "/poweroff", withDestinationPath: binary)
        let tablePath = directory + "/services"
        try ServiceTableWriter.write(table).write(toFile: tablePath, atomically: true, encoding: .utf8)
        let run = try runTool(toolPath("timeout")!, ["30", toolPath("unshare")!, "--pid", "--fork", "--mount",
                                                     binary, "--table", tablePath])
        // reboot(RB_POWER_OFF) by a PID namespace's init ends it with SIGINT, which
        // unshare and timeout pass on (as exit status 130 or by dying of it).
        #expect(run.status == 130 || (run.signaled && run.status == 2),
                "init run ended with \(run.status) (signal: \(run.signaled)):\n\(run.output)")
        for line in ["loaded module uinput", "backend steady ready", "backend stopper ready",
                     "backend crasher (pid", "killed by signal 11 (SIGSEGV)",
                     "giving up on backend crasher after 1 restart(s)", "power-off requested",
                     "stopping backend stopper", "steady got TERM", "backend steady (pid", "powering off"] {
            #expect(run.output.contains(line), "missing '\(line)' in:\n\(run.output)")
        }
        let stopStopper = run.output.range(of: "stopping backend stopper")
        let stopSteady = run.output.range(of: "stopping backend steady")
        #expect(stopStopper != nil && stopSteady != nil && stopStopper!.lowerBound < stopSteady!.lowerBound)
    }
}
