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
    let backend = KbdIfBackend(platform: platform, source: source, options: arguments.options, log: .standardOutput)
    let loop = PollLoop()
    loop.add(backend)
    do {
        try backend.start()
        print("kbdif-backend: serving vkbd from " + arguments.devicePath + " in domain " + platform.domain.description)
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
