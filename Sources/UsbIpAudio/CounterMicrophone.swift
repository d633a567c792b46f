// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SoundProbe

/// A USB Audio Class 1 microphone whose only data is the end-to-end test's
/// counter signal (``SoundProbe/CounterSignal``): a full-speed device with an
/// AudioControl interface (input terminal → USB streaming output terminal)
/// and an AudioStreaming interface whose alternate setting 1 has one
/// isochronous IN endpoint, 48 kHz, 16-bit stereo, 48 frames a millisecond.
/// Linux's snd-usb-audio records it as a capture PCM; a lost, repeated or
/// corrupted packet shows as a counter that does not follow.
package struct CounterMicrophone {
    package static let vendor: UInt16 = 0x1D6B   // Linux Foundation
    package static let product: UInt16 = 0x0101  // "Audio Gadget"
    /// `vendor:product` as the image's `usbdev` names it.
    package static var vendorProduct: String { hex(vendor) + ":" + hex(product) }
    package static let rate = 48_000
    package static let channels = 2
    /// Frames in one packet (one per 1 ms full-speed frame).
    package static let framesPerPacket = rate / 1000
    package static let packetBytes = framesPerPacket * CounterSignal.frameBytes
    /// The isochronous IN endpoint's number (address 0x81).
    package static let endpoint: UInt8 = 1
    package static let endpointAddress: UInt8 = 0x80 | endpoint
    package static let controlInterface: UInt8 = 0
    package static let streamingInterface: UInt8 = 1
    static let maxPacket0: UInt8 = 64
    package static let strings = ["driverdom", "usbif e2e counter microphone", "0001"]

    /// The configuration SET_CONFIGURATION selected (0: none).
    package private(set) var configuration: UInt8 = 0
    /// The streaming interface's alternate setting (1: streaming).
    package private(set) var alternate: UInt8 = 0
    /// The counter of the next frame the endpoint sends.
    package private(set) var nextCounter: UInt32 = 0
    /// Frames sent since the device was made.
    package private(set) var framesSent = 0

    package init() {}

    /// Whether the isochronous endpoint streams (configured, alternate setting 1).
    package var streaming: Bool { configuration == 1 && alternate == 1 }

    /// The 18-byte device descriptor.
    package static var deviceDescriptor: [UInt8] {
        [18, 1, 0x10, 0x01, 0, 0, 0, maxPacket0] + le16(vendor) + le16(product) + [0x00, 0x01, 1, 2, 3, 1]
    }

    /// The configuration descriptor with every interface, class-specific and endpoint descriptor.
    package static var configurationDescriptor: [UInt8] {
        let acHeaderLength = 9, inputTerminalLength = 12, outputTerminalLength = 9
        let acTotal = acHeaderLength + inputTerminalLength + outputTerminalLength
        var body: [UInt8] = []
        // Interface 0: AudioControl (class 1, subclass 1), no endpoints.
        body += [9, 4, controlInterface, 0, 0, 1, 1, 0, 0]
        // AC header: UAC 1.00, one streaming interface.
        body += [UInt8(acHeaderLength), 0x24, 0x01] + le16(0x0100) + le16(UInt16(acTotal)) + [1, streamingInterface]
        // Input terminal 1: a microphone, two channels (left front, right front).
        body += [UInt8(inputTerminalLength), 0x24, 0x02, 1] + le16(0x0201) + [0, UInt8(channels)] + le16(0x0003) + [0, 0]
        // Output terminal 2: USB streaming, fed by terminal 1.
        body += [UInt8(outputTerminalLength), 0x24, 0x03, 2] + le16(0x0101) + [0, 1, 0]
        // Interface 1, alternate 0: AudioStreaming, no bandwidth.
        body += [9, 4, streamingInterface, 0, 0, 1, 2, 0, 0]
        // Interface 1, alternate 1: one endpoint.
        body += [9, 4, streamingInterface, 1, 1, 1, 2, 0, 0]
        // AS general: linked to terminal 2, 1 frame of delay, PCM.
        body += [7, 0x24, 0x01, 2, 1] + le16(0x0001)
        // Format type I: 2 channels, 2-byte subframes, 16 bits, one discrete rate.
        body += [11, 0x24, 0x02, 1, UInt8(channels), 2, 16, 1] + le24(UInt32(rate))
        // Endpoint 0x81: isochronous, asynchronous, one packet a frame (audio-class 9-byte form).
        body += [9, 5, endpointAddress, 0x05] + le16(UInt16(packetBytes)) + [1, 0, 0]
        // Class-specific endpoint: a sampling frequency control.
        body += [7, 0x25, 0x01, 0x01, 0, 0, 0]
        let total = 9 + body.count
        return [9, 2] + le16(UInt16(total)) + [2, 1, 0, 0x80, 50] + body
    }

    /// String descriptor `index` (0: the language list, US English), nil past the last.
    package static func stringDescriptor(_ index: UInt8) -> [UInt8]? {
        if index == 0 { return [4, 3, 0x09, 0x04] }
        guard Int(index) <= strings.count else { return nil }
        let units = Array(strings[Int(index) - 1].utf16)
        var bytes: [UInt8] = [UInt8(2 + 2 * units.count), 3]
        for unit in units { bytes += le16(unit) }
        return bytes
    }

    /// What a control transfer gets.
    package enum ControlResult: Equatable {
        /// IN data (already cut to wLength), or an empty status stage for OUT.
        case data([UInt8])
        /// The request is not supported: the endpoint stalls.
        case stall
    }

    /// Answers the control transfer with `setup` (8 bytes) and OUT `data`.
    package mutating func control(setup: [UInt8], data: [UInt8]) -> ControlResult {
        guard setup.count == 8 else { return .stall }
        let requestType = setup[0], request = setup[1]
        let value = UInt16(setup[2]) | UInt16(setup[3]) << 8
        let index = UInt16(setup[4]) | UInt16(setup[5]) << 8
        let length = Int(UInt16(setup[6]) | UInt16(setup[7]) << 8)
        func reply(_ bytes: [UInt8]) -> ControlResult { .data(Array(bytes.prefix(length))) }
        switch (requestType, request) {
        case (0x80, 0x06):  // GET_DESCRIPTOR
            switch value >> 8 {
            case 1: return reply(Self.deviceDescriptor)
            case 2 where value & 0xFF == 0: return reply(Self.configurationDescriptor)
            case 3: return Self.stringDescriptor(UInt8(value & 0xFF)).map(reply) ?? .stall
            default: return .stall
            }
        case (0x80, 0x00), (0x81, 0x00), (0x82, 0x00):  // GET_STATUS
            return reply([0, 0])
        case (0x00, 0x05):  // SET_ADDRESS (vhci-hcd answers it itself; accepted all the same)
            return .data([])
        case (0x00, 0x09):  // SET_CONFIGURATION
            guard value <= 1 else { return .stall }
            configuration = UInt8(value)
            alternate = 0
            return .data([])
        case (0x80, 0x08):  // GET_CONFIGURATION
            return reply([configuration])
        case (0x01, 0x0B):  // SET_INTERFACE
            guard configuration == 1 else { return .stall }
            if index == UInt16(Self.controlInterface), value == 0 { return .data([]) }
            guard index == UInt16(Self.streamingInterface), value <= 1 else { return .stall }
            alternate = UInt8(value)
            return .data([])
        case (0x81, 0x0A):  // GET_INTERFACE
            guard configuration == 1, index <= UInt16(Self.streamingInterface) else { return .stall }
            return reply([index == UInt16(Self.streamingInterface) ? alternate : 0])
        case (0x02, 0x01), (0x00, 0x01), (0x01, 0x01):  // CLEAR_FEATURE (halt, remote wakeup)
            return .data([])
        case (0x22, 0x01):  // SET_CUR to the endpoint: its sampling frequency
            guard value == 0x0100, index & 0xFF == UInt16(Self.endpointAddress), data.count >= 3 else { return .stall }
            let asked = Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16
            return asked == Self.rate ? .data([]) : .stall
        case (0xA2, 0x81):  // GET_CUR of the endpoint's sampling frequency
            guard value == 0x0100, index & 0xFF == UInt16(Self.endpointAddress) else { return .stall }
            return reply(Self.le24(UInt32(Self.rate)))
        default:
            return .stall
        }
    }

    /// Fills the isochronous IN packets of lengths `lengths`: each gets as many
    /// whole frames of the counter signal as fit, at most one millisecond's.
    /// Returns the bytes back to back and each packet's actual length.
    package mutating func record(packetLengths lengths: [UInt32]) -> (data: [UInt8], actual: [UInt32]) {
        var data: [UInt8] = []
        var actual: [UInt32] = []
        var frames: [UInt8] = []
        for length in lengths {
            let count = min(Self.framesPerPacket, Int(length) / CounterSignal.frameBytes)
            CounterSignal.encode(first: nextCounter, count: count, into: &frames)
            data += frames
            actual.append(UInt32(frames.count))
            nextCounter = (nextCounter + UInt32(count)) % CounterSignal.modulus
            framesSent += count
        }
        return (data, actual)
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le24(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF)]
    }
    static func hex(_ value: UInt16) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for shift in stride(from: 12, through: 0, by: -4) { text.append(digits[Int((value >> UInt16(shift)) & 0xF)]) }
        return String(decoding: text, as: UTF8.self)
    }
}
