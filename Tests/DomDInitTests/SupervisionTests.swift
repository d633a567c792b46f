// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
@testable import DomDInit

/// A DomD init over a scripted system; times are virtual.
struct Harness {
    let control: ScriptedProcessControl
    let reporter = RecordingReadinessReporter()
    let initSystem: InitSystem<ScriptedProcessControl, RecordingReadinessReporter>
    let t0: UInt64

    init(_ table: ServiceTable, existingPaths: Set<String> = []) {
        control = ScriptedProcessControl(startNanoseconds: 1_000_000_000, existingPaths: existingPaths)
        t0 = control.now()
        initSystem = InitSystem(table: table, control: control, reporter: reporter)
    }

    /// Spawn times (ms after start) of `program`.
    func spawnTimes(_ program: String) -> [UInt64] {
        control.spawned.filter { $0.program == program }.map { ($0.at - t0) / 1_000_000 }
    }

    func pid(_ program: String, run: Int = 0) -> ProcessID? {
        let runs = control.spawned.filter { $0.program == program }
        return run < runs.count ? runs[run].pid : nil
    }

    func logged(_ fragment: String) -> Bool { control.messages.contains { $0.contains(fragment) } }
}

func daemonService(_ name: String, device: DeviceWait? = nil, stopTimeout: UInt64 = 5_000) -> ServiceSpec {
    ServiceSpec(name: name, program: "/usr/bin/" + name, device: device, stopTimeoutMilliseconds: stopTimeout)
}

@Suite("DomD init supervision on the scripted system")
struct SupervisionTests {
    @Test("bring-up mounts, loads modules, then starts backends in table order")
    func startOrder() throws {
        let table = ServiceTable(role: .domd, modules: [ModuleSpec(name: "uinput"), ModuleSpec(name: "xen-gntdev")],
                                 services: ["kbdif", "sndif", "displif"].map { daemonService($0) })
        let harness = Harness(table)
        for name in ["kbdif", "sndif", "displif"] { harness.control.script("/usr/bin/" + name, [.daemon()]) }
        harness.control.request(.powerOff, afterMilliseconds: 1_000)
        harness.initSystem.run()

        let calls = harness.control.calls
        let mounts = calls.compactMap { call -> String? in
            if case .mount(let target, _) = call { return target }
            return nil
        }
        #expect(mounts == ["/proc", "/sys", "/dev", "/dev/pts", "/proc/xen"])
        let spawns = harness.control.spawned.map { $0.program }
        #expect(spawns == ["/sbin/modprobe", "/sbin/modprobe", "/usr/bin/kbdif", "/usr/bin/sndif", "/usr/bin/displif"])
        #expect(harness.control.spawned[0].arguments == ["uinput"])
        let kbdif = try #require(harness.control.spawned.first { $0.program == "/usr/bin/kbdif" })
        #expect(kbdif.environment.contains("DRIVERDOM_READY_FD=3"))
        #expect(kbdif.environment.contains("DRIVERDOM_SERVICE=kbdif"))
        #expect(harness.reporter.published.map { $0.backend } == ["kbdif", "sndif", "displif"])
        #expect(harness.reporter.published.allSatisfy { $0.status == .ready })
        #expect(calls.last == .power(.powerOff))
    }

    @Test("kernel settings are written after the modules and xenfs, before the bring-up commands")
    func settingsBeforeCommands() throws {
        let target = "/sys/devices/system/xen_memory/xen_memory0/target_kb"
        let table = ServiceTable(role: .domd, modules: [ModuleSpec(name: "xen-gntdev")],
                                 settings: [KernelSetting(path: target, value: "262144")],
                                 commands: [CommandSpec(program: "/usr/bin/setup")])
        let harness = Harness(table)
        harness.control.script("/usr/bin/setup", [.exits()])
        harness.control.request(.powerOff, afterMilliseconds: 1_000)
        harness.initSystem.run()

        let calls = harness.control.calls
        let write = try #require(calls.firstIndex(of: .writeFile(path: target, contents: "262144")))
        let xenfs = try #require(calls.firstIndex(of: .mount(target: "/proc/xen", type: "xenfs")))
        let module = try #require(calls.firstIndex(of: .spawn(program: "/sbin/modprobe", arguments: ["xen-gntdev"])))
        let setup = try #require(calls.firstIndex(of: .spawn(program: "/usr/bin/setup", arguments: [])))
        #expect(module < write && xenfs < write && write < setup)
        #expect(harness.logged("set " + target + " to 262144"))
    }

    @Test("a backend waits for its device node and later backends wait their turn")
    func deviceAppearsLate() {
        let table = ServiceTable(role: .domd, services: [
            daemonService("kbdif", device: DeviceWait(path: "/dev/input/event0", timeoutMilliseconds: 2_000)),
            daemonService("sndif"),
        ])
        let harness = Harness(table)
        harness.control.script("/usr/bin/kbdif", [.daemon()])
        harness.control.script("/usr/bin/sndif", [.daemon()])
        harness.control.pathAppears("/dev/input/event0", afterMilliseconds: 730)
        harness.control.request(.powerOff, afterMilliseconds: 5_000)
        harness.initSystem.run()
        // Polled every 50 ms: started at the first poll after it appeared.
        #expect(harness.spawnTimes("/usr/bin/kbdif") == [750])
        #expect(harness.spawnTimes("/usr/bin/sndif") == [750])
    }

    @Test("a device that never appears fails its backend after the timeout, and the next one starts")
    func deviceWaitTimeout() {
        let table = ServiceTable(role: .domd, services: [
            daemonService("kbdif", device: DeviceWait(path: "/dev/input/event0", timeoutMilliseconds: 500)),
            daemonService("sndif"),
        ])
        let harness = Harness(table)
        harness.control.script("/usr/bin/sndif", [.daemon()])
        harness.control.request(.powerOff, afterMilliseconds: 2_000)
        harness.initSystem.run()
        #expect(harness.spawnTimes("/usr/bin/kbdif").isEmpty)
        #expect(harness.spawnTimes("/usr/bin/sndif") == [500])
        #expect(harness.logged("backend kbdif not started: /dev/input/event0 did not appear within 0.500 s"))
        #expect(harness.reporter.published.first?.backend == "kbdif")
        #expect(harness.reporter.published.first?.status == .failed)
        #expect(harness.initSystem.serviceStates.first?.state == .failed)
    }

    @Test("a crashing backend restarts with doubling backoff, then the init gives up and says why")
    func crashRestartBackoffGiveUp() {
        var spec = daemonService("usbif")
        spec.maxRestarts = 3
        spec.backoffMilliseconds = 100
        spec.maxBackoffMilliseconds = 300
        let harness = Harness(ServiceTable(role: .domd, services: [spec]))
        harness.control.script("/usr/bin/usbif", [.crashes(signal: 11, afterMilliseconds: 50, readyAfterMilliseconds: 20)])
        harness.control.request(.powerOff, afterMilliseconds: 10_000)
        harness.initSystem.run()
        // Runs 50 ms each; delays 100, 200, 300 (capped).
        #expect(harness.spawnTimes("/usr/bin/usbif") == [0, 150, 400, 750])
        #expect(harness.logged("restarting backend usbif in 0.100 s (restart 1 of 3)"))
        #expect(harness.logged("restarting backend usbif in 0.300 s (restart 3 of 3)"))
        #expect(harness.logged("giving up on backend usbif after 3 restart(s); last: killed by signal 11 (SIGSEGV)"))
        let statuses = harness.reporter.published.map { $0.status }
        #expect(statuses == [.ready, .restarting, .ready, .restarting, .ready, .restarting, .ready, .failed])
        #expect(harness.initSystem.serviceStates.first?.state == .failed)
        #expect(harness.initSystem.serviceStates.first?.restarts == 3)
    }

    @Test("restart policies decide what an exit means", arguments: [
        (RestartPolicy.onFailure, ChildStatus.exited(0), 1),
        (RestartPolicy.onFailure, ChildStatus.exited(2), 3),
        (RestartPolicy.always, ChildStatus.exited(0), 3),
        (RestartPolicy.never, ChildStatus.signaled(6), 1),
    ])
    func restartPolicy(policy: RestartPolicy, status: ChildStatus, runs: Int) {
        var spec = daemonService("kbdif")
        spec.restart = policy
        spec.maxRestarts = 2
        let harness = Harness(ServiceTable(role: .domd, services: [spec]))
        harness.control.script("/usr/bin/kbdif", [.exits(status, afterMilliseconds: 10)])
        harness.control.request(.powerOff, afterMilliseconds: 10_000)
        harness.initSystem.run()
        #expect(harness.spawnTimes("/usr/bin/kbdif").count == runs)
    }

    @Test("every child is reaped: backends, commands and orphans re-parented to PID 1")
    func zombieReaping() {
        let table = ServiceTable(role: .domd, modules: [ModuleSpec(name: "uinput")],
                                 services: [daemonService("kbdif")])
        let harness = Harness(table)
        harness.control.script("/usr/bin/kbdif", [.crashes(afterMilliseconds: 30), .daemon()])
        harness.control.orphanExits(pid: ProcessID(4_242), status: .exited(1), afterMilliseconds: 100)
        harness.control.orphanExits(pid: ProcessID(4_243), status: .signaled(9), afterMilliseconds: 100)
        harness.control.orphanExits(pid: ProcessID(4_244), status: .exited(0), afterMilliseconds: 700)
        harness.control.request(.powerOff, afterMilliseconds: 1_000)
        harness.initSystem.run()
        #expect(harness.control.unreaped.isEmpty)
        #expect(harness.control.running.isEmpty)
        #expect(harness.initSystem.orphansReaped.map { $0.pid.rawValue } == [4_242, 4_243, 4_244])
        #expect(harness.logged("reaped pid 4243: killed by signal 9 (SIGKILL)"))
        #expect(harness.control.stalls == 0)
    }

    @Test("shutdown stops backends in reverse order, SIGTERM first, SIGKILL after the stop timeout")
    func shutdownOrder() throws {
        let table = ServiceTable(role: .domd, services: [
            daemonService("kbdif", stopTimeout: 300),
            daemonService("sndif", stopTimeout: 300),
            daemonService("displif", stopTimeout: 300),
        ])
        let harness = Harness(table)
        harness.control.script("/usr/bin/kbdif", [.daemon(ignoresTerminate: true)])
        harness.control.script("/usr/bin/sndif", [ScriptedProcessControl.ChildScript(readyAfterMilliseconds: 5, terminateDelayMilliseconds: 40)])
        harness.control.script("/usr/bin/displif", [.daemon()])
        harness.control.request(.powerOff, afterMilliseconds: 1_000)
        harness.initSystem.run()

        let kbdif = try #require(harness.pid("/usr/bin/kbdif"))
        let sndif = try #require(harness.pid("/usr/bin/sndif"))
        let displif = try #require(harness.pid("/usr/bin/displif"))
        let tail = harness.control.calls.filter { call in
            switch call {
            case .signal, .power: return true
            default: return false
            }
        }
        #expect(tail == [.signal(displif, .terminate), .signal(sndif, .terminate), .signal(kbdif, .terminate),
                         .signal(kbdif, .kill), .power(.powerOff)])
        #expect(harness.logged("backend kbdif did not stop within 0.300 s: SIGKILL"))
        // 1 s until the request, 40 ms for sndif, 300 ms for kbdif's timeout.
        #expect(harness.control.now() - harness.t0 == 1_340_000_000)
        #expect(harness.initSystem.serviceStates.allSatisfy { $0.state == .stopped })
        #expect(harness.control.running.isEmpty)
    }

    @Test("a restart request stops the backends and restarts the machine")
    func restartRequest() {
        let harness = Harness(ServiceTable(role: .domd, services: [daemonService("kbdif")]))
        harness.control.script("/usr/bin/kbdif", [.daemon()])
        harness.control.request(.restart, afterMilliseconds: 200)
        #expect(harness.initSystem.run() == .restart)
        #expect(harness.control.calls.last == .power(.restart))
    }

    @Test("a backend that closes its readiness pipe without 'ready' is not reported ready")
    func readinessPipeClosed() {
        let harness = Harness(ServiceTable(role: .domd, services: [daemonService("kbdif")]))
        harness.control.script("/usr/bin/kbdif", [.exits(.exited(0), afterMilliseconds: 10)])
        harness.control.request(.powerOff, afterMilliseconds: 200)
        harness.initSystem.run()
        #expect(harness.reporter.published.isEmpty)
        #expect(harness.logged("backend kbdif (pid"))
    }

    @Test("a backend that cannot be spawned counts as a failed start and is retried with backoff")
    func spawnFailure() {
        var spec = daemonService("kbdif")
        spec.maxRestarts = 1
        let harness = Harness(ServiceTable(role: .domd, services: [spec]))
        harness.control.failingSpawns["/usr/bin/kbdif"] = 12
        harness.control.request(.powerOff, afterMilliseconds: 1_000)
        harness.initSystem.run()
        #expect(harness.logged("cannot start /usr/bin/kbdif (errno 12)"))
        #expect(harness.logged("giving up on backend kbdif after 1 restart(s)"))
    }
}
