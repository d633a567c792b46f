// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import CUSB
import UsbIf

extension LibUSBHost {
    public func submit(_ transfer: USBTransfer) throws(UsbIfError) {
        guard let device = device(transfer.device) else {
            throw .submitFailed(device: "handle \(transfer.device.rawValue)", code: Int32(LIBUSB_ERROR_NO_DEVICE.rawValue))
        }
        if transfer.type == .control, handleStandardRequest(transfer, device) { return }
        let isoCount = transfer.type == .isochronous ? transfer.isoPacketLengths.count : 0
        guard let libusbTransfer = cusb_transfer_new(hostPointer, transfer.token.rawValue, Int32(isoCount)) else {
            throw .submitFailed(device: device.busID.description, code: Int32(LIBUSB_ERROR_NO_MEM.rawValue))
        }
        let setupBytes = transfer.type == .control ? 8 : 0
        let total = setupBytes + transfer.length
        guard let buffer = Self.transferBuffer(transfer) else {
            cusb_transfer_free(libusbTransfer)
            throw .submitFailed(device: device.busID.description, code: Int32(LIBUSB_ERROR_NO_MEM.rawValue))
        }
        let endpoint = transfer.type == .control ? 0 : (transfer.endpoint & 0x0F) | (transfer.isIn ? 0x80 : 0)
        // USBIF_SHORT_NOT_OK is not passed on: libusb would turn a short read into
        // LIBUSB_TRANSFER_ERROR (an I/O error for the guest, which makes
        // usb-storage reset the device on every short MODE SENSE reply). A short
        // read is answered OK with its length, and the guest's usbcore turns it
        // into -EREMOTEIO for a URB_SHORT_NOT_OK URB (usb_hcd_giveback_urb).
        cusb_transfer_fill(libusbTransfer, device.handle, endpoint, Self.libusbType(transfer.type), buffer, Int32(total), 0)
        for (index, length) in transfer.isoPacketLengths.enumerated() { cusb_iso_set_length(libusbTransfer, Int32(index), length) }
        let status = libusb_submit_transfer(libusbTransfer)
        guard status == 0 else {
            cusb_transfer_free(libusbTransfer)
            throw .submitFailed(device: device.busID.description, code: status)
        }
        submitted[transfer.token.rawValue] = Submitted(transfer: libusbTransfer, request: transfer)
    }

    /// The buffer libusb moves a transfer through (freed with the transfer):
    /// zero-filled (`calloc`), then the setup packet (control; `wLength` is the
    /// guest buffer's size) and, for OUT, the guest's data. Bytes nobody wrote
    /// are zeros, never old backend heap a device could echo back to a guest.
    public static func transferBuffer(_ transfer: USBTransfer) -> UnsafeMutablePointer<UInt8>? {
        let setupBytes = transfer.type == .control ? 8 : 0
        let total = setupBytes + transfer.length
        guard let raw = calloc(total > 0 ? total : 1, 1) else { return nil }
        let buffer = raw.bindMemory(to: UInt8.self, capacity: total > 0 ? total : 1)
        if setupBytes > 0 {
            for index in 0..<8 { buffer[index] = index < transfer.setup.count ? transfer.setup[index] : 0 }
            buffer[6] = UInt8(truncatingIfNeeded: transfer.length)  // wLength: the buffer the guest gave
            buffer[7] = UInt8(truncatingIfNeeded: transfer.length >> 8)
        }
        if !transfer.isIn {
            for index in 0..<min(transfer.data.count, transfer.length) { buffer[setupBytes + index] = transfer.data[index] }
        }
        return buffer
    }

    /// `LIBUSB_TRANSFER_TYPE_*` of a usbif pipe type.
    static func libusbType(_ type: UsbTransferType) -> UInt8 {
        switch type {
        case .control: return UInt8(LIBUSB_TRANSFER_TYPE_CONTROL.rawValue)
        case .isochronous: return UInt8(LIBUSB_TRANSFER_TYPE_ISOCHRONOUS.rawValue)
        case .bulk: return UInt8(LIBUSB_TRANSFER_TYPE_BULK.rawValue)
        case .interrupt: return UInt8(LIBUSB_TRANSFER_TYPE_INTERRUPT.rawValue)
        }
    }

    /// The usbif status of a `libusb_transfer_status`.
    public static func status(_ value: UInt32) -> UsbStatus {
        switch value {
        case LIBUSB_TRANSFER_COMPLETED.rawValue: return .ok
        case LIBUSB_TRANSFER_STALL.rawValue: return .stall
        case LIBUSB_TRANSFER_NO_DEVICE.rawValue: return .noDevice
        case LIBUSB_TRANSFER_OVERFLOW.rawValue: return .babble
        case LIBUSB_TRANSFER_CANCELLED.rawValue: return .shutdown
        default: return .ioError  // ERROR, TIMED_OUT
        }
    }

    /// The completion of a transfer libusb returned.
    static func completion(_ entry: Submitted) -> USBCompletion {
        let transfer = entry.transfer.pointee
        let request = entry.request
        let cancelled = transfer.status.rawValue == LIBUSB_TRANSFER_CANCELLED.rawValue
        var result = USBCompletion(token: request.token, status: status(transfer.status.rawValue), cancelled: cancelled)
        let offset = request.type == .control ? 8 : 0
        var copy = max(0, min(Int(transfer.actual_length), request.length))
        if request.type == .isochronous {
            var total = 0
            for index in 0..<request.isoPacketLengths.count {
                let actual = cusb_iso_actual_length(entry.transfer, Int32(index))
                let packetStatus = status(UInt32(bitPattern: cusb_iso_status(entry.transfer, Int32(index))))
                result.isoPackets.append(USBIsoPacketResult(actualLength: actual, status: packetStatus))
                total += Int(actual)
            }
            result.actualLength = total
            copy = request.length  // packets lie back to back at their nominal offsets
        } else {
            result.actualLength = copy
        }
        if request.isIn, let buffer = transfer.buffer, copy > 0 {
            result.data = Array(UnsafeBufferPointer(start: buffer + offset, count: copy))
        }
        return result
    }

    /// SET_CONFIGURATION through libusb. usbfs refuses it while any interface
    /// is claimed (by us or a DomD driver), so ours are released without
    /// letting libusb re-attach DomD's drivers, and those are detached when
    /// asked. The configuration already active is left alone (the usual case:
    /// the guest selects the configuration DomD's enumeration chose).
    func setConfiguration(_ device: OpenDevice, _ configuration: Int32) -> Int32 {
        var current: Int32 = -1
        if libusb_get_configuration(device.handle, &current) == 0, current == configuration { return 0 }
        _ = libusb_set_auto_detach_kernel_driver(device.handle, 0)
        releaseInterfaces(device)
        if detachKernelDriver {
            var index: Int32 = 0
            while index < 32 {
                if libusb_kernel_driver_active(device.handle, index) == 1 { _ = libusb_detach_kernel_driver(device.handle, index) }
                index += 1
            }
        }
        let result = libusb_set_configuration(device.handle, configuration)
        if detachKernelDriver { _ = libusb_set_auto_detach_kernel_driver(device.handle, 1) }
        claimInterfaces(device)
        return result
    }

    /// Carries out a standard request that changes the device's configuration
    /// through libusb (which must know of it); true if it was one.
    func handleStandardRequest(_ transfer: USBTransfer, _ device: OpenDevice) -> Bool {
        guard transfer.setup.count == 8 else { return false }
        // Matched on the request code and recipient, whatever the direction
        // bit says (UsbIf refuses the device-to-host variants before this).
        let type = transfer.setup[0] & 0x7F
        let request = transfer.setup[1]
        let value = UInt16(transfer.setup[2]) | UInt16(transfer.setup[3]) << 8
        let index = UInt16(transfer.setup[4]) | UInt16(transfer.setup[5]) << 8
        var result: Int32
        switch (type, request) {
        case (0x00, 9):  // SET_CONFIGURATION
            result = setConfiguration(device, Int32(value & 0xFF))
        case (0x01, 11):  // SET_INTERFACE
            result = libusb_set_interface_alt_setting(device.handle, Int32(index), Int32(value))
        case (0x02, 1) where value == 0:  // CLEAR_FEATURE(ENDPOINT_HALT)
            result = libusb_clear_halt(device.handle, UInt8(truncatingIfNeeded: index))
        default:
            return false
        }
        let status: UsbStatus = result == 0 ? .ok : (result == Int32(LIBUSB_ERROR_NO_DEVICE.rawValue) ? .noDevice : .stall)
        immediate.append(USBCompletion(token: transfer.token, status: status))
        wake()
        return true
    }
}
