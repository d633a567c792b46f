// SPDX-License-Identifier: Apache-2.0
import DomDInit
import Foundation

/// The usbif test's additions to the session's trees (see ``UsbTestPlan``).
extension SessionKit {
    /// Where the driver domain's USB script and gadget module go.
    static let domdUsbScript = SessionScripts.folder + "/domd-usb.sh"
    static let gadgetModule = SessionScripts.folder + "/usb_f_mass_storage.ko"
    /// The service name of the driver domain's USB disk.
    static let usbService = "e2e-usb"

    /// The driver domain's side of the USB test: busybox, the gadget module,
    /// the USB/IP counter microphone when the plan has the isochronous check,
    /// and a service (after the backends) that makes the disk, attaches the
    /// microphone, checks the guest's write and replugs the disk.
    func addUsbGadget(to root: URL, plan: UsbTestPlan, probes: Probes) throws {
        let busybox = root.appendingPathComponent("bin/busybox")
        if !FileManager.default.fileExists(atPath: busybox.path) { try copy(probes.busybox, to: busybox) }
        try copy(try probes.kernelModule(UsbTestPlan.gadgetModule),
                 to: root.appendingPathComponent(String(Self.gadgetModule.dropFirst())))
        if plan.vhci != nil {
            try copy(probes.binary(Probes.usbIpAudio),
                     to: root.appendingPathComponent(String(SessionScripts.folder.dropFirst()) + "/bin/" + Probes.usbIpAudio))
        }
        try write(SessionScripts.domdUsb(plan, gadgetModule: Self.gadgetModule),
                  to: root.appendingPathComponent(String(Self.domdUsbScript.dropFirst())), executable: true)
        try editTable(in: root) { table in
            table.services.append(ServiceSpec(name: Self.usbService, program: "/bin/busybox",
                                              arguments: ["sh", Self.domdUsbScript], restart: .never,
                                              maxRestarts: 0, readiness: .onStart))
        }
    }

    /// usb-storage, sd_mod and their dependencies (and snd-usb-audio's for the
    /// isochronous check), flat in the guest's module folder.
    func addUsbModules(to root: URL, probes: Probes) throws {
        for module in UsbTestPlan.guestModules + (usbPlan?.vhci != nil ? UsbTestPlan.isoGuestModules : []) {
            let name = String(module.split(separator: "/").last ?? "")
            try copy(try probes.kernelModule(module),
                     to: root.appendingPathComponent(String(Self.moduleFolder.dropFirst()) + "/" + name))
        }
    }
}
