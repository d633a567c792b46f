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

func serve(_ arguments: KbdIfCommandLine) -> Int32 {
    // The default device (positional) first, then one per --bind; a device bound twice is opened once.
    var wanted: [(uniqueID: String?, path: String)] = []
    if !arguments.devicePath.isEmpty { wanted.append((nil, arguments.devicePath)) }
    for bind in arguments.binds { wanted.append((bind.uniqueID, bind.devicePath)) }
    var opened: [(path: String, source: EvdevInputSource)] = []
    var sources: [KbdSourceBinding<EvdevInputSource>] = []
    for entry in wanted {
        if let earlier = opened.first(where: { $0.path.bytesEqual(entry.path) }) {
            sources.append(KbdSourceBinding(uniqueID: entry.uniqueID, source: earlier.source))
            continue
        }
        do {
            let source = try EvdevInputSource(path: entry.path, grab: arguments.grab)
            opened.append((entry.path, source))
            sources.append(KbdSourceBinding(uniqueID: entry.uniqueID, source: source))
        } catch {
            print("kbdif-backend: Unable to open the input device " + entry.path + ": " + error.description)
            return 1
        }
    }
    let platform: LinuxXenPlatform
    do {
        platform = try LinuxXenPlatform(domain: arguments.domain)
    } catch {
        print("kbdif-backend: Unable to open Xen: " + error.description)
        return 1
    }
    // xl's vkb stanza says backend-type=linux: libxl puts the backend nodes under backend/vinput.
    let backend = KbdIfBackend(platform: platform, sources: sources, options: arguments.options, log: .standardOutput,
                               deviceType: KbdIfWire.linuxBackendType)
    var banner: [String] = []
    for entry in wanted {
        banner.append("serving vkbd (backend/" + KbdIfWire.linuxBackendType + ") "
            + (entry.uniqueID.map { "unique-id " + $0 } ?? "default") + " from " + entry.path
            + " in domain " + platform.domain.description)
    }
    return BackendProcess.serve(backend, name: "kbdif-backend", banner: banner)
}

BackendProcess.prepare()
exit(serve(BackendProcess.commandLine(KbdIfCommandLine.self, name: "kbdif-backend")))
