// SPDX-License-Identifier: GPL-2.0-only OR MIT
import XenCore

/// A validated URB between its request and its response: the guest memory
/// it maps, the transfer handed (or yet to hand) to the host.
final class InFlightUrb {
    let request: UrbRequest
    /// The controller port whose device serves it.
    let port: UInt8
    let transfer: USBTransfer
    let buffer: UrbBuffer?
    let descriptors: UrbBuffer?
    /// Guest buffer offsets of the isochronous packets, in order.
    let isoOffsets: [UInt32]
    /// Handed to the host (false: waiting for room under `--max-urbs`).
    var submitted = false
    /// Unlinked by the frontend while at the host.
    var unlinked = false

    init(request: UrbRequest, port: UInt8, transfer: USBTransfer, buffer: UrbBuffer?, descriptors: UrbBuffer?, isoOffsets: [UInt32]) {
        self.request = request
        self.port = port
        self.transfer = transfer
        self.buffer = buffer
        self.descriptors = descriptors
        self.isoOffsets = isoOffsets
    }

    var id: UInt16 { request.id }
    var token: USBTransferToken { transfer.token }
}
