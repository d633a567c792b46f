// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// xorshift64*: the deterministic generator of the simulated world's random
/// tests (hostile frontends, fault schedules), so a failure is reproducible
/// from its seed.
package struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator for `seed` (0 is replaced by a fixed non-zero state).
    package init(seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }

    package mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2685821657736338717
    }

    /// `count` bytes of a pattern that differs at every offset (a 32-bit LCG from
    /// `seed`): test payloads whose misplacement or loss shows.
    package static func pattern(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
    }
}
