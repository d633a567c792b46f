// SPDX-License-Identifier: Apache-2.0
import DomDInit
import DriverdomConfig
import Foundation
import QEMURunner
@testable import SystemTest
import Testing

@Suite("Session initramfs edits and scripts")
struct SessionKitTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func configuration() throws -> Configuration {
        let path = repository.appendingPathComponent("Images/qemu-virt-arm64.yaml").path
        return try Repository.find(from: path).loadImage(at: path)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("session-kit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The guest xl.cfg `original` after a `kind` session's ``SessionKit/giveKernel(to:path:sound:name:)``.
    static func givenKernel(_ original: String, kind: SessionKind, sound: Bool = false, name: String? = nil) throws -> String {
        let kit = SessionKit(configuration: try configuration(), kind: kind)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("guest.cfg")
        try Data(original.utf8).write(to: config)
        try kit.giveKernel(to: config, path: "/etc/xen/driverdom/guest.cfg", sound: sound, name: name)
        return try String(contentsOf: config, encoding: .utf8)
    }

    @Test("a guest xl.cfg without a kernel gets the image's kernel and the session's guest initramfs")
    func guestGetsKernel() throws {
        let text = try Self.givenKernel("name = \"DomU\"\nmemory = 512\n", kind: .test)
        #expect(text.hasPrefix("name = \"DomU\"\nmemory = 512\n"))
        #expect(text.contains("kernel = \"/boot/vmlinuz\""))
        #expect(text.contains("ramdisk = \"\(SessionKit.guestInitramfs)\""))
        #expect(text.contains("extra = \"console=hvc0 rdinit=/init\""))
    }

    @Test("a guest xl.cfg that names its own kernel is left alone")
    func ownKernelKept() throws {
        let original = "name = \"G\"\nkernel = \"/boot/mine\"\n"
        #expect(try Self.givenKernel(original, kind: .interactive) == original)
    }

    @Test("the injector becomes DomD's first service and the table still parses")
    func injectorFirst() throws {
        let kit = SessionKit(configuration: try Self.configuration(), kind: .test)
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let table = ServiceTable(role: .domd, modules: [ModuleSpec(name: "uinput")],
                                 readiness: .xenstoreWrite(program: "/usr/bin/xenstore-write"),
                                 services: [ServiceSpec(name: "kbdif", program: "/usr/bin/kbdif-backend",
                                                        arguments: ["/dev/input/event0"])])
        let path = root.appendingPathComponent("etc/driverdom/services")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(try ServiceTableWriter.write(table).utf8).write(to: path)
        try kit.editTable(in: root) { table in
            table.services.insert(ServiceSpec(name: Probes.injector, program: "/usr/bin/" + Probes.injector,
                                              readiness: .onStart), at: 0)
        }
        let edited = try ServiceTableParser.parse(try String(contentsOf: path, encoding: .utf8))
        #expect(edited.services.map(\.name) == [Probes.injector, "kbdif"])
        #expect(edited.readiness == table.readiness)
        #expect(edited.modules == table.modules)
    }

    @Test("a table the init cannot parse is reported with its path")
    func brokenTable() throws {
        let kit = SessionKit(configuration: try Self.configuration(), kind: .test)
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("etc/driverdom/services")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not a table\n".utf8).write(to: path)
        #expect(throws: SystemTestError.self) { try kit.editTable(in: root) { _ in } }
    }

    @Test("dom0's test script relays each guest's verdicts, destroys it, checks the layers' backend folders, then finishes",
          arguments: [["DomU"], ["Cluster", "IVI"]])
    func testScript(guests: [String]) {
        let teardowns = Dictionary(uniqueKeysWithValues: guests.map { ($0, [(layer: "kbdif", folder: "vinput")]) })
        let script = SessionScripts.dom0Test(guests: guests, domd: "DomD", guestSeconds: 120,
                                             guestVerdicts: Dictionary(uniqueKeysWithValues: guests.map { ($0, ["kbdif"]) }),
                                             teardowns: teardowns)
        for guest in guests {
            #expect(script.contains("guest=\(guest)\n"))
        }
        #expect(script.components(separatedBy: "xl destroy $guest").count == guests.count + 1)
        #expect(script.components(separatedBy: "backend/vinput/$guestid").count == guests.count + 1)
        #expect(script.contains("say \"verdict kbdif-teardown PASS"))
        #expect(script.contains("say \"verdict kbdif FAIL guest $guest was not created\""))
        #expect(script.contains("say \"verdict kbdif FAIL guest $guest printed no verdict within 120 s\""))
        #expect(!script.contains("backend/vkbd"))
        #expect(script.contains("until backend_domid=$(domid DomD)"))
        #expect(script.hasSuffix("say finished\n"))
        #expect(script.contains(ConsoleWatcher.verdictPrefix.trimmingCharacters(in: .whitespaces)))
    }

    @Test("every kernel fault line of every domain's console log reaches dom0's console with the domain's name")
    func kernelFaultsAreRelayed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("consoles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let warning = "[    1.2] WARNING: CPU: 0 PID: 57 at arch/arm64/mm/mmu.c:1222 vmemmap_populate+0x30/0x40"
        let oops = "[    9.9] Internal error: Oops: 0000000096000004 [#1] SMP"
        try "[    0.1] Booting Linux\n\(warning)\n[    2.0] init: all DomD backends ready\n"
            .write(to: folder.appendingPathComponent("guest-DomD.log"), atomically: true, encoding: .utf8)
        try "[    0.2] xen-kbdfront\n\(oops)\n".write(to: folder.appendingPathComponent("guest-DomU.log"),
                                                   atomically: true, encoding: .utf8)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", SessionScripts.relayKernelFaults(folder: folder.path)]
        let pipe = Pipe()
        shell.standardOutput = pipe
        try shell.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(output == "[DomD] \(warning)\n[DomU] \(oops)\n")
        var watcher = ConsoleWatcher()
        for line in output.split(separator: "\n") { watcher.consume(String(line), at: 1) }
        #expect(watcher.kernelProblems.count == 2)
    }

    @Test("with dom0 as the driver domain the backend nodes are looked for under domain 0")
    func dom0Script() {
        let script = SessionScripts.dom0Test(guests: ["DomU"], domd: nil, guestSeconds: 30)
        #expect(script.contains("backend_domid=0"))
        #expect(!script.contains("domid DomD"))
    }

    @Test("a finished run with passing verdicts still fails when any kernel printed a warning, and says which")
    func kernelWarningFailsTheRun() {
        var console = ConsoleWatcher()
        console.consume("driverdom-test: verdict kbdif PASS 12 events in order", at: 10)
        console.consume("(XEN) WARNING: SILO mode is not enabled.", at: 1)
        console.consume("driverdom-test: finished", at: 11)
        #expect(ImageSession.runFailure(of: RunOutcome(console: console, elapsed: 12, exitStatus: 0, timedOut: false)) == nil)

        let warning = "[   17.4] WARNING: CPU: 0 PID: 57 at arch/arm64/mm/mmu.c:1222 vmemmap_populate+0x30/0x40"
        console.consume(warning, at: 11.5)
        console.consume("[   17.5] WARNING: CPU: 1 PID: 57 at mm/memory_hotplug.c:1 add_memory+0x1/0x2", at: 11.6)
        let failure = ImageSession.runFailure(of: RunOutcome(console: console, elapsed: 12, exitStatus: 0, timedOut: false))
        #expect(failure == "a kernel reported a fault: \(warning) (and 1 more such line)")
    }

    @Test("the machine has room for dom0, DomD and every guest")
    func machineMemory() throws {
        let configuration = try Self.configuration()
        let artifacts = BootArtifacts(xen: URL(fileURLWithPath: "/x"), kernel: URL(fileURLWithPath: "/k"),
                                      initramfs: URL(fileURLWithPath: "/i"))
        let machine = ImageSession.machine(for: configuration, artifacts: artifacts)
        #expect(machine.memoryMiB >= 512 + 256 + 512)
        #expect(machine.dom0MemoryMiB == 512)
        #expect(machine.xenArguments.contains("xsm=dummy"))
    }

    @Test("the default image's vsnd streams loop to the DomD PCMs the sound test plays and records")
    func soundPlan() throws {
        let plan = try #require(SoundTestPlan.plan(for: try Self.configuration()))
        #expect(plan == SoundTestPlan(domdCapture: "hw:Loopback,1,0", domdPlayback: "hw:Loopback,0,1"))
    }

    @Test("snd-aloop PCMs loop device 0 to device 1 on the same substream; other names have no partner")
    func loopPartner() {
        #expect(SoundTestPlan.loopPartner(of: "hw:Loopback,0,3") == "hw:Loopback,1,3")
        #expect(SoundTestPlan.loopPartner(of: "hw:Loopback,1,0") == "hw:Loopback,0,0")
        for name in ["hw:0,0", "plug:dmix", "hw:Loopback,2,0", "hw:,0,0", "default"] {
            #expect(SoundTestPlan.loopPartner(of: name) == nil)
        }
    }

    @Test("DomD's sound script plays the endless signal and checks each burst of the guest's playback")
    func domdSoundScript() {
        let script = SessionScripts.domdSound(SoundTestPlan(domdCapture: "hw:Loopback,1,0", domdPlayback: "hw:Loopback,0,1"))
        #expect(script.contains("e2e-sound-probe generate endless | aplay -D hw:Loopback,0,1 "))
        #expect(script.contains("arecord -D hw:Loopback,1,0 "))
        #expect(script.contains("e2e-sound-probe check-bursts \(SoundTestPlan.burstFrames) sndif-playback"))
    }

    @Test("the guest plays and records only when its command line says it has a vsnd card, then says it is done")
    func guestSoundScript() {
        let plan = SoundTestPlan(domdCapture: "hw:Loopback,1,0", domdPlayback: "hw:Loopback,0,1")
        let script = SessionScripts.guestTest(evdevModule: "/lib/modules/evdev.ko", sound: plan)
        #expect(script.contains("if grep -q \(SessionScripts.soundFlag) /proc/cmdline; then"))
        #expect(script.contains("load_module $module"))
        #expect(script.contains("/lib/modules/snd_xen_front.ko"))
        #expect(script.contains("generate \(SoundTestPlan.burstFrames) | aplay -D hw:0,0 "))
        #expect(script.contains("check-window \(SoundTestPlan.minimumRecordedFrames) sndif-capture"))
        #expect(script.contains(SessionScripts.guestDoneMarker + "\"\nsync\npoweroff -f"))
        let quiet = SessionScripts.guestTest(evdevModule: "/lib/modules/evdev.ko")
        #expect(!quiet.contains("aplay"))
        #expect(quiet.contains(SessionScripts.guestDoneMarker))
    }

    @Test("a guest with a vsnd card gets the sound flag on its command line")
    func soundFlag() throws {
        #expect(try Self.givenKernel("name = \"DomU\"\n", kind: .test, sound: true)
            .contains("extra = \"console=hvc0 rdinit=/init \(SessionScripts.soundFlag)\""))
    }

    @Test("dom0 relays DomD's playback verdicts and fails the sound checks of a guest never created")
    func dom0SoundRelay() {
        let script = SessionScripts.dom0Test(guests: ["DomU"], domd: "DomD", guestSeconds: 120, sound: true)
        #expect(script.contains("grep \"driverdom-test: verdict sndif-playback\" $log | sed \"s/^/[DomD] /\""))
        #expect(script.contains("  say \"verdict sndif-capture FAIL guest $guest was not created\""))
        #expect(script.contains("until grep -q \"\(SessionScripts.guestDoneMarker)\" $log"))
        let quiet = SessionScripts.dom0Test(guests: ["DomU"], domd: "DomD", guestSeconds: 120)
        #expect(!quiet.contains("sndif"))
    }

    @Test("the default image's usbif test: DomD's gadget on dummy_udc.0, DomU's disk checks, dom0's relay and teardown check")
    func usbTest() throws {
        let configuration = try Self.configuration()
        let plan = try #require(UsbTestPlan.plan(for: configuration))
        #expect(plan == UsbTestPlan(udc: "dummy_udc.0", guests: ["DomU"], vhci: "vhci_hcd.0"))
        #expect(plan.allChecks == UsbTestPlan.checks + ["usbif-iso"])
        let domd = SessionScripts.domdUsb(plan, gadgetModule: "/m.ko")
        #expect(domd.contains("insmod /m.ko\n"))
        #expect(domd.contains("echo dummy_udc.0 > $g/UDC"))
        #expect(domd.contains("\(UsbTestPlan.diskRecords) > $dir/disk.img"))
        #expect(domd.contains("verdict usbif-write PASS"))
        // The counter microphone attaches to vhci-hcd's first USB 2 port before the disk is made.
        #expect(domd.contains("\(SessionScripts.folder)/bin/e2e-usbip-audio /sys/devices/platform/vhci_hcd.0/attach 0 &\n"))
        #expect(try #require(domd.range(of: "e2e-usbip-audio")).lowerBound < (try #require(domd.range(of: "insmod /m.ko")).lowerBound))
        let kit = SessionKit(configuration: configuration, kind: .test)
        let guest = kit.guestInit(sound: nil)
        #expect(guest.contains("if grep -q \(UsbTestPlan.guestFlag) /proc/cmdline; then"))
        #expect(guest.contains("/lib/modules/usb-storage.ko; do load_module $module; done"))
        #expect(guest.contains("verdict usbif-replug PASS"))
        #expect(guest.contains("if grep -q \(UsbTestPlan.isoGuestFlag) /proc/cmdline; then"))
        #expect(guest.contains("/lib/modules/snd-usb-audio.ko; do load_module $module; done"))
        #expect(guest.contains("out=$(e2e-sound-probe check-window 48000 usbif-iso < /tmp/usb-rec.raw 2>&1)"))
        #expect(guest.contains("arecord -D hw:$card,0 -f S16_LE -c 2 -r 48000 -t raw -q -s 48000 "))
        let dom0 = kit.dom0Script(sound: false)
        #expect(dom0.contains("node=/local/domain/$backend_domid/backend/qusb/$guestid"))
        #expect(dom0.contains("grep \"driverdom-test: verdict usbif-write\" $log | sed \"s/^/[DomD] /\""))
        #expect(dom0.contains("  say \"verdict usbif-replug FAIL guest $guest was not created\""))
        #expect(dom0.contains("  say \"verdict usbif-iso FAIL guest $guest was not created\""))
        // Each module the guest loads comes after what it depends on (checked on the real kernel by the kit).
        #expect(UsbTestPlan.guestModules.last == "drivers/usb/storage/usb-storage.ko")
        #expect(UsbTestPlan.isoGuestModules.last == "sound/usb/snd-usb-audio.ko")
        var noIso = configuration
        noIso.image.guests[0].usbctrl.removeLast()
        let storageOnly = try #require(UsbTestPlan.plan(for: noIso))
        #expect(storageOnly.vhci == nil && storageOnly.allChecks == UsbTestPlan.checks)
        #expect(!SessionScripts.domdUsb(storageOnly, gadgetModule: "/m.ko").contains("e2e-usbip-audio"))
        #expect(!SessionKit(configuration: noIso, kind: .test).dom0Script(sound: false).contains("usbif-iso"))
        var noUsb = configuration
        noUsb.image.guests[0].usbctrl = []
        #expect(UsbTestPlan.plan(for: noUsb) == nil)
        #expect(!SessionKit(configuration: noUsb, kind: .test).dom0Script(sound: false).contains("usbif"))
    }
}
