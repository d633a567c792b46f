// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The xenstore nodes of one PV USB controller whose backend is a separate
/// DomD, exactly as libxl writes them for `usbctrl` type `qusb`
/// (tools/libs/light/libxl_usb.c `libxl__device_usbctrl_add_xenstore` through
/// libxl_device.c `libxl__device_generic_add`), with libxl's permissions.
///
/// Why the control role writes them itself: xl 4.17's `usbctrl` has no
/// `backend=` key (its parser never sets `backend_domname`), so xl always makes
/// dom0 the backend. libxl's API can name DomD (`backend_domid`), but its
/// `libxl_device_usbdev_add` refuses a controller whose backend is not dom0, so
/// the device→port assignment is DomD's: its usbif backend writes `port/N`
/// (a busid such as `1-1`) in the backend directory it owns, from the image's
/// bindings.
///
/// Teardown is libxl's: the `/libxl/<guest>/device/vusb/<devid>` copy makes
/// libxl's domain destruction (xl destroy, or the guest powering off) close the
/// controller like any other device — it sets the backend's `online` to 0 and
/// `state` to Closing and removes the frontend and libxl directories — and the
/// backend in DomD removes its own directory once Closed, as driver domains do.
package struct UsbControllerPlacement: Equatable, Sendable {
    /// The guest's domain id.
    package var guestID: String
    /// DomD's domain id.
    package var backendID: String
    package var controller: UsbControllerSpec

    package init(guestID: String, backendID: String, controller: UsbControllerSpec) {
        self.guestID = guestID
        self.backendID = backendID
        self.controller = controller
    }

    /// libxl's backend kind for `type=qusb` (a user-space backend).
    package static let backendKind = "qusb"
    /// The frontend's device kind (Linux's xen-hcd).
    package static let frontendKind = "vusb"
    /// How long the control role waits for the backend's InitWait, as libxl does
    /// for every device it adds (`LIBXL_INIT_TIMEOUT`, 10 s).
    package static let initWaitMilliseconds: UInt64 = 10_000

    /// `/local/domain/<guest>/device/vusb/<devid>`.
    package var frontendPath: String { "/local/domain/" + guestID + "/device/" + Self.frontendKind + "/\(controller.devid)" }
    /// `/local/domain/<DomD>/backend/qusb/<guest>/<devid>`.
    package var backendPath: String {
        "/local/domain/" + backendID + "/backend/" + Self.backendKind + "/" + guestID + "/\(controller.devid)"
    }
    /// `/libxl/<guest>/device/vusb/<devid>`: libxl's own copy, which its teardown follows.
    package var libxlPath: String { "/libxl/" + guestID + "/device/" + Self.frontendKind + "/\(controller.devid)" }

    /// The backend entries (`bents`): the frontend link, `frontend-id`,
    /// `online`, `state` Initialising, `type`, `usb-ver`, `num-ports`, and an
    /// empty `port` directory with one empty `port/N` per port.
    var backendEntries: [(String, String)] {
        var entries = [("frontend", frontendPath), ("frontend-id", guestID), ("online", "1"), ("state", "1"),
                       ("type", Self.backendKind), ("usb-ver", "\(controller.version)"),
                       ("num-ports", "\(controller.ports)"), ("port", "")]
        for port in 1...max(1, controller.ports) { entries.append(("port/\(port)", "")) }
        return entries
    }

    /// The frontend entries: the backend link, `backend-id`, `state` Initialising.
    var frontendEntries: [(String, String)] {
        [("backend", backendPath), ("backend-id", backendID), ("state", "1")]
    }

    /// `/local/domain/<DomD>/backend/qusb/<guest>`: the guest's controllers in DomD.
    package var backendParentPath: String {
        "/local/domain/" + backendID + "/backend/" + Self.backendKind + "/" + guestID
    }

    /// The `xenstore-write` calls (each one transaction), in the order they
    /// run: libxl's copy, the frontend, the backend's parent, the backend.
    /// libxl writes all of it in one transaction; here DomD's backend may see
    /// the backend directory the moment it appears, so the directory it lives
    /// in is DomD's (readable by the guest) first, and its nodes are DomD's from
    /// their creation (xenstored gives a node dom0 creates its parent's
    /// permissions); the frontend directory is in place and readable to DomD by then.
    package var writes: [[String]] {
        [
            Self.arguments(libxlPath, [("backend", backendPath)] + backendEntries),
            Self.arguments(frontendPath, frontendEntries),
            [backendParentPath, ""],
            Self.arguments(backendPath, backendEntries),
        ]
    }

    /// The `xenstore-chmod` call after each write: libxl's permissions — its
    /// copy dom0's only; the frontend directory owned by the guest, readable by
    /// DomD; the backend directory (and the guest's folder holding it) owned by
    /// DomD, readable by the guest.
    package var permissions: [[String]] {
        [
            ["-r", libxlPath, "n0"],
            ["-r", frontendPath, "n" + guestID, "r" + backendID],
            [backendParentPath, "n" + backendID, "r" + guestID],
            ["-r", backendPath, "n" + backendID, "r" + guestID],
        ]
    }

    private static func arguments(_ directory: String, _ entries: [(String, String)]) -> [String] {
        var result: [String] = []
        for (key, value) in entries { result += [directory + "/" + key, value] }
        return result
    }
}

extension InitSystem {
    /// Creates the PV USB controllers of guest `name` (domain `id`) with DomD
    /// (domain `domdID`) as their backend, before the guest runs, and waits for
    /// each backend's InitWait as libxl would. A controller that cannot be
    /// placed is logged; the guest still starts, without it.
    func placeUsbControllers(guest name: String, id: String, domdID: String) {
        let plan = table.control
        for controller in plan.usbControllers where controller.guest == name {
            let placement = UsbControllerPlacement(guestID: id, backendID: domdID, controller: controller)
            do throws(InitError) {
                for (write, chmod) in zip(placement.writes, placement.permissions) {
                    try runChecked(plan.xenstoreWrite, write, timeout: Self.commandTimeoutNanoseconds)
                    try runChecked(plan.xenstoreChmod, chmod, timeout: Self.commandTimeoutNanoseconds)
                }
                try awaitInitWait(placement)
                control.log("usbctrl \(controller.devid) of guest " + name + " placed in DomD (" + placement.backendPath + ")")
            } catch {
                control.log("error: cannot give guest " + name + " USB controller \(controller.devid) in DomD: "
                            + error.description)
            }
        }
    }

    /// Polls the backend's `state` until it reaches InitWait (2) or later.
    private func awaitInitWait(_ placement: UsbControllerPlacement) throws(InitError) {
        let plan = table.control
        let path = placement.backendPath + "/state"
        let timeout = UsbControllerPlacement.initWaitMilliseconds
        let deadline = control.now() &+ timeout &* 1_000_000
        while true {
            let result = try runCommand(plan.xenstoreRead, [path], timeout: Self.commandTimeoutNanoseconds,
                                        captureOutput: true, quiet: true)
            if result.status.isSuccess, let state = UInt32(trimmed(result.output)), state >= 2 { return }
            if control.now() >= deadline {
                throw .usbControllerNotServed(path: path, seconds: formatDuration(timeout &* 1_000_000))
            }
            let next = control.now() &+ Self.readinessPollNanoseconds
            try pause(until: next < deadline ? next : deadline)
        }
    }
}
