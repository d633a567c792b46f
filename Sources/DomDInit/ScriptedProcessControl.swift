// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A scripted system for tests: a virtual monotonic clock that jumps to the
/// next scripted event when the init waits, children whose readiness, output
/// and exit are scripted per program, device nodes that appear at given times,
/// power requests and orphan exits at given times, and a record of every call.
/// Nothing sleeps.
package final class ScriptedProcessControl: ProcessControl {
    /// How one run of a program behaves.
    package struct ChildScript: Equatable, Sendable {
        /// Milliseconds after start at which it writes `ready\n` to its readiness pipe (nil: never).
        package var readyAfterMilliseconds: UInt64?
        /// Milliseconds after start at which it ends by itself (nil: runs until signaled).
        package var endAfterMilliseconds: UInt64?
        /// How it ends by itself.
        package var endStatus: ChildStatus
        /// What it writes to stdout (when captured) right after it starts.
        package var output: String
        /// Whether SIGTERM is ignored (only SIGKILL ends it).
        package var ignoresTerminate: Bool
        /// Milliseconds it takes to exit after SIGTERM.
        package var terminateDelayMilliseconds: UInt64

        /// Creates a script.
        package init(readyAfterMilliseconds: UInt64? = nil, endAfterMilliseconds: UInt64? = nil,
                    endStatus: ChildStatus = .exited(0), output: String = "", ignoresTerminate: Bool = false,
                    terminateDelayMilliseconds: UInt64 = 0) {
            self.readyAfterMilliseconds = readyAfterMilliseconds
            self.endAfterMilliseconds = endAfterMilliseconds
            self.endStatus = endStatus
            self.output = output
            self.ignoresTerminate = ignoresTerminate
            self.terminateDelayMilliseconds = terminateDelayMilliseconds
        }

        /// Exits at once with `status`, printing `output`.
        package static func exits(_ status: ChildStatus = .exited(0), output: String = "", afterMilliseconds: UInt64 = 0) -> ChildScript {
            ChildScript(endAfterMilliseconds: afterMilliseconds, endStatus: status, output: output)
        }

        /// A daemon that reports ready after `readyAfter` ms and runs until signaled.
        package static func daemon(readyAfterMilliseconds: UInt64? = 10, ignoresTerminate: Bool = false) -> ChildScript {
            ChildScript(readyAfterMilliseconds: readyAfterMilliseconds, ignoresTerminate: ignoresTerminate)
        }

        /// Crashes with `signal` after `afterMilliseconds`, optionally ready before.
        package static func crashes(signal: Int32 = 11, afterMilliseconds: UInt64, readyAfterMilliseconds: UInt64? = nil) -> ChildScript {
            ChildScript(readyAfterMilliseconds: readyAfterMilliseconds, endAfterMilliseconds: afterMilliseconds,
                        endStatus: .signaled(signal))
        }
    }

    /// A recorded call into the system.
    package enum Call: Equatable, Sendable {
        case mount(target: String, type: String)
        case makeDirectory(String)
        case spawn(program: String, arguments: [String])
        case signal(ProcessID, ChildSignal)
        case writeFile(path: String, contents: String)
        case loadModule(path: String, parameters: String)
        case power(PowerAction)
    }

    struct Child {
        var program: String
        var readiness: Channel?
        var output: Channel?
        var readyAt: UInt64?
        var endAt: UInt64?
        var endStatus: ChildStatus
        var ignoresTerminate: Bool
        var terminateDelay: UInt64
    }

    struct Pipe {
        var buffer: [UInt8] = []
        var writerClosed = false
    }

    /// Current virtual time in nanoseconds.
    package private(set) var clock: UInt64
    /// Every call, in order.
    package private(set) var calls: [Call] = []
    /// Console output, one entry per write.
    package private(set) var console: [String] = []
    /// Spawn records with their pids and virtual start times.
    package private(set) var spawned: [(pid: ProcessID, program: String, arguments: [String], environment: [String], at: UInt64)] = []
    /// How many times the init waited with nothing scripted left to happen
    /// (answered with a power-off request so a test cannot hang).
    package private(set) var stalls = 0
    /// Scripts used when a program has none left: exit 0 at once.
    package var defaultScript = ChildScript.exits()
    /// Programs whose spawn fails with this errno.
    package var failingSpawns: [String: Int32] = [:]
    /// Mount targets whose mount fails with this errno.
    package var failingMounts: [String: Int32] = [:]
    /// Every mount request, in order (sources and flags included).
    package var mountRequests: [MountRequest] = []
    /// Files `readFile` returns, by path.
    package var files: [String: String] = [:]
    /// What `kernelRelease` returns.
    package var release: String? = "6.1.0-test-arm64"
    /// Module files whose loading fails with this errno.
    package var failingModules: [String: Int32] = [:]

    var scripts: [String: [ChildScript]] = [:]
    var children: [ProcessID: Child] = [:]
    var zombies: [ChildExit] = []
    var pipes: [Channel: Pipe] = [:]
    var paths: Set<String>
    var pathEvents: [(at: UInt64, path: String)] = []
    var requestEvents: [(at: UInt64, request: PowerRequest)] = []
    var orphanEvents: [(at: UInt64, exit: ChildExit)] = []
    var pendingRequests: [PowerRequest] = []
    var nextPid: Int32 = 100
    var nextChannel: Int32 = 1_000

    /// Creates a scripted system at virtual time `startNanoseconds` with `existingPaths`.
    package init(startNanoseconds: UInt64 = 1_000_000_000, existingPaths: Set<String> = []) {
        clock = startNanoseconds
        paths = existingPaths
    }

    /// Scripts the next runs of `program`, one script per run; the last repeats.
    package func script(_ program: String, _ runs: [ChildScript]) { scripts[program] = runs }
    /// Makes `path` appear `afterMilliseconds` after now. Like a real device
    /// node it does not wake a waiting init: the init sees it at its next poll.
    package func pathAppears(_ path: String, afterMilliseconds: UInt64) {
        pathEvents.append((clock &+ afterMilliseconds &* 1_000_000, path))
    }
    /// Delivers a power request `afterMilliseconds` after now.
    package func request(_ request: PowerRequest, afterMilliseconds: UInt64) {
        requestEvents.append((clock &+ afterMilliseconds &* 1_000_000, request))
    }
    /// Makes a process the init never started (re-parented to PID 1) end `afterMilliseconds` after now.
    package func orphanExits(pid: ProcessID, status: ChildStatus, afterMilliseconds: UInt64) {
        orphanEvents.append((clock &+ afterMilliseconds &* 1_000_000, ChildExit(pid: pid, status: status)))
    }
    /// Children that ended but were not reaped yet.
    package var unreaped: [ChildExit] { zombies }
    /// Children still running.
    package var running: [ProcessID] { children.keys.sorted() }
    /// Console messages without their timestamp prefix.
    package var messages: [String] {
        console.map { line in
            var text = Substring(line)
            if let marker = text.firstIndex(of: "]") { text = text[text.index(after: marker)...] }
            if text.hasPrefix(" init: ") { text = text.dropFirst(7) }
            if text.hasSuffix("\n") { text = text.dropLast() }
            return String(text)
        }
    }

    package func mount(_ request: MountRequest) throws(InitError) {
        calls.append(.mount(target: request.target, type: request.type))
        mountRequests.append(request)
        if let errno = failingMounts[request.target] { throw .mount(target: request.target, type: request.type, errno: errno) }
    }

    package func makeDirectory(_ path: String) throws(InitError) {
        calls.append(.makeDirectory(path))
        paths.insert(path)
    }

    package func spawn(_ request: SpawnRequest) throws(InitError) -> SpawnedChild {
        calls.append(.spawn(program: request.program, arguments: request.arguments))
        if let errno = failingSpawns[request.program] { throw .spawn(program: request.program, errno: errno) }
        var runs = scripts[request.program] ?? []
        let run = runs.isEmpty ? defaultScript : runs.removeFirst()
        if runs.isEmpty, scripts[request.program] != nil { runs = [run] }
        if scripts[request.program] != nil { scripts[request.program] = runs }
        let pid = ProcessID(nextPid)
        nextPid += 1
        spawned.append((pid, request.program, request.arguments, request.environment, clock))
        var child = Child(program: request.program, endStatus: run.endStatus, ignoresTerminate: run.ignoresTerminate,
                          terminateDelay: run.terminateDelayMilliseconds &* 1_000_000)
        if request.readinessPipe {
            child.readiness = newChannel()
            child.readyAt = run.readyAfterMilliseconds.map { clock &+ $0 &* 1_000_000 }
        }
        if request.captureOutput {
            let channel = newChannel()
            pipes[channel]?.buffer = Array(run.output.utf8)
            child.output = channel
        }
        child.endAt = run.endAfterMilliseconds.map { clock &+ $0 &* 1_000_000 }
        children[pid] = child
        return SpawnedChild(pid: pid, readiness: child.readiness, output: child.output)
    }

    package func reapAny() -> ChildExit? {
        zombies.isEmpty ? nil : zombies.removeFirst()
    }

    package func signal(_ pid: ProcessID, _ signal: ChildSignal) {
        calls.append(.signal(pid, signal))
        guard var child = children[pid] else { return }
        switch signal {
        case .kill:
            child.endAt = clock
            child.endStatus = .signaled(9)
        case .terminate:
            guard !child.ignoresTerminate else { return }
            let at = clock &+ child.terminateDelay
            if child.endAt.map({ $0 > at }) ?? true {
                child.endAt = at
                child.endStatus = .signaled(15)
            }
        }
        children[pid] = child
        fireDueEvents()
    }

    package func now() -> UInt64 { clock }

    package func wait(until deadline: UInt64, watching channels: [Channel]) -> Wakeup {
        fireDueEvents()
        if !hasNews(channels) {
            let next = nextEventTime()
            let target = next.map { $0 < deadline ? $0 : deadline } ?? deadline
            if target == UInt64.max {
                stalls += 1
                pendingRequests.append(.powerOff)
            } else if target > clock {
                clock = target
            }
            fireDueEvents()
        }
        let requests = pendingRequests
        pendingRequests = []
        let readable = channels.filter { channel in
            guard let pipe = pipes[channel] else { return false }
            return !pipe.buffer.isEmpty || pipe.writerClosed
        }
        return Wakeup(requests: requests, readable: readable)
    }

    package func read(_ channel: Channel) -> ChannelRead {
        guard var pipe = pipes[channel] else { return .endOfFile }
        if !pipe.buffer.isEmpty {
            let bytes = pipe.buffer
            pipe.buffer = []
            pipes[channel] = pipe
            return .data(bytes)
        }
        return pipe.writerClosed ? .endOfFile : .empty
    }

    package func close(_ channel: Channel) { pipes[channel] = nil }

    package func pathExists(_ path: String) -> Bool { paths.contains(path) }

    package func writeFile(_ path: String, contents: String) throws(InitError) {
        calls.append(.writeFile(path: path, contents: contents))
    }

    package func readFile(_ path: String) -> String? { files[path] }

    package func kernelRelease() -> String? { release }

    package func loadModule(path: String, parameters: String) throws(InitError) {
        calls.append(.loadModule(path: path, parameters: parameters))
        if let error = failingModules[path] { throw .loadModule(path: path, errno: error) }
    }

    package func writeConsole(_ text: String) { console.append(text) }

    package func power(_ action: PowerAction) { calls.append(.power(action)) }

    func newChannel() -> Channel {
        let channel = Channel(nextChannel)
        nextChannel += 1
        pipes[channel] = Pipe()
        return channel
    }

    func hasNews(_ channels: [Channel]) -> Bool {
        if !zombies.isEmpty || !pendingRequests.isEmpty { return true }
        return channels.contains { channel in
            guard let pipe = pipes[channel] else { return false }
            return !pipe.buffer.isEmpty || pipe.writerClosed
        }
    }

    func nextEventTime() -> UInt64? {
        var times: [UInt64] = []
        for child in children.values {
            if let ready = child.readyAt { times.append(ready) }
            if let end = child.endAt { times.append(end) }
        }
        times.append(contentsOf: requestEvents.map { $0.at })
        times.append(contentsOf: orphanEvents.map { $0.at })
        return times.min()
    }

    func fireDueEvents() {
        for pid in children.keys.sorted() {
            guard var child = children[pid] else { continue }
            if let ready = child.readyAt, ready <= clock, child.endAt.map({ ready <= $0 }) ?? true {
                if let channel = child.readiness { pipes[channel]?.buffer.append(contentsOf: Array("ready\n".utf8)) }
                child.readyAt = nil
                children[pid] = child
            }
            if let end = child.endAt, end <= clock {
                if let channel = child.readiness { pipes[channel]?.writerClosed = true }
                if let channel = child.output { pipes[channel]?.writerClosed = true }
                zombies.append(ChildExit(pid: pid, status: child.endStatus))
                children[pid] = nil
            }
        }
        for event in pathEvents where event.at <= clock { paths.insert(event.path) }
        pathEvents.removeAll { $0.at <= clock }
        for event in requestEvents where event.at <= clock { pendingRequests.append(event.request) }
        requestEvents.removeAll { $0.at <= clock }
        for event in orphanEvents where event.at <= clock { zombies.append(event.exit) }
        orphanEvents.removeAll { $0.at <= clock }
    }
}
