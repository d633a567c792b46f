// SPDX-License-Identifier: Apache-2.0
import Foundation
import QEMURunner
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct PassthroughMachineTests {
    let artifacts = BootArtifacts(xen: URL(fileURLWithPath: "/b/xen"), kernel: URL(fileURLWithPath: "/b/vmlinuz"),
                                  initramfs: URL(fileURLWithPath: "/b/initrd.gz"))

    @Test func deviceTreeAndQMPSocketAreOnTheCommandLine() {
        var machine = XenMachine(artifacts: artifacts)
        machine.deviceTree = URL(fileURLWithPath: "/s/xen.dtb")
        machine.qmpSocket = "/s/qmp.sock"
        let arguments = machine.arguments()
        #expect(arguments.suffix(4) == ["-dtb", "/s/xen.dtb", "-qmp", "unix:/s/qmp.sock,server=on,wait=off"])
        #expect(arguments.starts(with: ["-M", "virt,virtualization=on,gic-version=3"]))
    }

    @Test func theDumpIsTheSameMachineWithDumpdtb() {
        var machine = XenMachine(artifacts: artifacts)
        machine.deviceTree = URL(fileURLWithPath: "/s/xen.dtb")
        machine.qmpSocket = "/s/qmp.sock"
        let dump = machine.dumpArguments(to: URL(fileURLWithPath: "/s/qemu.dtb"))
        #expect(dump[1] == "virt,virtualization=on,gic-version=3,dumpdtb=/s/qemu.dtb")
        // Everything else (memory, kernel, command line, guest-loader modules) is what the run uses, without -dtb/-qmp.
        #expect(Array(dump.dropFirst(2)) == Array(XenMachine(artifacts: artifacts).arguments().dropFirst(2)))
    }

    @Test func aMissingDeviceTreeIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["xen", "vmlinuz", "initrd.gz"] { try Data([1]).write(to: folder.appendingPathComponent(name)) }
        var machine = XenMachine(artifacts: BootArtifacts(xen: folder.appendingPathComponent("xen"),
                                                          kernel: folder.appendingPathComponent("vmlinuz"),
                                                          initramfs: folder.appendingPathComponent("initrd.gz")))
        machine.deviceTree = folder.appendingPathComponent("xen.dtb")
        #expect(throws: RunError.missingArtifact(folder.appendingPathComponent("xen.dtb").path)) { try machine.validate() }
    }

    /// A QMP server on a unix socket that greets, answers each command, and sends an event first.
    // @unchecked Sendable: `received` is written by the server thread only, and read
    // by the test after `wait()` (the `done` semaphore the thread signals when it ends).
    final class FakeQMP: @unchecked Sendable {
        let path: String
        let listener: Int32
        private(set) var received: [String] = []
        private let done = DispatchSemaphore(value: 0)

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("qmp-\(UUID().uuidString.prefix(8)).sock").path
            listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in Array(path.utf8).enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0 && listen(listener, 1) == 0)
        }

        func serveOnce(answer: String) {
            Thread.detachNewThread { [self] in
                let client = accept(listener, nil, nil)
                func say(_ text: String) { _ = Array((text + "\n").utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) } }
                say(#"{"QMP": {"version": {}, "capabilities": []}}"#)
                var pending = ""
                var buffer = [UInt8](repeating: 0, count: 1024)
                while received.count < 2 {
                    let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    pending += String(decoding: buffer[0..<count], as: UTF8.self)
                    while let newline = pending.firstIndex(of: "\n") {
                        let line = String(pending[..<newline])
                        pending.removeSubrange(...newline)
                        received.append(line)
                        if received.count == 2 { say(#"{"timestamp": {}, "event": "POWERDOWN"}"#) }
                        say(received.count == 2 ? answer : #"{"return": {}}"#)
                    }
                }
                close(client)
                done.signal()
            }
        }

        func wait() { done.wait() }
        deinit {
            close(listener)
            unlink(path)
        }
    }

    @Test func qmpClientNegotiatesAndRunsTheCommand() throws {
        let server = try FakeQMP()
        server.serveOnce(answer: #"{"return": {}}"#)
        let answer = try QMPClient(socketPath: server.path).execute("system_powerdown")
        server.wait()
        #expect(answer == #"{"return": {}}"#)
        #expect(server.received == [#"{"execute":"qmp_capabilities"}"#, #"{"execute":"system_powerdown"}"#])
    }

    @Test func qmpClientReportsARefusal() throws {
        let server = try FakeQMP()
        server.serveOnce(answer: #"{"error": {"class": "GenericError", "desc": "no"}}"#)
        #expect(throws: QMPClient.Failure.self) { try QMPClient(socketPath: server.path).execute("system_powerdown") }
        server.wait()
    }

    @Test func qmpClientNamesAMissingSocket() {
        #expect(throws: QMPClient.Failure.self) { try QMPClient(socketPath: "/nonexistent/qmp.sock").execute("system_powerdown") }
    }
}
