// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// Accesses to memory another domain can change at any time, and the barriers
/// xen/io/ring.h demands (`xen_mb`, `xen_rmb`, `xen_wmb`).
public enum SharedMemory {
    /// Reads a 32-bit value exactly once.
    @inline(__always)
    public static func load32(_ address: UnsafeRawPointer) -> UInt32 { clinux_shared_load32(address) }
    /// Writes a 32-bit value exactly once.
    @inline(__always)
    public static func store32(_ address: UnsafeMutableRawPointer, _ value: UInt32) { clinux_shared_store32(address, value) }
    /// Copies `count` bytes out of shared memory into private memory (or back).
    @inline(__always)
    public static func copy(to destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
        clinux_shared_copy(destination, source, count)
    }
    /// Full barrier (`xen_mb`).
    @inline(__always) public static func fullBarrier() { clinux_mb() }
    /// Read barrier (`xen_rmb`): reads after it see data published before the index read before it.
    @inline(__always) public static func readBarrier() { clinux_rmb() }
    /// Write barrier (`xen_wmb`): data written before it is visible before an index written after it.
    @inline(__always) public static func writeBarrier() { clinux_wmb() }
}
