// SPDX-License-Identifier: MIT
//
// vtone-backend: the fifth-layer fixture's backend. Serves a generated test tone
// to vtone frontends (protocol in ToneDevice.swift) from a driver domain.
// Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure (no Xen), 2 usage.
import CLinux
import XenCore
import XenLinux

func serve(_ configuration: ToneCommandLine) -> Int32 {
    var tone = String(configuration.hertz) + " Hz tone" + (configuration.fadeIn ? " with fade-in" : "")
    if !configuration.card.isEmpty { tone += " for card " + configuration.card }
    for pcm in configuration.pcms { tone += " " + pcm }
    print("vtone-backend: " + tone)
    let platform: LinuxXenPlatform
    do {
        platform = try LinuxXenPlatform()
    } catch {
        print("vtone-backend: Unable to open Xen: " + error.description)
        return 1
    }
    return BackendProcess.serve(ToneBackend(platform: platform, configuration: configuration), name: "vtone-backend",
                                banner: ["serving backend/" + ToneWire.deviceType + " in domain " + platform.domain.description])
}

BackendProcess.prepare()
exit(serve(BackendProcess.commandLine(ToneCommandLine.self, name: "vtone-backend")))
