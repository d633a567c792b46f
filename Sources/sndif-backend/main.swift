// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// sndif-backend: serves Xen vsnd frontends (snd_xen_front) from ALSA PCMs in a
// driver domain. Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 usage.
import ALSAPCM
import CLinux
import CXen
import SndIf
import XenCore
import XenLinux

func serve(_ arguments: SndIfCommandLine) -> Int32 {
    let platform: LinuxXenPlatform
    do {
        platform = try LinuxXenPlatform(domain: arguments.domain)
    } catch {
        print("sndif-backend: Unable to open Xen: " + error.description)
        return 1
    }
    let backend = SndIfBackend(platform: platform, provider: ALSAPCMProvider(), bindings: arguments.bindings,
                               log: .standardOutput)
    var banner = ["serving vsnd in domain " + platform.domain.description]
    for entry in arguments.bindings.entries {
        banner.append("guest '" + entry.guest + "' " + (entry.direction.bytesEqual(SndIfWire.streamTypePlayback) ? "playback" : "capture") + " stream '"
                      + entry.id + "' -> " + entry.target)
    }
    return BackendProcess.serve(backend, name: "sndif-backend", banner: banner)
}

BackendProcess.prepare()
exit(serve(BackendProcess.commandLine(SndIfCommandLine.self, name: "sndif-backend")))
