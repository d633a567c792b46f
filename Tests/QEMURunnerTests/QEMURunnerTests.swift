// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing
@testable import QEMURunner

@Suite struct XenMachineTests {
    let artifacts = BootArtifacts(
        xen: URL(fileURLWithPath: "/b/xen"), kernel: URL(fileURLWithPath: "/b/vmlinuz"),
        initramfs: URL(fileURLWithPath: "/b/dom0.cpio.gz"))

    @Test func commandLineIsTheMeasuredRecipe() {
        let machine = XenMachine(artifacts: artifacts)
        #expect(machine.arguments() == [
            "-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57", "-smp", "2", "-m", "2048",
            "-nographic", "-no-reboot", "-monitor", "none", "-serial", "stdio", "-nic", "none",
            "-kernel", "/b/xen",
            "-append", "console=dtuart dtuart=/pl011@9000000 dom0_mem=512M dom0_max_vcpus=1 bootscrub=0 xsm=dummy",
            "-device", "guest-loader,addr=0x60000000,kernel=/b/vmlinuz,bootargs=console=hvc0 earlycon=xenboot loglevel=5 rdinit=/init",
            "-device", "guest-loader,addr=0x64000000,initrd=/b/dom0.cpio.gz",
        ])
    }

    @Test func diskIsAttachedReadOnlyAsVirtioBlock() throws {
        var disk = artifacts
        disk.disk = URL(fileURLWithPath: "/b/out,1/disk.img")
        let arguments = XenMachine(artifacts: disk).arguments()
        // After the guest-loader devices; a comma in the path is doubled, as QEMU's option parser wants.
        #expect(Array(arguments.suffix(4)) == ["-drive", "if=none,id=flash,format=raw,readonly=on,file=/b/out,,1/disk.img",
                                               "-device", "virtio-blk-device,drive=flash"])
        #expect(XenMachine(artifacts: disk).dumpArguments(to: URL(fileURLWithPath: "/t/q.dtb")).suffix(4) == arguments.suffix(4))
    }

    @Test func commaInBootargsIsRejected() {
        var machine = XenMachine(artifacts: artifacts)
        machine.dom0Arguments.append("modules=a,b")
        #expect(throws: RunError.invalidMachine("dom0 argument 'modules=a,b' contains a comma, which QEMU's guest-loader bootargs cannot carry")) {
            try machine.validate()
        }
    }

    @Test func dom0MemoryMustFit() {
        let machine = XenMachine(artifacts: artifacts, memoryMiB: 512, dom0MemoryMiB: 512)
        #expect(throws: RunError.invalidMachine("machine memory 512 MiB must exceed dom0's 512 MiB")) {
            try machine.validate()
        }
    }

    @Test func missingBootFileIsNamed() {
        let machine = XenMachine(artifacts: artifacts)
        #expect(throws: RunError.missingArtifact("/b/xen")) { try machine.validate() }
    }
}

@Suite struct ConsoleWatcherTests {
    @Test func recognisesReadinessVerdictsAndEnd() {
        var watcher = ConsoleWatcher()
        watcher.consume("[    1.0] booting", at: 1)
        watcher.consume("[    9.5] driverdom: all backends ready\r", at: 9.5)
        watcher.consume("driverdom-test: verdict kbdif PASS 12 events in order", at: 20)
        watcher.consume("driverdom-test: verdict sndif FAIL period 3 differs at byte 17", at: 21)
        #expect(!watcher.isDone)
        watcher.consume("driverdom-test: finished", at: 22)
        #expect(watcher.readyAfter == 9.5)
        #expect(watcher.verdicts == [
            LayerVerdict(layer: "kbdif", passed: true, detail: "12 events in order"),
            LayerVerdict(layer: "sndif", passed: false, detail: "period 3 differs at byte 17"),
        ])
        #expect(watcher.isDone)
        #expect(!watcher.allPassed)
    }

    @Test func noVerdictIsNotAPass() {
        var watcher = ConsoleWatcher()
        watcher.consume("driverdom-test: finished", at: 1)
        #expect(watcher.isDone)
        #expect(!watcher.allPassed)
    }

    @Test func controlPlanFailureEndsTheRun() {
        var watcher = ConsoleWatcher()
        watcher.consume("[    4.2] init: control plan failed: no partition named 'boot' (GPT name) appeared within 15.000 s", at: 9)
        #expect(watcher.isDone)
        #expect(watcher.controlFailure?.contains("no partition named 'boot'") == true)
        #expect(!watcher.allPassed)
    }

    @Test func panicEndsTheRun() {
        var watcher = ConsoleWatcher()
        watcher.consume("driverdom-test: verdict kbdif PASS ok", at: 1)
        watcher.consume("[ 3.1] Kernel panic - not syncing: Attempted to kill init!", at: 2)
        #expect(watcher.isDone)
        #expect(watcher.fatalLine == "[ 3.1] Kernel panic - not syncing: Attempted to kill init!")
        #expect(!watcher.allPassed)
    }

    @Test("kernel warnings, bugs, oopses and panics of every console are collected; Xen's SILO notice is not one",
          arguments: [
              ("[   17.412345] WARNING: CPU: 0 PID: 42 at arch/arm64/mm/mmu.c:1222 vmemmap_populate+0x30/0x40", true),
              ("[    2.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008", true),
              ("[    3.100000] Internal error: Oops: 0000000096000004 [#1] SMP", true),
              ("(XEN) Xen WARN at common/grant_table.c:1234", true),
              ("(XEN) Xen BUG at arch/arm/p2m.c:77", true),
              ("(XEN) WARNING: SILO mode is not enabled.", false),
              ("(XEN) It has implications on the security of the system,", false),
              ("[    1.000000] xen:balloon: Initialising balloon driver", false),
              ("driverdom-test: verdict kbdif PASS 12 events in order", false),
          ] as [(String, Bool)])
    func kernelProblems(line: String, isProblem: Bool) {
        var watcher = ConsoleWatcher()
        watcher.consume(line, at: 1)
        #expect(watcher.kernelProblems == (isProblem ? [line] : []))
        #expect(ConsoleWatcher.isKernelProblem(line) == isProblem)
    }

    @Test func malformedVerdictFails() {
        var watcher = ConsoleWatcher()
        watcher.consume("driverdom-test: verdict kbdif", at: 1)
        #expect(watcher.verdicts == [LayerVerdict(layer: "kbdif", passed: false, detail: "malformed verdict line: kbdif")])
    }
}

@Suite struct QEMURunTests {
    /// A scripted stand-in for the emulator: a shell script printing a console, run
    /// by /bin/sh (exec'ing a file another test's child may hold open for writing fails with ETXTBSY).
    func script(_ body: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fake-qemu-\(UUID().uuidString)")
        try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    @Test func streamsConsoleAndStopsWhenDone() throws {
        let program = try script("""
            echo 'driverdom: all backends ready'
            printf 'driverdom-test: verdict kbdif PASS 4 events\\n'
            echo 'driverdom-test: finished'
            exec sleep 30
            """)
        defer { try? FileManager.default.removeItem(atPath: program) }
        var seen = ""
        let outcome = try QEMURun.run(program: "/bin/sh", arguments: [program],
                                      options: RunOptions(timeout: 25, stopWhenDone: true)) { seen += $0 }
        #expect(outcome.console.allPassed)
        #expect(!outcome.timedOut)
        #expect(outcome.console.readyAfter != nil)
        #expect(seen.contains("verdict kbdif PASS"))
    }

    @Test func timeoutKillsASilentEmulator() throws {
        let program = try script("echo 'booting'\nexec sleep 30")
        defer { try? FileManager.default.removeItem(atPath: program) }
        let outcome = try QEMURun.run(program: "/bin/sh", arguments: [program], options: RunOptions(timeout: 0.5)) { _ in }
        #expect(outcome.timedOut)
        #expect(outcome.exitStatus == nil)
        #expect(outcome.console.lastLine == "booting")
    }

    @Test func exitStatusAndUnterminatedLastLine() throws {
        let program = try script("printf 'driverdom-test: finished'\nexit 3")
        defer { try? FileManager.default.removeItem(atPath: program) }
        let outcome = try QEMURun.run(program: "/bin/sh", arguments: [program], options: RunOptions(timeout: 25)) { _ in }
        #expect(outcome.exitStatus == 3)
        #expect(outcome.console.finished)
    }

    @Test func missingEmulatorIsNamed() {
        #expect(throws: RunError.emulatorNotFound("no-such-qemu-xyz")) {
            try QEMURun.run(program: "no-such-qemu-xyz", arguments: [], options: RunOptions()) { _ in }
        }
    }
}
