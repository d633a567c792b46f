// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
@testable import DomDInit

@Suite("Control role (dom0) on the scripted system")
struct ControlRoleTests {
    static let bin = "/usr/lib/xen-4.17/bin"
    static var table: ServiceTable {
        ServiceTable.xenControl(domd: DomainSpec(name: "DomD", config: "/etc/xen/domd.cfg"),
                                awaitedBackends: ["kbdif"], guests: ["/etc/xen/guest.cfg"],
                                readinessTimeoutMilliseconds: 2_000)
    }

    static let modules = "/lib/modules/6.1.0-test-arm64/"
    static let modulesDep = """
        kernel/drivers/xen/xen-privcmd.ko:
        kernel/drivers/xen/xenfs/xenfs.ko:
        kernel/drivers/xen/xen-evtchn.ko:
        kernel/drivers/xen/xen-gntdev.ko:
        kernel/drivers/xen/xen-gntalloc.ko:
        """

    func harness(xenstoreRead: [ScriptedProcessControl.ChildScript]) -> Harness {
        let harness = Harness(Self.table)
        harness.control.script(Self.bin + "/xl", [.exits(), .exits(output: "1\n"), .exits(), .exits(output: "2\n"),
                                                  .exits()])
        harness.control.script("/usr/bin/xenstore-read", xenstoreRead)
        harness.control.script("/usr/bin/xenstore-chmod", [.exits()])
        harness.control.files["/etc/xen/guest.cfg"] = "# a guest\nname = \"DomU\"\nmemory = 256\n"
        harness.control.files[Self.modules + "modules.dep"] = Self.modulesDep
        harness.control.request(.powerOff, afterMilliseconds: 60_000)
        return harness
    }

    @Test("brings up Xen as E2E.md says, creates DomD, waits for its backend, then creates the guest")
    func sequence() {
        let harness = harness(xenstoreRead: [.exits(.exited(1), afterMilliseconds: 5), .exits(output: "starting\n"),
                                             .exits(output: "ready\n")])
        harness.initSystem.run()
        let spawns = harness.control.spawned.map { [$0.program] + $0.arguments }
        let statusPath = "/local/domain/1/drivers/kbdif/status"
        // The init loads dom0's modules itself, in order, no modprobe process.
        let loads = harness.control.calls.compactMap { call -> String? in
            if case .loadModule(let path, _) = call { return path }
            return nil
        }
        #expect(loads == ["xen-privcmd.ko", "xenfs/xenfs.ko", "xen-evtchn.ko", "xen-gntdev.ko", "xen-gntalloc.ko"]
            .map { Self.modules + "kernel/drivers/xen/" + $0 })
        #expect(spawns == [
            [Self.bin + "/xenstored"], [Self.bin + "/xen-init-dom0"],
            [Self.bin + "/xenconsoled", "--log=guest", "--log-dir=/var/log/xen/console"],
            [Self.bin + "/xl", "create", "/etc/xen/domd.cfg"],
            [Self.bin + "/xl", "domid", "DomD"],
            ["/usr/bin/xenstore-read", statusPath], ["/usr/bin/xenstore-read", statusPath],
            ["/usr/bin/xenstore-read", statusPath],
            // The guest is created paused, DomD may read its name, then it runs.
            [Self.bin + "/xl", "create", "-p", "/etc/xen/guest.cfg"],
            [Self.bin + "/xl", "domid", "DomU"],
            ["/usr/bin/xenstore-chmod", "/local/domain/2/name", "n0", "r2", "r1"],
            [Self.bin + "/xl", "unpause", "DomU"],
        ])
        #expect(harness.logged("guest DomU is domain 2"))
        // xenfs is mounted after its module is loaded, the folders exist before xenstored runs.
        let calls = harness.control.calls
        let xenfs = calls.firstIndex(of: .mount(target: "/proc/xen", type: "xenfs"))
        let lastModprobe = calls.lastIndex(of: .loadModule(path: Self.modules + "kernel/drivers/xen/xen-gntalloc.ko",
                                                           parameters: ""))
        let xenstored = calls.firstIndex(of: .spawn(program: Self.bin + "/xenstored", arguments: []))
        let consoleDir = calls.firstIndex(of: .makeDirectory("/var/log/xen/console"))
        #expect(lastModprobe != nil && xenfs != nil && lastModprobe! < xenfs!)
        #expect(consoleDir != nil && xenstored != nil && consoleDir! < xenstored!)
        #expect(harness.logged("all DomD backends ready (1) at"))
        #expect(!harness.logged("error"))
        // Polls that find nothing yet are expected: not logged.
        #expect(!harness.logged("xenstore-read (pid"))
        // Polls are 250 ms apart.
        #expect(harness.spawnTimes("/usr/bin/xenstore-read") == [0, 255, 505])
    }

    @Test("the guest name is read from its xl.cfg", arguments: [
        ("name = \"DomU\"\n", "DomU"), ("  name=\'IVI\'  # the head unit\n", "IVI"),
        ("# name = \"No\"\nnamespace = 1\nname = \"Cluster\"\n", "Cluster"), ("memory = 1\n", nil), ("name = \"\"\n", nil),
    ] as [(String, String?)])
    func guestName(config: String, name: String?) {
        #expect(InitSystem<ScriptedProcessControl, RecordingReadinessReporter>.domainName(inConfig: config) == name)
    }

    @Test("a backend that never becomes ready stops the plan with a clear message after the timeout")
    func readinessTimeout() {
        let harness = harness(xenstoreRead: [.exits(.exited(1))])
        harness.initSystem.run()
        #expect(harness.logged("control plan failed: DomD backend kbdif did not report ready within 2.000 s "
                               + "(/local/domain/1/drivers/kbdif/status never became 'ready')"))
        #expect(!harness.control.spawned.contains { $0.arguments.contains("/etc/xen/guest.cfg") })
        let polls = harness.spawnTimes("/usr/bin/xenstore-read")
        #expect(polls.first == 0)
        #expect(polls.last == 2_000)
        #expect(harness.control.calls.last == .power(.powerOff))
    }

    @Test("a backend DomD reports as failed stops the plan at once")
    func backendFailed() {
        let harness = harness(xenstoreRead: [.exits(output: "failed\n")])
        harness.initSystem.run()
        #expect(harness.logged("DomD backend kbdif reported 'failed' at /local/domain/1/drivers/kbdif/status"))
        #expect(harness.spawnTimes("/usr/bin/xenstore-read").count == 1)
        #expect(!harness.control.spawned.contains { $0.arguments.contains("/etc/xen/guest.cfg") })
    }

    @Test("a failing xl create is reported and no guest is created")
    func domdCreateFails() {
        let harness = Harness(Self.table)
        harness.control.script(Self.bin + "/xl", [.exits(.exited(3))])
        harness.control.request(.powerOff, afterMilliseconds: 60_000)
        harness.initSystem.run()
        #expect(harness.logged("control plan failed: " + Self.bin + "/xl failed: exited with status 3"))
        #expect(harness.control.spawned.filter { $0.program == Self.bin + "/xl" }.count == 1)
    }

    @Test("when dom0 is the driver domain it waits for its own backends before creating guests")
    func dom0IsDriverDomain() {
        var table = ServiceTable.xenControl(domd: nil, awaitedBackends: ["kbdif"], guests: ["/etc/xen/guest.cfg"])
        table.services = [daemonService("kbdif")]
        let harness = Harness(table)
        harness.control.script("/usr/bin/kbdif", [.daemon(readyAfterMilliseconds: 800)])
        harness.control.request(.powerOff, afterMilliseconds: 60_000)
        harness.initSystem.run()
        #expect(harness.spawnTimes("/usr/bin/kbdif") == [0])
        #expect(harness.spawnTimes(Self.bin + "/xl") == [800])
        #expect(harness.spawnTimes("/usr/bin/xenstore-read").isEmpty)
        #expect(harness.reporter.published.first?.status == .ready)
    }

    @Test("a power request during the readiness wait stops waiting and shuts down")
    func powerRequestDuringWait() {
        let harness = Harness(Self.table)
        harness.control.script(Self.bin + "/xl", [.exits(), .exits(output: "1\n")])
        harness.control.script("/usr/bin/xenstore-read", [.exits(.exited(1))])
        harness.control.request(.powerOff, afterMilliseconds: 600)
        harness.initSystem.run()
        #expect(harness.logged("control plan stopped by the power request"))
        #expect(harness.control.now() - harness.t0 < 1_000_000_000)
        #expect(harness.control.calls.last == .power(.powerOff))
    }

    static let bootPartition = BootPartitionSpec(name: "boot", filesystem: "vfat", mountPoint: "/boot", waitMilliseconds: 1_000)
    static let procPartitions = """
        major minor  #blocks  name

         254        0     106496 vda
         254        1      65536 vda1
         254        2      40943 vda2
        """

    func bootHarness() -> Harness {
        var table = Self.table
        table.control.bootPartition = Self.bootPartition
        let harness = Harness(table)
        harness.control.script(Self.bin + "/xl", [.exits(), .exits(output: "1\n")])
        harness.control.script("/usr/bin/xenstore-read", [.exits(output: "ready\n")])
        harness.control.script("/usr/bin/xenstore-chmod", [.exits()])
        harness.control.files[Self.modules + "modules.dep"] = Self.modulesDep
        harness.control.request(.powerOff, afterMilliseconds: 60_000)
        return harness
    }

    @Test("the boot partition is found by its GPT name and mounted read-only before DomD is created")
    func bootPartitionMounted() throws {
        let harness = bootHarness()
        harness.control.files["/proc/partitions"] = Self.procPartitions
        harness.control.files["/sys/class/block/vda/uevent"] = "MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n"
        harness.control.files["/sys/class/block/vda1/uevent"] = "MAJOR=254\nMINOR=1\nDEVNAME=vda1\nDEVTYPE=partition\nPARTN=1\nPARTNAME=boot\n"
        harness.control.files["/sys/class/block/vda2/uevent"] = "DEVNAME=vda2\nPARTN=2\nPARTNAME=rootfs\n"
        harness.initSystem.run()
        let mount = try #require(harness.control.mountRequests.first { $0.target == "/boot" })
        #expect(mount == MountRequest(source: "/dev/vda1", target: "/boot", type: "vfat", readOnly: true))
        let calls = harness.control.calls
        let mounted = calls.firstIndex(of: .mount(target: "/boot", type: "vfat"))
        let created = calls.firstIndex(of: .spawn(program: Self.bin + "/xl", arguments: ["create", "/etc/xen/domd.cfg"]))
        #expect(mounted != nil && created != nil && mounted! < created!)
        #expect(harness.logged("mounted partition boot (/dev/vda1, vfat) read-only on /boot"))
    }

    @Test("no boot partition: the plan stops after the wait, naming the partition and the block devices seen")
    func bootPartitionMissing() {
        let harness = bootHarness()
        harness.control.files["/proc/partitions"] = "major minor  #blocks  name\n\n 254 0 1024 vda\n"
        harness.control.files["/sys/class/block/vda/uevent"] = "DEVNAME=vda\nDEVTYPE=disk\n"
        harness.initSystem.run()
        #expect(harness.logged("control plan failed: no partition named 'boot' (GPT name) appeared within 1.000 s;"
                               + " /proc/partitions lists vda."))
        #expect(harness.logged("check that the disk is attached"))
        #expect(harness.spawnTimes(Self.bin + "/xl").isEmpty)
    }

    @Test("a boot partition mount(2) refuses stops the plan naming the device")
    func bootPartitionMountFails() {
        let harness = bootHarness()
        harness.control.files["/proc/partitions"] = Self.procPartitions
        harness.control.files["/sys/class/block/vda1/uevent"] = "DEVNAME=vda1\nPARTNAME=boot\n"
        harness.control.failingMounts["/boot"] = 19
        harness.initSystem.run()
        #expect(harness.logged("control plan failed: cannot mount partition 'boot' (/dev/vda1) as vfat read-only on /boot"
                               + " (errno 19)"))
        #expect(harness.spawnTimes(Self.bin + "/xl").isEmpty)
    }

    @Test("/proc/partitions rows and uevent values are read as the kernel writes them")
    func partitionLookup() {
        #expect(BootPartitionLookup.blockDevices(inProcPartitions: Self.procPartitions) == ["vda", "vda1", "vda2"])
        #expect(BootPartitionLookup.blockDevices(inProcPartitions: "") == [])
        #expect(BootPartitionLookup.value("PARTNAME", inUevent: "PARTN=1\nPARTNAME=boot\n") == "boot")
        #expect(BootPartitionLookup.value("PARTNAME", inUevent: "DEVNAME=mmcblk0\n") == nil)
    }
}
