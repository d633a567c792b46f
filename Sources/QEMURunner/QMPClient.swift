// SPDX-License-Identifier: Apache-2.0
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal client of QEMU's machine protocol (QMP) over the unix socket a
/// machine opens with `-qmp unix:PATH,server=on,wait=off`: one connection per
/// command — read the greeting, `qmp_capabilities`, the command, its answer.
/// Used to press the machine's buttons (`system_powerdown` presses the `virt`
/// machine's power button, the gpio-keys line of its PL061).
package struct QMPClient: Sendable {
    /// Why a QMP exchange failed.
    package struct Failure: Error, CustomStringConvertible, Equatable {
        package var description: String
    }

    /// The socket path.
    package var socketPath: String
    /// Seconds to wait for each answer.
    package var timeout: Double

    package init(socketPath: String, timeout: Double = 5) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Runs `command` (a QMP `execute` name without arguments); returns QEMU's answer line.
    package func execute(_ command: String) throws(Failure) -> String {
        let fd = try connect()
        defer { close(fd) }
        var pending: [UInt8] = []
        let greeting = try readMessage(fd, &pending)
        guard greeting.contains("\"QMP\"") else { throw Failure(description: "\(socketPath) did not greet with QMP: \(greeting)") }
        try send(fd, "{\"execute\":\"qmp_capabilities\"}")
        let ready = try readAnswer(fd, &pending)
        guard ready.contains("\"return\"") else { throw Failure(description: "qmp_capabilities was refused: \(ready)") }
        try send(fd, "{\"execute\":\"\(command)\"}")
        let answer = try readAnswer(fd, &pending)
        guard answer.contains("\"return\"") else { throw Failure(description: "\(command) was refused: \(answer)") }
        return answer
    }

    private func connect() throws(Failure) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else {
            close(fd)
            throw Failure(description: "QMP socket path \(socketPath) is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot connect to QEMU's QMP socket \(socketPath): \(reason)")
        }
        return fd
    }

    private func send(_ fd: Int32, _ text: String) throws(Failure) {
        let bytes = Array((text + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Failure(description: "writing to \(socketPath): \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// The next answer, skipping asynchronous `event` messages (POWERDOWN and friends).
    private func readAnswer(_ fd: Int32, _ pending: inout [UInt8]) throws(Failure) -> String {
        while true {
            let message = try readMessage(fd, &pending)
            if !message.contains("\"event\"") { return message }
        }
    }

    /// One line of JSON.
    private func readMessage(_ fd: Int32, _ pending: inout [UInt8]) throws(Failure) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "QEMU did not answer on \(socketPath) within \(timeout) s") }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(left * 1000) + 1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Failure(description: "QEMU closed its QMP socket \(socketPath)") }
            pending += buffer[0..<count]
        }
    }
}
