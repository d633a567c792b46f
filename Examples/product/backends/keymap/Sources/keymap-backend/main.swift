// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// keymap-backend: serves Xen vkbd frontends from one evdev device, with key codes
// remapped. Arguments as driverdom-init gives them (docs/layer-contract.md):
//   --remap FROM:TO[,FROM:TO]... | none    [--bind UNIQUE-ID /dev/input/eventN]...  [/dev/input/eventN]
// Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 usage.
import CLinux
import EvdevInput
import KbdIf
import XenCore
import XenLinux

/// `FROM:TO` pairs separated by commas, or `none`; nil if malformed.
func parseRemap(_ text: String) -> [UInt16: UInt16]? {
    var table: [UInt16: UInt16] = [:]
    if text == "none" { return table }
    for pair in text.split(separator: ",") {
        let parts = pair.split(separator: ":")
        guard parts.count == 2, let from = XenPath.parseUInt32(String(parts[0])), let to = XenPath.parseUInt32(String(parts[1])),
              from < 0x300, to < 0x300 else { return nil }
        table[UInt16(from)] = UInt16(to)
    }
    return table
}

func serve(_ arguments: [String]) -> Int32 {
    var table: [UInt16: UInt16] = [:]
    var wanted: [(uniqueID: String?, path: String)] = []
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if argument == "--remap", index + 1 < arguments.count, let parsed = parseRemap(arguments[index + 1]) {
            table = parsed
            index += 2
        } else if argument == "--bind", index + 2 < arguments.count {
            wanted.append((arguments[index + 1], arguments[index + 2]))
            index += 3
        } else if argument.hasPrefix("/dev/") {
            wanted.append((nil, argument))
            index += 1
        } else {
            print("keymap-backend: unexpected argument '" + argument + "'")
            print("usage: keymap-backend [--remap FROM:TO,...|none] [--bind UNIQUE-ID DEVICE]... [DEVICE]")
            return 2
        }
    }
    guard !wanted.isEmpty else {
        print("keymap-backend: no input device given")
        return 2
    }
    var sources: [KbdSourceBinding<RemappedInputSource<EvdevInputSource>>] = []
    for entry in wanted {
        do {
            let device = try EvdevInputSource(path: entry.path, grab: true)
            sources.append(KbdSourceBinding(uniqueID: entry.uniqueID, source: RemappedInputSource(base: device, table: table)))
        } catch {
            print("keymap-backend: Unable to open the input device " + entry.path + ": " + error.description)
            return 1
        }
    }
    let platform: LinuxXenPlatform
    do {
        platform = try LinuxXenPlatform(domain: nil)
    } catch {
        print("keymap-backend: Unable to open Xen: " + error.description)
        return 1
    }
    let backend = KbdIfBackend(platform: platform, sources: sources, options: KbdIfOptions(), log: .standardOutput,
                               deviceType: KbdIfWire.linuxBackendType)
    return BackendProcess.serve(backend, name: "keymap-backend",
                                banner: ["serving vkbd (backend/" + KbdIfWire.linuxBackendType + ") with "
                                         + String(table.count) + " remapped keys"])
}

BackendProcess.prepare()
exit(serve(BackendProcess.arguments()))
