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
    return BackendProcess.serve(backend, name: "kbdif-backend", banner: [
        "serving vkbd (backend/" + KbdIfWire.linuxBackendType + ") from " + arguments.devicePath
            + " in domain " + platform.domain.description,
    ])
}

BackendProcess.prepare()
let (arguments, problem) = KbdIfArguments.parse(BackendProcess.arguments())
if let problem {
    print("kbdif-backend: " + problem)
    print(KbdIfArguments.usage)
    exit(2)
}
exit(serve(arguments))
