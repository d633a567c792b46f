// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// The usbif end-to-end test of a session: a USB disk made in the driver
/// domain with a configfs mass-storage gadget on dummy_hcd's UDC, handed to
/// the guest through usbif and read there with xen-hcd and usb-storage.
///
/// The disk is a 4 MiB file whose every 8-byte record is its own number
/// (`seq -w 1000000 1524287`), so a lost, repeated, moved or corrupted block
/// shows. The guest reads the whole block device and compares it byte for
/// byte (`usbif`), then writes 1 MiB of other records at 1 MiB, which the
/// driver domain finds in its file (`usbif-write`). The driver domain then
/// unbinds the gadget from the UDC and binds it again; the guest sees the
/// disk leave and come back, and reads its first MiB again (`usbif-replug`),
/// with no backend restart. After the guest is destroyed dom0 checks that
/// the driver domain removed the controller's backend nodes (`usbif-teardown`).
///
/// When the guest also has a port on a `vhci-hcd` controller given the
/// counter microphone (``isoVendorProduct``), the isochronous check runs
/// (`usbif-iso`): Linux's virtual UDCs carry no isochronous transfers
/// (dummy_hcd has none, vudc answers them -EXDEV), so the driver domain runs
/// ``isoProgram``, a USB/IP device of our own attached to vhci-hcd, a UAC1
/// microphone whose isochronous IN endpoint sends the sound test's counter
/// signal at 48 kHz. The backend hands it to the guest like the disk; the
/// guest's snd-usb-audio records ``isoRecordFrames`` (1 s of audio) with
/// arecord and `e2e-sound-probe check-window` checks that every frame follows
/// the one before (no lost, repeated or corrupted packet) and that all of them
/// arrived within ``isoTimeLimitSeconds``. The count is of audio, not of wall
/// time: snd-usb-audio keeps 12 one-packet URBs (12 ms) in flight for a
/// full-speed capture, and one URB's round trip through xen-hcd, usbif,
/// libusb and vhci-hcd under QEMU's emulation takes far longer than 12 ms, so
/// the stream runs slower than real time there; the guest prints the rate it
/// reached (a percentage of real time).
package struct UsbTestPlan: Sendable, Equatable {
    /// Checks this plan prints verdicts for (each once per tested guest).
    package static let checks = ["usbif", "usbif-write", "usbif-replug", "usbif-teardown"]
    /// On a test guest's kernel command line: the guest has a USB port with the test disk.
    package static let guestFlag = "driverdom.usb=1"
    /// The disk's records (8 bytes each: seven digits and a newline), 4 MiB in all.
    package static let diskRecords = "seq -w 1000000 1524287"
    /// The records the guest writes at 1 MiB, 1 MiB in all.
    package static let writtenRecords = "seq -w 2000000 2131071"
    /// Size of the disk in bytes.
    package static let diskBytes = 4 << 20
    /// Seconds the driver domain waits for the guest's write before giving up.
    package static let writeWaitSeconds = 240
    /// usb-storage, sd_mod and what they need, in load order (files under kernel/),
    /// with usbcore for xen-hcd. Each one's `depends=` is in the list before it
    /// (Debian 6.1.0-57-arm64); `Probes.gather` checks that for the locked kernel.
    package static let guestModules = [
        "drivers/usb/common/usb-common.ko", "drivers/usb/core/usbcore.ko", "drivers/scsi/scsi_common.ko",
        "drivers/scsi/scsi_mod.ko", "crypto/crct10dif_common.ko", "lib/crc-t10dif.ko", "lib/crc64.ko",
        "lib/crc64-rocksoft.ko", "block/t10-pi.ko", "drivers/scsi/sd_mod.ko", "drivers/usb/storage/usb-storage.ko",
    ]
    /// The mass-storage gadget function DomD loads (libcomposite, configfs and
    /// udc-core are loaded already: the board's dummy-usb device brings them).
    package static let gadgetModule = "drivers/usb/gadget/function/usb_f_mass_storage.ko"

    /// The isochronous check's name.
    package static let isoCheck = "usbif-iso"
    /// On a test guest's kernel command line: the guest has a port with the counter microphone.
    package static let isoGuestFlag = "driverdom.usbiso=1"
    /// The counter microphone's ids (UsbIpAudio.CounterMicrophone), as the image's `usbdev` names it.
    package static let isoVendorProduct = "1d6b:0101"
    /// The driver domain's USB/IP device program.
    package static let isoProgram = "e2e-usbip-audio"
    /// Frames the guest records (1 s of the device's 48 kHz): all of them must arrive, in order.
    package static let isoRecordFrames = 48_000
    /// Seconds the guest's recording may take before it is stopped (and fails short).
    package static let isoTimeLimitSeconds = 120
    /// snd-usb-audio and what it needs, in load order (files under kernel/),
    /// after ``guestModules`` (usbcore). Each one's `depends=` is before it
    /// (Debian 6.1.0-57-arm64); `Probes.gather` checks that for the locked kernel.
    package static let isoGuestModules = [
        "sound/soundcore.ko", "sound/core/snd.ko", "sound/core/snd-timer.ko", "sound/core/snd-pcm.ko",
        "sound/core/snd-hwdep.ko", "sound/core/snd-seq-device.ko", "sound/core/snd-rawmidi.ko",
        "drivers/media/mc/mc.ko", "sound/usb/snd-usbmidi-lib.ko", "sound/usb/snd-usb-audio.ko",
    ]

    /// The UDC the gadget binds to (dummy_hcd's `dummy_udc.N` for controller `dummy_hcd.N`).
    package var udc: String
    /// The guest given the disk (one: a gadget is one device).
    package var guests: [String]
    /// The vhci-hcd controller (`vhci_hcd.N`) the counter microphone attaches
    /// to, when the tested guest has a port given it; nil: no isochronous check.
    package var vhci: String?

    package init(udc: String, guests: [String], vhci: String? = nil) {
        self.udc = udc
        self.guests = guests
        self.vhci = vhci
    }

    /// The checks this plan prints verdicts for.
    package var allChecks: [String] { Self.checks + (vhci == nil ? [] : [Self.isoCheck]) }

    /// vhci-hcd's attach file for the controller.
    package static func attachFile(of vhci: String) -> String { "/sys/devices/platform/" + vhci + "/attach" }

    /// The plan for an image whose guests have a usbctrl on a dummy_hcd
    /// controller, each giving its port a device by bus path or ids (and, for
    /// the isochronous check, a usbctrl on vhci-hcd given ``isoVendorProduct``); nil otherwise.
    package static func plan(for configuration: Configuration) -> UsbTestPlan? {
        guard configuration.layers.contains(where: { $0.check.kit.contains(.usb) }) else { return nil }
        var udc: String?
        var guests: [String] = []
        for guest in configuration.image.guests {
            for controller in guest.usbctrl where !controller.devices.isEmpty {
                guard case let .usb(name)? = configuration.board.device(id: controller.device)?.domd,
                      name.hasPrefix("dummy_hcd."),
                      controller.devices.contains(where: { $0.match.backendValue != nil }) else { continue }
                // One gadget is one device: the first guest given it is tested.
                guard guests.isEmpty else { continue }
                udc = "dummy_udc." + name.dropFirst("dummy_hcd.".count)
                guests.append(guest.name)
            }
        }
        guard let udc, let guest = guests.first else { return nil }
        var vhci: String?
        for controller in configuration.image.guests.first(where: { $0.name == guest })?.usbctrl ?? [] {
            guard case let .usb(name)? = configuration.board.device(id: controller.device)?.domd, name.hasPrefix("vhci_hcd."),
                  controller.devices.contains(where: { $0.match.backendValue == isoVendorProduct }) else { continue }
            vhci = name
            break
        }
        return UsbTestPlan(udc: udc, guests: guests, vhci: vhci)
    }
}
