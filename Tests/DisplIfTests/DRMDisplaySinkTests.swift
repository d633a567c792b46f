// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CDRM
import CLinux
import DRMDisplay
import DisplIf
import Testing

/// The real DRM/KMS sink, on the first card of this machine that does dumb
/// buffers and has a connected connector; skipped when there is none (as on CI).
@Suite struct DRMDisplaySinkTests {
    /// (card path, connector name) of a usable output, or nil.
    static let usable: (String, String)? = {
        for index in 0..<8 {
            let path = "/dev/dri/card" + String(index)
            let fd = cdrm_open(path)
            guard fd >= 0 else { continue }
            defer { cdrm_close(fd) }
            guard cdrm_has_dumb_buffers(fd) != 0 else { continue }
            var name = [CChar](repeating: 0, count: 64)
            var connector: Int32 = 0
            while cdrm_connector_name(fd, connector, &name, 64) == 0 {
                var output = cdrm_output()
                if cdrm_find_output(fd, name, 0, 0, 0, &output) == 0 {
                    return (path, String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
                connector += 1
            }
        }
        return nil
    }()

    @Test func missingCardIsReported() {
        #expect(throws: DisplIfError.cardOpenFailed(path: "/nonexistent/card9", errno: 2)) {
            try DRMDisplaySink(cardPath: "/nonexistent/card9", outputs: ["Virtual-1"], vsync: false, background: 0)
        }
    }

    @Test(.enabled(if: usable != nil, "needs a /dev/dri card with dumb buffers and a connected connector"))
    func showsAFrameAndFlipsOnARealCard() throws {
        let (path, name) = try #require(Self.usable)
        let sink = try DRMDisplaySink(cardPath: path, outputs: [name], vsync: false, background: 0x202020)
        defer { sink.close() }
        #expect(sink.showBackground().isEmpty)
        var pixels = [UInt32](repeating: 0x00FF_0000, count: 64 * 48)
        try pixels.withUnsafeMutableBytes { raw in
            let frame = DisplayFrame(base: UnsafeRawPointer(raw.baseAddress!), pitch: 256, width: 64, height: 48, format: .xrgb8888)
            try sink.enable(output: name, width: 64, height: 48, frame: frame)
            #expect(try sink.flip(output: name, frame: frame, ticket: FlipTicket(rawValue: 1)))
        }
        sink.disable(output: name)
    }

    @Test(.enabled(if: usable != nil, "needs a /dev/dri card with dumb buffers and a connected connector"))
    func unknownConnectorIsRefused() throws {
        let (path, _) = try #require(Self.usable)
        #expect(throws: DisplIfError.outputUnknown(name: "NoSuch-9")) {
            try DRMDisplaySink(cardPath: path, outputs: ["NoSuch-9"], vsync: false, background: 0)
        }
    }
}
