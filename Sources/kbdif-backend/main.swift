// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// kbdif-backend: serves Xen vkbd frontends from one evdev device in a driver
// domain. Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 usage.
import CLinux
import CXen
import EvdevInput
import KbdIf
import XenCore
import XenLinux

nonisolated(unsafe) var stopRequested = false

func serve(_ arguments: KbdIfArguments) -> Int32 {
    let source: EvdevInputSource
    do {
        source = try EvdevInputSource(path: arguments.devicePath, grab: arguments.grab)
    } catch {
        print("kbdif-backend: Unable to open the input device: " + error.description)
        return 1
    }
    let platform: LinuxXenPlatform
    do {
        platform = try LinuxXenPlatform(domain: arguments.domain)
    } catch {
        print("kbdif-backend: Unable to open Xen: " + error.description)
        return 1
    }
    // xl's vkb stanza says backend-type=linux: libxl puts the backend nodes under backend/vinput.
    let backend = KbdIfBackend(platform: platform, source: source, options: arguments.options, log: .standardOutput,
                               deviceType: KbdIfWire.linuxBackendType)
    let loop = PollLoop()
    loop.add(backend)
    do {
        try backend.start()
        print("kbdif-backend: serving vkbd (backend/" + KbdIfWire.linuxBackendType + ") from " + arguments.devicePath + " in domain " + platform.domain.description)
        signalReady()
        try loop.run { stopRequested }
    } catch {
        print("kbdif-backend: Unable to serve frontends: " + error.description)
        backend.shutdown()
        return 1
    }
    backend.shutdown()
    print("kbdif-backend: stopped")
    return 0
}

/// Tells driverdom-init the backend is registered: `ready` on the readiness
/// pipe named by `DRIVERDOM_READY_FD`, then closes it. Without the variable
/// (started by hand) it does nothing.
func signalReady() {
    guard let text = getenv("DRIVERDOM_READY_FD") else { return }
    var fd: Int32 = 0
    var pointer = text
    var digits = 0
    while pointer.pointee >= 48 && pointer.pointee <= 57 && digits < 6 {
        fd = fd * 10 + Int32(pointer.pointee - 48)
        pointer += 1
        digits += 1
    }
    guard digits > 0, pointer.pointee == 0 else { return }
    let line: [UInt8] = [114, 101, 97, 100, 121, 10]  // "ready\n"
    _ = line.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

clinux_stdout_line_buffered()
signal(SIGTERM) { _ in stopRequested = true }
signal(SIGINT) { _ in stopRequested = true }
var argumentList: [String] = []
var argumentIndex: Int32 = 1
while argumentIndex < cxen_argc() {
    if let argument = cxen_argv(argumentIndex) { argumentList.append(String(cString: argument)) }
    argumentIndex += 1
}
let (arguments, problem) = KbdIfArguments.parse(argumentList)
if let problem {
    print("kbdif-backend: " + problem)
    print(KbdIfArguments.usage)
    exit(2)
}
exit(serve(arguments))
