// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The end-to-end sound test's signal: interleaved stereo S16_LE frames whose
/// samples encode the frame's position, so a dropped, repeated, reordered or
/// corrupted period shows as a wrong counter (a sine would hide a lost period).
///
/// Frame `n` (counter `c = n mod 2^24`) is
/// - left:  `c & 0xFFFF`
/// - right: `0xA500 | (c >> 16)` (the tag byte keeps every frame non-silent)
///
/// An all-zero frame is silence; any other frame that does not decode is corrupt.
package enum CounterSignal {
    /// Counters wrap at 2^24 frames (about 350 s at 48 kHz).
    package static let modulus: UInt32 = 1 << 24
    /// Bytes per frame: two 16-bit samples.
    package static let frameBytes = 4
    /// The high byte of every right sample.
    package static let tag: UInt16 = 0xA500

    /// The two samples of the frame with counter `counter` (taken modulo ``modulus``).
    package static func frame(_ counter: UInt32) -> (left: UInt16, right: UInt16) {
        let c = counter % modulus
        return (UInt16(truncatingIfNeeded: c), tag | UInt16(truncatingIfNeeded: c >> 16))
    }

    /// The counter a frame encodes, or nil when it is not a frame of the signal.
    package static func counter(left: UInt16, right: UInt16) -> UInt32? {
        guard right & 0xFF00 == tag else { return nil }
        return UInt32(right & 0x00FF) << 16 | UInt32(left)
    }

    /// Whether a frame is silence (both samples zero).
    package static func isSilence(left: UInt16, right: UInt16) -> Bool {
        left == 0 && right == 0
    }

    /// Writes `count` frames starting at counter `first` into `bytes` as little-endian S16 stereo.
    package static func encode(first: UInt32, count: Int, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(count * frameBytes)
        var counter = first % modulus
        for _ in 0..<count {
            let (left, right) = frame(counter)
            bytes.append(UInt8(truncatingIfNeeded: left))
            bytes.append(UInt8(truncatingIfNeeded: left >> 8))
            bytes.append(UInt8(truncatingIfNeeded: right))
            bytes.append(UInt8(truncatingIfNeeded: right >> 8))
            counter = (counter + 1) % modulus
        }
    }

    /// Text for a frame in failure messages, e.g. `0x0001/0xa500`.
    package static func describe(left: UInt16, right: UInt16) -> String {
        "0x" + hex(left) + "/0x" + hex(right)
    }

    static func hex(_ value: UInt16) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        var shift = 12
        while shift >= 0 {
            text.append(digits[Int((value >> UInt16(shift)) & 0xF)])
            shift -= 4
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// What a sound check concluded.
package struct SignalVerdict: Equatable {
    /// Whether the samples arrived intact and in order.
    package var passed: Bool
    /// What was seen, or what went wrong and where.
    package var detail: String

    package init(passed: Bool, detail: String) {
        self.passed = passed
        self.detail = detail
    }
}

/// Feeds little-endian S16 stereo bytes to a frame consumer, carrying a partial
/// frame over from one chunk to the next.
package struct FrameSplitter {
    private var pending: [UInt8] = []

    package init() {}

    /// Calls `consume(left, right)` for every whole frame in `pending + bytes`.
    package mutating func split(_ bytes: UnsafeBufferPointer<UInt8>, _ consume: (UInt16, UInt16) -> Void) {
        var index = 0
        if !pending.isEmpty {
            while pending.count < CounterSignal.frameBytes && index < bytes.count {
                pending.append(bytes[index])
                index += 1
            }
            guard pending.count == CounterSignal.frameBytes else { return }
            consume(UInt16(pending[0]) | UInt16(pending[1]) << 8, UInt16(pending[2]) | UInt16(pending[3]) << 8)
            pending.removeAll(keepingCapacity: true)
        }
        while index + CounterSignal.frameBytes <= bytes.count {
            consume(UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8,
                    UInt16(bytes[index + 2]) | UInt16(bytes[index + 3]) << 8)
            index += CounterSignal.frameBytes
        }
        while index < bytes.count {
            pending.append(bytes[index])
            index += 1
        }
    }

    /// Bytes of an incomplete frame held back.
    package var leftoverBytes: Int { pending.count }
}
