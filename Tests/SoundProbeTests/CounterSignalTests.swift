// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SoundProbe
import Testing

/// Frames of the counter signal, as (left, right) pairs.
func signal(from first: UInt32, count: Int) -> [(UInt16, UInt16)] {
    (0..<count).map { CounterSignal.frame(first &+ UInt32($0)) }
}

func silence(_ count: Int) -> [(UInt16, UInt16)] { Array(repeating: (0, 0), count: count) }

@Suite("Counter signal encoding")
struct CounterSignalTests {
    @Test("every counter decodes back to itself and no frame is silent")
    func roundTrip() {
        for counter: UInt32 in [0, 1, 0xFFFF, 0x10000, 0x123456, CounterSignal.modulus - 1] {
            let (left, right) = CounterSignal.frame(counter)
            #expect(CounterSignal.counter(left: left, right: right) == counter)
            #expect(!CounterSignal.isSilence(left: left, right: right))
        }
    }

    @Test("counters wrap at 2^24")
    func wraps() {
        #expect(CounterSignal.frame(CounterSignal.modulus) == CounterSignal.frame(0))
    }

    @Test("a frame without the tag byte does not decode")
    func corruptFrame() {
        #expect(CounterSignal.counter(left: 5, right: 0x1200) == nil)
        #expect(CounterSignal.counter(left: 0, right: 0) == nil)
    }

    @Test("encode writes little-endian S16 stereo")
    func encodeBytes() {
        var bytes: [UInt8] = []
        CounterSignal.encode(first: 0x010203, count: 2, into: &bytes)
        #expect(bytes == [0x03, 0x02, 0x01, 0xA5, 0x04, 0x02, 0x01, 0xA5])
    }

    @Test("the splitter carries partial frames across chunks")
    func splitter() {
        var bytes: [UInt8] = []
        CounterSignal.encode(first: 7, count: 5, into: &bytes)
        var splitter = FrameSplitter()
        var counters: [UInt32] = []
        for chunk in [Array(bytes[0..<3]), Array(bytes[3..<4]), Array(bytes[4..<13]), Array(bytes[13...])] {
            chunk.withUnsafeBufferPointer { buffer in
                splitter.split(buffer) { counters.append(CounterSignal.counter(left: $0, right: $1)!) }
            }
        }
        #expect(counters == [7, 8, 9, 10, 11])
        #expect(splitter.leftoverBytes == 0)
    }
}
