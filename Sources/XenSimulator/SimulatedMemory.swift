// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux
import XenCore

/// Guest "physical memory" for the simulation: page frames of one memory file,
/// so a page a frontend allocated can be mapped again elsewhere, contiguously,
/// writable or read-only, exactly like gntdev does. Frames are reused only when
/// nothing maps them any more.
final class SimulatedMemory {
    private let fd: Int32
    private var frameCount = 0
    private var freeFrames: [Int] = []
    /// Mappings per frame (the owner's own mapping counts as one).
    private var users: [Int] = []

    init() {
        fd = clinux_memfd_create("xen-simulator")
        precondition(fd >= 0, "memfd_create failed")
    }

    deinit { close(fd) }

    /// A new zeroed frame, mapped writable for its owner.
    func allocate() -> (frame: Int, address: UnsafeMutableRawPointer) {
        let frame: Int
        if let reused = freeFrames.popLast() {
            frame = reused
        } else {
            if frameCount % 64 == 0 {
                precondition(ftruncate(fd, off_t((frameCount + 64) * XenPage.size)) == 0, "ftruncate failed")
            }
            frame = frameCount
            frameCount += 1
            users.append(0)
        }
        guard let address = mapFrames([frame], writable: true) else { fatalError("mmap of a simulated page failed") }
        memset(address, 0, XenPage.size)
        return (frame, address)
    }

    /// Maps `frames` contiguously; nil if the address space ran out.
    func mapFrames(_ frames: [Int], writable: Bool) -> UnsafeMutableRawPointer? {
        let length = frames.count * XenPage.size
        guard let base = clinux_reserve_address_space(length) else { return nil }
        for (index, frame) in frames.enumerated() {
            let result = clinux_map_shared_page_at(base + index * XenPage.size, XenPage.size, writable ? 1 : 0,
                                                   fd, off_t(frame * XenPage.size))
            if result != 0 {
                munmap(base, length)
                return nil
            }
        }
        for frame in frames { users[frame] += 1 }
        return base
    }

    /// Unmaps a mapping of `frames` made by `mapFrames` or `allocate`; frames no
    /// longer used by anyone go back to the free list.
    func unmapFrames(_ frames: [Int], at address: UnsafeMutableRawPointer) {
        munmap(address, frames.count * XenPage.size)
        for frame in frames {
            users[frame] -= 1
            if users[frame] == 0 { freeFrames.append(frame) }
        }
    }
}
