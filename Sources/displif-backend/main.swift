// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// displif-backend: serves Xen vdispl frontends (xen-drm-front) on the DRM/KMS
// connectors of one card in a driver domain, copying guest frames into dumb
// buffers. Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 usage.
import CLinux
import CXen
import DRMDisplay
import DisplIf
import XenCore
import XenLinux

func serve(_ arguments: DisplIfCommandLine) -> Int32 {
    let sink: DRMDisplaySink
    do {
        sink = try DRMDisplaySink(cardPath: arguments.cardPath, outputs: arguments.outputs, vsync: arguments.vsync,
                                  background: arguments.background)
    } catch {
        print("displif-backend: Unable to open the display " + arguments.cardPath + ": " + error.description)
        return 1
    }
    for failure in sink.showBackground() {
        print("displif-backend: connector " + failure.output + " stays dark until a guest configures it: "
              + failure.error.description)
    }
    let platform: LinuxXenPlatform
    do {
        platform = try LinuxXenPlatform(domain: arguments.domain)
    } catch {
        sink.close()
        print("displif-backend: Unable to open Xen: " + error.description)
        return 1
    }
    let backend = DisplIfBackend(platform: platform, sink: sink, options: arguments.options, log: .standardOutput)
    var banner = ["serving vdispl in domain " + platform.domain.description + " on " + arguments.cardPath
                  + (arguments.vsync ? " (vsync)" : " (no vsync)")]
    for entry in arguments.bindings.entries {
        banner.append("guest '" + entry.guest + "' connector '" + entry.id + "' -> " + entry.target)
    }
    let status = BackendProcess.serve(backend, name: "displif-backend", banner: banner)
    sink.close()
    return status
}

BackendProcess.prepare()
exit(serve(BackendProcess.commandLine(DisplIfCommandLine.self, name: "displif-backend")))
