// SPDX-License-Identifier: GPL-2.0-only OR MIT
import SndIf
import SndIfSimulation
import Testing
import XenCore

/// XENSND_OP_WRITE and XENSND_OP_READ: bytes reach the device intact and in
/// order, ranges are checked against the mapped buffer, and a transfer the
/// device cannot take at once is answered when it completes.
@Suite struct TransferTests {
    @Test func writeDeliversTheBytesInOrder() throws {
        let fixture = try SndFixture()
        let buffer = try fixture.open(fixture.playback, bufferBytes: 16384)
        let data = signal(16384)
        data.withUnsafeBytes { buffer.write($0, at: 0) }
        for chunk in 0..<4 {
            #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: UInt32(chunk * 4096), length: 4096)) == 0)
        }
        #expect(fixture.playbackDevice.written == data)
    }

    @Test func writeBeforeOpenAnswersEBADF() throws {
        let fixture = try SndFixture()
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 4)) == -9)
        #expect(try fixture.status(fixture.capture, SndIfWire.opRead, .range(offset: 0, length: 4)) == -9)
    }

    static let badRanges: [(UInt32, UInt32)] = [(16384, 4), (16380, 8), (0, 16388), (UInt32.max, 4), (4, UInt32.max), (UInt32.max, UInt32.max)]

    @Test(arguments: badRanges)
    func outOfRangeAnswersEINVAL(offset: UInt32, length: UInt32) throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback, bufferBytes: 16384)
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: offset, length: length)) == -22)
        #expect(fixture.playbackDevice.written.isEmpty)
    }

    @Test func partialFrameAnswersEINVAL() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback)
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 6)) == -22)
    }

    @Test func wrongDirectionAnswersEINVAL() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback)
        try fixture.open(fixture.capture)
        #expect(try fixture.status(fixture.playback, SndIfWire.opRead, .range(offset: 0, length: 4)) == -22)
        #expect(try fixture.status(fixture.capture, SndIfWire.opWrite, .range(offset: 0, length: 4)) == -22)
    }

    @Test func deviceFailureAnswersEIO() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.playback)
        fixture.playbackDevice.failNext(.write, errno: 32)
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 4096)) == -5)
        // The stream still works afterwards.
        #expect(try fixture.status(fixture.playback, SndIfWire.opWrite, .range(offset: 0, length: 4096)) == 0)
    }

    @Test func writeTheDeviceCannotTakeWaitsWithoutSpinning() throws {
        let fixture = try SndFixture { $0.capacityFrames = 512 }  // 2048 bytes of S16 stereo
        let buffer = try fixture.open(fixture.playback, bufferBytes: 8192, periodBytes: 2048)
        let data = signal(8192, seed: 3)
        data.withUnsafeBytes { buffer.write($0, at: 0) }
        #expect(try fixture.trigger(fixture.playback, SndIfWire.triggerStart) == 0)
        let id = try fixture.playback.send(SndRequest(id: 0, operation: SndIfWire.opWrite, body: .range(offset: 0, length: 8192)))
        try fixture.scenario.run()  // settles: the backend waits on the device's fd
        #expect(try fixture.playback.responses().isEmpty)
        #expect(fixture.playbackDevice.written.count == 2048)
        // A request queued behind the waiting WRITE waits too (responses stay in order).
        let next = try fixture.playback.send(SndRequest(id: 0, operation: SndIfWire.opTrigger, body: .trigger(type: SndIfWire.triggerPause)))
        try fixture.scenario.run()
        #expect(try fixture.playback.responses().isEmpty)
        for _ in 0..<3 {
            fixture.playbackDevice.advance(frames: 512)
            try fixture.scenario.run()
        }
        let responses = try fixture.playback.responses()
        #expect(responses.map { $0.id } == [id, next])
        #expect(responses.map { $0.status } == [0, 0])
        #expect(fixture.playbackDevice.written == data)
    }

    @Test func readReturnsCapturedBytesWhenTheyArrive() throws {
        let data = signal(8192, seed: 9)
        let fixture = try SndFixture { $0.captureScript = data }
        let buffer = try fixture.open(fixture.capture, bufferBytes: 8192, periodBytes: 4096)
        #expect(try fixture.trigger(fixture.capture, SndIfWire.triggerStart) == 0)
        let id = try fixture.capture.send(SndRequest(id: 0, operation: SndIfWire.opRead, body: .range(offset: 0, length: 8192)))
        try fixture.scenario.run()
        #expect(try fixture.capture.responses().isEmpty, "nothing captured yet")
        fixture.captureDevice.advance(frames: 1024)
        try fixture.scenario.run()
        #expect(try fixture.capture.responses().isEmpty, "half captured")
        #expect(fixture.capture.positionEvents() == [4096])
        fixture.captureDevice.advance(frames: 1024)
        try fixture.scenario.run()
        let responses = try fixture.capture.responses()
        #expect(responses.map { $0.id } == [id])
        #expect(responses.first?.status == 0)
        #expect(buffer.read(at: 0, count: 8192) == data)
        #expect(fixture.capture.positionEvents() == [8192])
    }

    @Test func readFailureAnswersEIO() throws {
        let fixture = try SndFixture()
        try fixture.open(fixture.capture)
        fixture.captureDevice.failNext(.read, errno: 5)
        #expect(try fixture.status(fixture.capture, SndIfWire.opRead, .range(offset: 0, length: 4096)) == -5)
    }
}
