// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// Something with file descriptors the backend's single poll loop watches:
/// xenstore watch fds, event-channel fds, host devices.
public protocol PollSource: AnyObject {
    /// Appends the fds to wait on (read readiness); may change between rounds.
    func appendPollDescriptors(to descriptors: inout [Int32])
    /// Called when `fd` is readable (or has an error/hangup).
    func handleReady(_ fd: Int32)
    /// True if the source has work queued that no fd will signal (a channel
    /// whose budget ran out); the loop then does not wait in poll.
    var hasDeferredWork: Bool { get }
    /// Does one turn of the queued work (after the round's ready fds).
    func runDeferredWork()
}

extension PollSource {
    public var hasDeferredWork: Bool { false }
    public func runDeferredWork() {}
}

/// A protocol backend a backend process serves: started once, driven by the poll
/// loop, shut down on the way out (its frontends' mappings and channels released).
public protocol ServedBackend: PollSource {
    /// Publishes the backend's nodes and starts watching for frontends.
    func start() throws(XenError)
    /// Closes every frontend and releases what it mapped and bound.
    func shutdown()
}

/// The one poll(2) loop of a backend process: no thread per channel.
public final class PollLoop {
    private var sources: [PollSource] = []
    private var descriptors: [Int32] = []
    private var owners: [Int] = []
    private var pollfds: [pollfd] = []

    public init() {}

    /// Adds a source; it is polled from the next round on.
    public func add(_ source: PollSource) { sources.append(source) }

    /// Removes a source.
    public func remove(_ source: PollSource) { sources.removeAll { $0 === source } }

    /// Waits up to `timeoutMilliseconds` (-1: forever, 0: just check; no wait
    /// while a source has deferred work), dispatches every ready fd once, then
    /// gives every source with deferred work one turn. Returns the number of
    /// fds and turns dispatched.
    @discardableResult
    public func runOnce(timeoutMilliseconds: Int32) throws(XenError) -> Int {
        descriptors.removeAll(keepingCapacity: true)
        owners.removeAll(keepingCapacity: true)
        for (index, source) in sources.enumerated() {
            let before = descriptors.count
            source.appendPollDescriptors(to: &descriptors)
            for _ in before..<descriptors.count { owners.append(index) }
        }
        pollfds.removeAll(keepingCapacity: true)
        for fd in descriptors { pollfds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let snapshot = sources
        let deferred = snapshot.contains { $0.hasDeferredWork }
        let timeout = deferred ? 0 : timeoutMilliseconds
        var ready: Int32 = 0
        while true {
            ready = pollfds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
            if ready >= 0 { break }
            let code = clinux_errno()
            if code != EINTR { throw .pollFailed(errno: code) }
        }
        var dispatched = 0
        if ready > 0 {
            for (index, entry) in pollfds.enumerated() where entry.revents != 0 {
                snapshot[owners[index]].handleReady(entry.fd)
                dispatched += 1
            }
        }
        // Queued turns after every ready fd: a flooded channel waits behind all of them.
        for source in snapshot where source.hasDeferredWork {
            source.runDeferredWork()
            dispatched += 1
        }
        return dispatched
    }

    /// Runs rounds without waiting until no fd is ready (the simulation is idle).
    /// Throws `.simulationDidNotSettle` after `maxRounds` busy rounds: a livelock.
    public func runUntilIdle(maxRounds: Int = 10_000) throws(XenError) {
        for _ in 0..<maxRounds {
            if try runOnce(timeoutMilliseconds: 0) == 0 { return }
        }
        throw .simulationDidNotSettle(rounds: maxRounds)
    }

    /// Serves until `shouldStop` returns true after a round. Each round waits
    /// without a timeout (-1) unless told otherwise: a source that must stop the
    /// loop brings a descriptor to wake it (a backend's `StopSignals`), so no
    /// timer decides how soon a stop is noticed. Returns the number of rounds.
    @discardableResult
    public func run(timeoutMilliseconds: Int32 = -1, shouldStop: () -> Bool) throws(XenError) -> Int {
        var rounds = 0
        while !shouldStop() {
            try runOnce(timeoutMilliseconds: timeoutMilliseconds)
            rounds += 1
        }
        return rounds
    }
}
