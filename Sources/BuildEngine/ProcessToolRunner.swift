// SPDX-License-Identifier: Apache-2.0
import CGlibcGNU
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs commands for real with `posix_spawnp(3)`. Each child gets its own
/// process group, so interrupting the build (cancelling `cancellation`) sends
/// SIGTERM, then SIGKILL after `killGrace`, to the whole group, including
/// anything the tool started. stdout and stderr are captured separately;
/// stdin is `/dev/null`. A bare executable name is looked up in this
/// process's PATH (a PATH in `ToolCommand.environment` applies to the tool only).
package final class ProcessToolRunner: ToolRunner, @unchecked Sendable {
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
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard cglibc_pipe_cloexec(&outPipe) == 0, cglibc_pipe_cloexec(&errPipe) == 0 else {
            throw BuildEngineError.toolLaunchFailed(command: command.description, errno: errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let dir = command.workingDirectory { cglibc_spawn_addchdir(&actions, dir) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = command.inheritsEnvironment ? ProcessInfo.processInfo.environment : [:]
        for (name, value) in command.environment { environment[name] = value }
        let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

        var pid: pid_t = 0
        let spawnStatus = posix_spawnp(&pid, command.executable, &actions, &attributes, argv, envp)
        close(outPipe[1]); close(errPipe[1])
        guard spawnStatus == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw BuildEngineError.toolLaunchFailed(command: command.description, errno: spawnStatus)
        }
        let child = pid
        let grace = killGrace
        let handler = cancellation.addHandler {
            kill(-child, SIGTERM)
            DispatchQueue.global().asyncAfter(deadline: .now() + grace) { kill(-child, SIGKILL) }
        }
        defer { cancellation.removeHandler(handler) }

        let (stdout, stderr) = Self.drain(outPipe[0], errPipe[0], onOutput: onOutput)
        close(outPipe[0]); close(errPipe[0])
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            if errno != EINTR { throw BuildEngineError.toolLaunchFailed(command: command.description, errno: errno) }
        }
        let signalled = (status & 0x7f) != 0
        let code = signalled ? status & 0x7f : (status >> 8) & 0xff
        return ToolResult(status: code, signalled: signalled, standardOutput: stdout, standardError: stderr)
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
