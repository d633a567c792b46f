// SPDX-License-Identifier: GPL-2.0-only OR MIT
import Testing
import XenCore
import XenSimulator

/// Findings of the device-code review that live in the core: the request
/// producer index is read once per batch, and frontend text is escaped before
/// it reaches a log line.
@Suite struct RingHardeningTests {
    /// `req_prod` is read once per batch (`RING_COPY_REQUEST` after one
    /// snapshot): a producer scribbled while the batch is consumed is seen
    /// only when the batch is done, never halfway through one request.
    @Test func requestProducerIsReadOncePerBatch() throws {
        let pair = try SharedRingTests.Pair()
        for value in [UInt64(11), 22] {
            var request = value
            #expect(withUnsafeBytes(of: &request) { pair.front.putRequest($0) })
        }
        _ = pair.front.pushRequests()
        #expect(try pair.back.nextRequest(UInt64.self) == 11)
        pair.set(0, 5000)  // req_prod far past the ring
        #expect(try pair.back.nextRequest(UInt64.self) == 22)
        #expect(throws: XenError.ringOverrun(producer: 5000, consumer: 2, size: pair.back.geometry.entries)) {
            _ = try pair.back.nextRequest(UInt64.self)
        }
        try pair.close()
    }

    /// Control characters and overlong text a frontend wrote are escaped and
    /// cut before they are logged.
    @Test func frontendTextIsEscapedForLogs() {
        #expect(XenLog.escaped("ok-id_1") == "ok-id_1")
        #expect(XenLog.escaped("a\nb\u{1b}[2J") == "a\\x0ab\\x1b[2J")
        #expect(XenLog.escaped("\u{7f}é") == "\\x7f\\xc3\\xa9")
        let long = XenLog.escaped(String(repeating: "x", count: 500))
        #expect(long.utf8.count <= XenLog.escapedLimit + 3)
        #expect(long.hasSuffix("..."))
        let error = XenError.frontendNodeInvalid(path: "/local/domain/2/device/vkbd/0/page-gref", value: "1\n\u{1b}[31mEVIL")
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains("\u{1b}"))
    }
}
