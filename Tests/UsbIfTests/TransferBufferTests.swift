// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import LibUSBHost
import Testing
import UsbIf

/// The buffer a transfer goes to libusb in never carries old backend heap.
@Suite struct TransferBufferTests {
    @Test(arguments: [UsbTransferType.control, .bulk, .isochronous])
    func inBuffersAreZeroFilled(type: UsbTransferType) throws {
        for _ in 0..<8 {  // leave freed, dirty chunks of that size for malloc to hand out again
            let dirty = try #require(malloc(8 + 4000))
            memset(dirty, 0xA5, 8 + 4000)
            free(dirty)
        }
        let transfer = USBTransfer(token: USBTransferToken(rawValue: 1), device: USBDeviceHandle(rawValue: 1), type: type,
                                   endpoint: 1, isIn: true, setup: type == .control ? [0x80, 6, 0, 1, 0, 0, 0, 0] : [],
                                   length: 4000)
        let buffer = try #require(LibUSBHost.transferBuffer(transfer))
        defer { free(buffer) }
        let start = type == .control ? 8 : 0
        let payload = UnsafeBufferPointer(start: buffer + start, count: 4000)
        #expect(payload.allSatisfy { $0 == 0 })
        if type == .control { #expect(buffer[6] == UInt8(4000 & 0xFF) && buffer[7] == UInt8(4000 >> 8)) }
    }

    @Test func outBuffersCarryTheGuestDataAndZerosAfterIt() throws {
        let transfer = USBTransfer(token: USBTransferToken(rawValue: 2), device: USBDeviceHandle(rawValue: 1), type: .bulk,
                                   endpoint: 2, isIn: false, data: [1, 2, 3], length: 16)
        let buffer = try #require(LibUSBHost.transferBuffer(transfer))
        defer { free(buffer) }
        #expect(Array(UnsafeBufferPointer(start: buffer, count: 16)) == [1, 2, 3] + [UInt8](repeating: 0, count: 13))
    }
}
