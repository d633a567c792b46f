// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The layout of a `DEFINE_RING_TYPES` shared ring (xen/io/ring.h): a 64-byte
/// header (req_prod, req_event, rsp_prod, rsp_event, pvt, __pad) followed by a
/// power-of-two number of slots, each the size of the request/response union.
public struct RingGeometry: Equatable, Sendable {
    public static let headerSize = 64
    static let reqProdOffset = 0
    static let reqEventOffset = 4
    static let rspProdOffset = 8
    static let rspEventOffset = 12

    /// Bytes of one slot (`sizeof(union <name>_sring_entry)`).
    public let slotSize: Int
    /// Pages the ring spans.
    public let pageCount: Int
    /// Number of slots (`__RING_SIZE`): the largest power of two that fits.
    public let entries: UInt32

    /// Geometry for a ring whose slots hold `requestSize`/`responseSize` byte
    /// structures; `slotAlignment` is the union's alignment (C rounds the
    /// union size up to it).
    public init(requestSize: Int, responseSize: Int, slotAlignment: Int = 8, pageCount: Int = 1) throws(XenError) {
        let largest = requestSize > responseSize ? requestSize : responseSize
        let alignment = slotAlignment > 0 ? slotAlignment : 1
        let slot = (largest + alignment - 1) / alignment * alignment
        guard slot > 0, pageCount > 0, pageCount <= 256 else {
            throw .ringGeometryInvalid(pageCount: pageCount, slotSize: slot)
        }
        let fit = (pageCount * XenPage.size - RingGeometry.headerSize) / slot
        guard fit >= 1 else { throw .ringGeometryInvalid(pageCount: pageCount, slotSize: slot) }
        var power: UInt32 = 1
        while Int(power) * 2 <= fit { power *= 2 }
        self.slotSize = slot
        self.pageCount = pageCount
        self.entries = power
    }

    /// Byte offset of slot `index` (taken modulo `entries`).
    @inline(__always)
    func slotOffset(_ index: UInt32) -> Int {
        RingGeometry.headerSize + Int(index & (entries - 1)) * slotSize
    }
}

/// Reads and writes the shared header's indices through single accesses.
struct SharedIndices {
    let base: UnsafeMutableRawPointer
    @inline(__always) func load(_ offset: Int) -> UInt32 { SharedMemory.load32(base + offset) }
    @inline(__always) func store(_ offset: Int, _ value: UInt32) { SharedMemory.store32(base + offset, value) }
}
