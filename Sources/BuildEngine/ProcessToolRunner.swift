// SPDX-License-Identifier: Apache-2.0
import CProcessControl
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs commands for real, each as a ``ChildProcess``. Each child gets its own
/// process group, so interrupting the build (cancelling `cancellation`) sends
/// SIGTERM, then SIGKILL after `killGrace`, to the whole group, including
/// anything the tool started. stdout and stderr are captured separately;
/// stdin is `/dev/null`. A bare executable name is looked up in this
/// process's PATH (a PATH in `ToolCommand.environment` applies to the tool only).
package final class ProcessToolRunner: ToolRunner {
    private let cancellation: CancellationToken
    /// Seconds between SIGTERM and SIGKILL on interruption.
    package let killGrace: Double

    /// A runner that stops its children when `cancellation` is cancelled
    /// (pass the build's token, see `BuildOptions.cancellation`).
    package init(cancellation: CancellationToken, killGrace: Double = 2) {
        self.cancellation = cancellation
        self.killGrace = killGrace
    }

    package func run(_ command: ToolCommand, allowFailure: Bool, onOutput: ToolOutputHandler?) throws -> ToolResult {
        if cancellation.isCancelled { throw BuildEngineError.interrupted }
        let result = try spawnAndWait(command, onOutput: onOutput)
        if cancellation.isCancelled { throw BuildEngineError.interrupted }
        return try result.checked(command, allowFailure: allowFailure)
    }

    private func spawnAndWait(_ command: ToolCommand, onOutput: ToolOutputHandler?) throws -> ToolResult {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        for error in [cpc_pipe(&outPipe, 0), cpc_pipe(&errPipe, 0)] where error != 0 {
            [outPipe, errPipe].joined().filter { $0 >= 0 }.forEach { close($0) }
            throw BuildEngineError.toolLaunchFailed(command: command.description, errno: error)
        }
        let nullInput = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let child: ChildProcess
        do {
            defer {
                close(outPipe[1]); close(errPipe[1])
                if nullInput >= 0 { close(nullInput) }
            }
            guard nullInput >= 0 else { throw BuildEngineError.toolLaunchFailed(command: command.description, errno: errno) }
            child = try ChildProcess.spawn(command, input: nullInput, output: outPipe[1], error: errPipe[1])
        } catch {
            close(outPipe[0]); close(errPipe[0])
            throw error
        }
        let group = child.pid
        let grace = killGrace
        let handler = cancellation.addHandler {
            kill(-group, SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + grace) { kill(-group, SIGKILL) }
        }
        defer { cancellation.removeHandler(handler) }

        let (stdout, stderr) = Self.drain(outPipe[0], errPipe[0], onOutput: onOutput)
        close(outPipe[0]); close(errPipe[0])
        child.waitForExit()
        if let signal = child.terminatingSignal {
            return ToolResult(status: signal, signalled: true, standardOutput: stdout, standardError: stderr)
        }
        guard let status = child.exitStatus else {
            throw BuildEngineError.toolLaunchFailed(command: command.description, errno: ECHILD)
        }
        return ToolResult(status: status, signalled: false, standardOutput: stdout, standardError: stderr)
    }

    /// Reads both pipes until end-of-file with `poll(2)`.
    private static func drain(_ out: Int32, _ err: Int32, onOutput: ToolOutputHandler?) -> (Data, Data) {
        var buffers = [Data(), Data()]
        var fds = [pollfd(fd: out, events: Int16(POLLIN), revents: 0), pollfd(fd: err, events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 { if errno == EINTR { continue }; break }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &chunk, chunk.count)
                if n > 0 {
                    buffers[i].append(contentsOf: chunk[0..<n])
                    onOutput?(i == 0 ? .standardOutput : .standardError, Data(chunk[0..<n]))
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    fds[i].fd = -1
                }
            }
        }
        return (buffers[0], buffers[1])
    }
}
