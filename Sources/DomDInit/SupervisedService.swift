// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Where a backend is in its life cycle.
///
///     notStarted ──▶ waitingForDevice ──▶ running ──exit──▶ backoff ──▶ running …
///          │               │ timeout        │ exit, limit reached / policy
///          ▼               ▼                ▼
///       running          failed      failed / stopped
package enum ServiceState: Equatable, Sendable {
    /// Not reached yet in start order.
    case notStarted
    /// Waiting for its device node until this monotonic deadline.
    case waitingForDevice(deadline: UInt64)
    /// Running as `pid`, with its readiness pipe (until read) and whether it registered.
    case running(pid: ProcessID, readiness: Channel?, ready: Bool)
    /// Ended; restarts at this monotonic time.
    case backoff(until: UInt64)
    /// Given up on.
    case failed
    /// Ended and not restarted (policy, or shutdown).
    case stopped
}

/// A backend and its supervision record.
struct SupervisedService {
    var spec: ServiceSpec
    var state: ServiceState = .notStarted
    var restarts = 0
    var startedAt: UInt64 = 0
    var readinessBuffer: [UInt8] = []
    var wasReady = false

    var pid: ProcessID? {
        if case .running(let pid, _, _) = state { return pid }
        return nil
    }

    var readinessChannel: Channel? {
        if case .running(_, let channel?, _) = state { return channel }
        return nil
    }

    var isReady: Bool {
        if case .running(_, _, true) = state { return true }
        return false
    }
}

extension InitSystem {
    /// Starts backends in table order as their devices appear and restarts
    /// those whose backoff has elapsed.
    func advanceServices() {
        let now = control.now()
        for index in services.indices {
            if case .backoff(let until) = services[index].state, until <= now { start(index) }
        }
        while nextToStart < services.count {
            let spec = services[nextToStart].spec
            if let device = spec.device, !control.pathExists(device.path) {
                switch services[nextToStart].state {
                case .notStarted:
                    control.log("backend " + spec.name + " waits for " + device.path)
                    services[nextToStart].state = .waitingForDevice(deadline: now &+ device.timeoutMilliseconds &* 1_000_000)
                    return
                case .waitingForDevice(let deadline) where now < deadline:
                    return
                default:
                    control.log("error: backend " + spec.name + " not started: " + device.path + " did not appear within "
                                + formatDuration(device.timeoutMilliseconds &* 1_000_000)
                                + "; check the board's device binding and the modules in the service table")
                    services[nextToStart].state = .failed
                    publish(.failed, spec.name)
                    nextToStart += 1
                    continue
                }
            }
            start(nextToStart)
            nextToStart += 1
        }
    }

    /// The next time a service needs attention without any event.
    func nextServiceDeadline() -> UInt64? {
        var next: UInt64?
        let now = control.now()
        for service in services {
            var due: UInt64?
            switch service.state {
            case .waitingForDevice(let deadline):
                let poll = now &+ Self.devicePollNanoseconds
                due = deadline < poll ? deadline : poll
            case .backoff(let until): due = until
            default: due = nil
            }
            if let due, next.map({ due < $0 }) ?? true { next = due }
        }
        return next
    }

    func start(_ index: Int) {
        let spec = services[index].spec
        var environment = Self.baseEnvironment
        environment.append("DRIVERDOM_SERVICE=" + spec.name)
        if spec.readiness == .pipe { environment.append("DRIVERDOM_READY_FD=3") }
        environment.append(contentsOf: spec.environment)
        let request = SpawnRequest(program: spec.program, arguments: spec.arguments, environment: environment,
                                   readinessPipe: spec.readiness == .pipe)
        do throws(InitError) {
            let child = try control.spawn(request)
            services[index].startedAt = control.now()
            services[index].readinessBuffer = []
            services[index].state = .running(pid: child.pid, readiness: child.readiness, ready: false)
            control.log("started backend " + spec.name + " (pid \(child.pid)): " + spec.program)
            if spec.readiness == .onStart { markReady(index) }
        } catch {
            control.log("error: " + error.description)
            scheduleRestartOrGiveUp(index, reason: error.description)
        }
    }

    func handleReadiness(_ index: Int) {
        guard let channel = services[index].readinessChannel else { return }
        switch control.read(channel) {
        case .empty: return
        case .data(let bytes):
            services[index].readinessBuffer.append(contentsOf: bytes)
            if containsReadyLine(services[index].readinessBuffer) {
                control.close(channel)
                markReady(index)
            }
        case .endOfFile:
            control.close(channel)
            if case .running(let pid, _, let ready) = services[index].state {
                services[index].state = .running(pid: pid, readiness: nil, ready: ready)
            }
            if !services[index].isReady {
                control.log("warning: backend " + services[index].spec.name
                            + " closed its readiness pipe without writing 'ready'")
            }
        }
    }

    func markReady(_ index: Int) {
        guard case .running(let pid, _, _) = services[index].state else { return }
        services[index].state = .running(pid: pid, readiness: nil, ready: true)
        services[index].wasReady = true
        let elapsed = control.now() &- services[index].startedAt
        control.log("backend " + services[index].spec.name + " ready (" + formatDuration(elapsed) + " after start)")
        publish(.ready, services[index].spec.name)
    }

    func handleServiceExit(_ index: Int, _ status: ChildStatus) {
        let spec = services[index].spec
        if let channel = services[index].readinessChannel { control.close(channel) }
        guard case .running(let pid, _, _) = services[index].state else { return }
        control.log("backend " + spec.name + " (pid \(pid)) " + status.description)
        if shuttingDown {
            services[index].state = .stopped
            return
        }
        let restart: Bool
        switch spec.restart {
        case .always: restart = true
        case .onFailure: restart = !status.isSuccess
        case .never: restart = false
        }
        guard restart else {
            control.log("backend " + spec.name + " not restarted (restart " + spec.restart.rawValue + ")")
            services[index].state = .stopped
            if !status.isSuccess { publish(.failed, spec.name) }
            return
        }
        scheduleRestartOrGiveUp(index, reason: status.description)
    }

    func scheduleRestartOrGiveUp(_ index: Int, reason: String) {
        let spec = services[index].spec
        guard services[index].restarts < spec.maxRestarts else {
            control.log("error: giving up on backend " + spec.name + " after \(services[index].restarts) restart(s); last: " + reason)
            services[index].state = .failed
            publish(.failed, spec.name)
            return
        }
        services[index].restarts += 1
        let delay = spec.restartDelayMilliseconds(forRestart: services[index].restarts) &* 1_000_000
        control.log("restarting backend " + spec.name + " in " + formatDuration(delay)
                    + " (restart \(services[index].restarts) of \(spec.maxRestarts))")
        services[index].state = .backoff(until: control.now() &+ delay)
        if services[index].wasReady { publish(.restarting, spec.name) }
    }

    func publish(_ status: BackendStatus, _ name: String) {
        do throws(InitError) {
            try reporter.publish(status, backend: name)
        } catch {
            control.log("warning: cannot publish " + name + " status " + status.rawValue + ": " + error.description)
        }
    }
}

/// Whether the bytes hold a line `ready` (the readiness contract).
func containsReadyLine(_ bytes: [UInt8]) -> Bool {
    let ready: [UInt8] = [0x72, 0x65, 0x61, 0x64, 0x79]
    var lineStart = 0
    for (position, byte) in bytes.enumerated() where byte == 0x0A {
        var end = position
        if end > lineStart && bytes[end - 1] == 0x0D { end -= 1 }
        if Array(bytes[lineStart..<end]) == ready { return true }
        lineStart = position + 1
    }
    return false
}
