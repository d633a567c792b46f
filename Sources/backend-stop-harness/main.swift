// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// backend-stop-harness: serves a backend without frontends through
// BackendProcess, exactly as the four backends serve theirs, so XenCoreTests
// can stop a real process with SIGTERM/SIGINT and read how its poll loop ended.
// Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure.
import CLinux
import XenCore
import XenLinux

/// A backend with one descriptor that never becomes readable (the read end
/// of a pipe whose write end stays open): only the stop signal can wake the loop.
final class IdleBackend: ServedBackend {
    var fds: [Int32] = [-1, -1]

    func start() throws(XenError) {
        guard clinux_pipe_cloexec(&fds) == 0 else { throw .pollFailed(errno: clinux_errno()) }
    }

    func shutdown() {
        for fd in fds where fd >= 0 { _ = close(fd) }
    }

    func appendPollDescriptors(to descriptors: inout [Int32]) {
        if fds[0] >= 0 { descriptors.append(fds[0]) }
    }

    func handleReady(_ fd: Int32) {}
}

BackendProcess.prepare()
exit(BackendProcess.serve(IdleBackend(), name: "backend-stop-harness", banner: ["serving until SIGTERM or SIGINT"]))
