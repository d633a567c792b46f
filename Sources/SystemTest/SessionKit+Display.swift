// SPDX-License-Identifier: Apache-2.0
import DomDInit
import Foundation

/// The displif test's additions to the session's trees (see ``DisplayTestPlan``).
extension SessionKit {
    /// Where DomD's display script goes.
    static let domdDisplayScript = SessionScripts.folder + "/domd-display.sh"
    /// The service name of DomD's display watcher.
    static let displayService = "e2e-display"

    /// DomD's side of the display test: the probe, busybox for the script, and a
    /// service (after the backends) that watches what the bound connector scans out.
    func addDisplayWatcher(to root: URL, plan: DisplayTestPlan, probes: Probes) throws {
        try copy(probes.binary(Probes.displayProbe), to: root.appendingPathComponent("usr/bin/" + Probes.displayProbe))
        try probes.installLibraries(into: root)
        let busybox = root.appendingPathComponent("bin/busybox")
        if !FileManager.default.fileExists(atPath: busybox.path) { try copy(probes.busybox, to: busybox) }
        try write(SessionScripts.domdDisplay(plan),
                  to: root.appendingPathComponent(String(Self.domdDisplayScript.dropFirst())), executable: true)
        try editTable(in: root) { table in
            table.services.append(ServiceSpec(name: Self.displayService, program: "/bin/busybox",
                                              arguments: ["sh", Self.domdDisplayScript], restart: .never,
                                              maxRestarts: 0, readiness: .onStart))
        }
    }
}
