// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// The usbif isochronous end-to-end device, run in the test DomD:
//
//   e2e-usbip-audio ATTACH PORT
//
// makes a connected pair of stream sockets, hands one end to vhci-hcd by
// writing "PORT FD DEVID 2" (full speed) to its ATTACH file
// (/sys/devices/platform/vhci_hcd.0/attach; PORT 0-7 is its USB 2 root hub),
// and serves the USB/IP commands that arrive on the other end as
// UsbIpAudio.CounterMicrophone: a UAC1 microphone whose isochronous IN
// endpoint sends the counter signal at 48 kHz. It runs until vhci-hcd
// closes the connection (detach). Exit status: 0 detached, 1 attach, I/O or
// protocol failure, 2 usage.
import CLinux
import ProbeSupport
import UsbIpAudio

clinux_stdout_line_buffered()

func usage() -> Never {
    print("usage: e2e-usbip-audio ATTACH PORT (ATTACH: vhci-hcd's attach file; PORT: 0-7)")
    exit(2)
}

/// vhci-hcd's `devid` for the device: bus 1, device 2 (any value; it is echoed back in every command).
let devid: UInt32 = 0x0001_0002
/// `USB_SPEED_FULL`.
let fullSpeed = 2

func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress! + written, $0.count - written) }
        if result < 0 {
            if clinux_errno() == EINTR { continue }
            return false
        }
        written += result
    }
    return true
}

let arguments = processArguments()
guard arguments.count == 3, let port = Int(arguments[2]), port >= 0, port < 8 else { usage() }
let attachPath = arguments[1]

// Top-level state of a single-threaded probe: nothing else runs that could race on it.
nonisolated(unsafe) var fds: [Int32] = [-1, -1]
guard fds.withUnsafeMutableBufferPointer({ clinux_stream_socketpair($0.baseAddress) }) == 0 else {
    print("e2e-usbip-audio: socketpair failed (errno \(clinux_errno()))")
    exit(1)
}
let attach = clinux_open(attachPath, O_WRONLY, 0)
guard attach >= 0 else {
    print("e2e-usbip-audio: cannot open \(attachPath) (errno \(clinux_errno())): is vhci-hcd loaded?")
    exit(1)
}
let line = "\(port) \(fds[1]) \(devid) \(fullSpeed)"
guard writeAll(attach, Array(line.utf8)) else {
    print("e2e-usbip-audio: writing '\(line)' to \(attachPath) failed (errno \(clinux_errno()))")
    exit(1)
}
close(attach)
close(fds[1])  // vhci-hcd holds its own reference to the socket
let socket = fds[0]
print("e2e-usbip-audio: counter microphone \(CounterMicrophone.vendorProduct) attached to vhci port \(port)"
      + " (full speed; \(CounterMicrophone.rate) Hz S16_LE stereo, \(CounterMicrophone.packetBytes) bytes a millisecond)")

nonisolated(unsafe) var server = UsbIpAudioServer()
nonisolated(unsafe) var buffer = [UInt8](repeating: 0, count: 65536)
nonisolated(unsafe) var streaming = false
while true {
    var timeout: Int32 = 1000
    let now = clinux_monotonic_ns()
    if let deadline = server.nextDeadline {
        timeout = deadline <= now ? 0 : Int32(min((deadline - now + 999_999) / 1_000_000, 1000))
    }
    var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
    let ready = poll(&poller, 1, timeout)
    if ready < 0 && clinux_errno() != EINTR {
        print("e2e-usbip-audio: poll failed (errno \(clinux_errno()))")
        exit(1)
    }
    var output: [UInt8] = []
    if ready > 0 {
        let count = buffer.withUnsafeMutableBufferPointer { read(socket, $0.baseAddress, $0.count) }
        if count == 0 {
            print("e2e-usbip-audio: vhci-hcd closed the connection after \(server.isoUrbs) isochronous URBs"
                  + " (\(server.device.framesSent) frames, \(server.unlinked) unlinked)")
            exit(0)
        }
        if count < 0 {
            if clinux_errno() == EINTR { continue }
            print("e2e-usbip-audio: read failed (errno \(clinux_errno()))")
            exit(1)
        }
        do {
            output = try server.receive(Array(buffer[0..<count]), now: clinux_monotonic_ns())
        } catch {
            print("e2e-usbip-audio: " + error.description + "; closing the connection")
            exit(1)
        }
    }
    output += server.due(now: clinux_monotonic_ns())
    if !output.isEmpty && !writeAll(socket, output) {
        print("e2e-usbip-audio: write failed (errno \(clinux_errno()))")
        exit(1)
    }
    if server.device.streaming != streaming {
        streaming = server.device.streaming
        print("e2e-usbip-audio: streaming \(streaming ? "started" : "stopped") after \(server.device.framesSent) frames")
    }
}
