// SPDX-License-Identifier: Apache-2.0
import DomDInit
import DriverdomBuild
import Foundation

/// The sndif test's additions to the session's trees (see ``SoundTestPlan``).
extension SessionKit {
    /// Where DomD's sound script goes.
    static let domdSoundScript = SessionScripts.folder + "/domd-sound.sh"
    /// The service name of DomD's sound loop.
    static let soundService = "e2e-sound"

    /// aplay, arecord, alsa-lib's configuration and the sound probe, into the tree at `root`.
    func addSoundTools(to root: URL, probes: Probes) throws {
        guard let aplay = probes.aplay, let configuration = probes.alsaConfiguration else { return }
        let probe = probes.binary(Probes.soundProbe)
        try copy(aplay, to: root.appendingPathComponent("usr/bin/aplay"))
        let arecord = root.appendingPathComponent("usr/bin/arecord")
        try? FileManager.default.removeItem(at: arecord)
        try FileManager.default.createSymbolicLink(atPath: arecord.path, withDestinationPath: "aplay")
        try copy(configuration, to: root.appendingPathComponent(String(DomDRootfs.alsaConfiguration.dropFirst())))
        try copy(probe, to: root.appendingPathComponent("usr/bin/" + Probes.soundProbe))
    }

    /// DomD's side of the sound test: the tools, busybox for the script, and a
    /// service (after the backends) that plays into and records from the loopback.
    func addSoundLoop(to root: URL, plan: SoundTestPlan, probes: Probes) throws {
        try addSoundTools(to: root, probes: probes)
        let busybox = root.appendingPathComponent("bin/busybox")
        if !FileManager.default.fileExists(atPath: busybox.path) { try copy(probes.busybox, to: busybox) }
        try write(SessionScripts.domdSound(plan),
                  to: root.appendingPathComponent(String(Self.domdSoundScript.dropFirst())), executable: true)
        try editTable(in: root) { table in
            table.services.append(ServiceSpec(name: Self.soundService, program: "/bin/busybox",
                                              arguments: ["sh", Self.domdSoundScript], restart: .never,
                                              maxRestarts: 0, readiness: .onStart))
        }
    }

    /// snd_xen_front and its dependencies, flat in the guest's module folder.
    func addSoundModules(to root: URL, probes: Probes) throws {
        for module in SoundTestPlan.guestModules {
            let name = String(module.split(separator: "/").last ?? "")
            try copy(try probes.kernelModule(module),
                     to: root.appendingPathComponent(String(Self.moduleFolder.dropFirst()) + "/" + name))
        }
    }
}
