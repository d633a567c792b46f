// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SoundProbe
import Testing
import UsbIpAudio

/// The descriptors of a configuration descriptor, split by bLength.
func descriptors(_ bytes: [UInt8]) -> [[UInt8]] {
    var result: [[UInt8]] = []
    var at = 0
    while at < bytes.count {
        let length = Int(bytes[at])
        guard length >= 2, at + length <= bytes.count else { return result + [Array(bytes[at...])] }
        result.append(Array(bytes[at..<(at + length)]))
        at += length
    }
    return result
}

func setup(_ type: UInt8, _ request: UInt8, value: UInt16 = 0, index: UInt16 = 0, length: UInt16 = 0) -> [UInt8] {
    [type, request, UInt8(value & 0xFF), UInt8(value >> 8), UInt8(index & 0xFF), UInt8(index >> 8),
     UInt8(length & 0xFF), UInt8(length >> 8)]
}

@Suite("UAC1 counter microphone (descriptors, control requests, samples)")
struct CounterMicrophoneTests {
    @Test("the device descriptor: full-speed USB 1.1, 1d6b:0101, one configuration")
    func deviceDescriptor() {
        let bytes = CounterMicrophone.deviceDescriptor
        #expect(bytes.count == 18)
        #expect(bytes[0] == 18 && bytes[1] == 1)
        #expect(Array(bytes[8..<12]) == [0x6B, 0x1D, 0x01, 0x01])
        #expect(bytes[17] == 1)
        #expect(CounterMicrophone.vendorProduct == "1d6b:0101")
    }

    @Test("the configuration descriptor chains whole descriptors and its totals add up")
    func configurationDescriptor() {
        let bytes = CounterMicrophone.configurationDescriptor
        let parts = descriptors(bytes)
        #expect(parts.map { $0.count }.reduce(0, +) == bytes.count)
        #expect(Int(bytes[2]) | Int(bytes[3]) << 8 == bytes.count)
        #expect(parts.map { $0[1] } == [2, 4, 0x24, 0x24, 0x24, 4, 4, 0x24, 0x24, 5, 0x25])
        // The AC header's wTotalLength covers itself and the two terminals.
        let header = parts[2]
        #expect(Int(header[5]) | Int(header[6]) << 8 == parts[2].count + parts[3].count + parts[4].count)
        #expect(header[7] == 1 && header[8] == CounterMicrophone.streamingInterface)
        // The streaming interface links to the USB-streaming output terminal (id 2, type 0x0101).
        #expect(parts[4][3] == 2 && parts[4][4] == 0x01 && parts[4][5] == 0x01)
        #expect(parts[7][3] == 2)
        // Format type I: stereo, 16 bit, 48 kHz.
        #expect(Array(parts[8][4...10]) == [2, 2, 16, 1, 0x80, 0xBB, 0x00])
        // Endpoint 0x81, isochronous asynchronous, 192 bytes, every frame.
        #expect(Array(parts[9][2...6]) == [0x81, 0x05, 192, 0, 1])
    }

    @Test("GET_DESCRIPTOR answers are cut to wLength; unknown descriptors stall")
    func getDescriptor() {
        var device = CounterMicrophone()
        #expect(device.control(setup: setup(0x80, 6, value: 0x0100, length: 8), data: [])
                == .data(Array(CounterMicrophone.deviceDescriptor.prefix(8))))
        #expect(device.control(setup: setup(0x80, 6, value: 0x0200, length: 9), data: [])
                == .data(Array(CounterMicrophone.configurationDescriptor.prefix(9))))
        #expect(device.control(setup: setup(0x80, 6, value: 0x0300, length: 255), data: []) == .data([4, 3, 0x09, 0x04]))
        #expect(device.control(setup: setup(0x80, 6, value: 0x0301, length: 255), data: [])
                == .data([20, 3] + Array("driverdom".utf8).flatMap { [$0, 0] }))
        #expect(device.control(setup: setup(0x80, 6, value: 0x0304, length: 255), data: []) == .stall)
        #expect(device.control(setup: setup(0x80, 6, value: 0x0600, length: 10), data: []) == .stall)
        #expect(device.control(setup: [0x80, 6], data: []) == .stall)
    }

    @Test("streaming needs configuration 1 and alternate setting 1; the rate control takes 48 kHz only")
    func streamingState() {
        var device = CounterMicrophone()
        #expect(device.control(setup: setup(0x01, 0x0B, value: 1, index: 1), data: []) == .stall)
        #expect(device.control(setup: setup(0x00, 0x09, value: 1), data: []) == .data([]))
        #expect(device.control(setup: setup(0x00, 0x09, value: 2), data: []) == .stall)
        #expect(!device.streaming)
        #expect(device.control(setup: setup(0x01, 0x0B, value: 2, index: 1), data: []) == .stall)
        #expect(device.control(setup: setup(0x01, 0x0B, value: 1, index: 1), data: []) == .data([]))
        #expect(device.streaming)
        #expect(device.control(setup: setup(0x81, 0x0A, index: 1, length: 1), data: []) == .data([1]))
        #expect(device.control(setup: setup(0x22, 0x01, value: 0x0100, index: 0x81, length: 3), data: [0x80, 0xBB, 0x00]) == .data([]))
        #expect(device.control(setup: setup(0x22, 0x01, value: 0x0100, index: 0x81, length: 3), data: [0x44, 0xAC, 0x00]) == .stall)
        #expect(device.control(setup: setup(0xA2, 0x81, value: 0x0100, index: 0x81, length: 3), data: []) == .data([0x80, 0xBB, 0x00]))
        #expect(device.control(setup: setup(0x00, 0x09, value: 0), data: []) == .data([]))
        #expect(!device.streaming)
    }

    @Test("packets carry whole frames of the counter signal, continuing across calls")
    func samples() {
        var device = CounterMicrophone()
        let first = device.record(packetLengths: [192, 192])
        #expect(first.actual == [192, 192])
        let second = device.record(packetLengths: [100, 400])
        #expect(second.actual == [100, 192])
        var checker = WindowChecker(minimumFrames: 96 + 25 + 48)
        var splitter = FrameSplitter()
        (first.data + second.data).withUnsafeBufferPointer { buffer in
            splitter.split(buffer) { checker.consume(left: $0, right: $1) }
        }
        #expect(checker.verdict().passed)
        #expect(device.framesSent == 96 + 25 + 48)
        #expect(device.nextCounter == UInt32(96 + 25 + 48))
    }
}
