// SPDX-License-Identifier: Apache-2.0
import DriverdomConfig

/// A run of 4 KiB machine page frames, as xl's `iomem = [ "START,COUNT" ]` takes it.
package struct IOMemRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Xen on Arm maps I/O memory in 4 KiB pages.
    package static let pageShift: UInt64 = 12

    /// First page frame number.
    package var firstFrame: UInt64
    /// Number of pages (at least 1).
    package var pageCount: UInt64

    /// Creates a range of `pageCount` frames from `firstFrame`.
    package init(firstFrame: UInt64, pageCount: UInt64) {
        self.firstFrame = firstFrame
        self.pageCount = pageCount
    }

    /// The pages a `reg` range touches: start rounded down, end rounded up.
    package init(covering reg: RegRange) {
        let first = reg.address >> Self.pageShift
        let last = reg.size == 0 ? first : (reg.end - 1) >> Self.pageShift
        self.init(firstFrame: first, pageCount: last - first + 1)
    }

    /// One past the last frame.
    package var endFrame: UInt64 { firstFrame + pageCount }
    /// First byte address.
    package var startAddress: UInt64 { firstFrame << Self.pageShift }
    /// One past the last byte address.
    package var endAddress: UInt64 { endFrame << Self.pageShift }

    /// The xl.cfg(5) form: both numbers in hexadecimal, e.g. `feb00,80`.
    package var description: String {
        "\(String(firstFrame, radix: 16)),\(String(pageCount, radix: 16))"
    }

    /// Orders by first frame, then length.
    package static func < (lhs: IOMemRange, rhs: IOMemRange) -> Bool {
        (lhs.firstFrame, lhs.pageCount) < (rhs.firstFrame, rhs.pageCount)
    }

    /// The page runs covering `regs`, sorted, with overlapping or adjacent runs
    /// merged so no page is granted twice.
    package static func coalesced(_ regs: [RegRange]) -> [IOMemRange] {
        var merged: [IOMemRange] = []
        for range in regs.map(IOMemRange.init(covering:)).sorted() {
            if let last = merged.last, range.firstFrame <= last.endFrame {
                let end = max(last.endFrame, range.endFrame)
                merged[merged.count - 1].pageCount = end - last.firstFrame
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
