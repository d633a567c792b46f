// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// The init (PID 1) of a driverdom domain, in either role of its service table.
///
/// It is one event loop: every wait goes through `pump(until:)`, which blocks
/// in `ProcessControl.wait`, then reaps every ended child (backends, commands,
/// orphans re-parented to PID 1), reads readiness and output pipes, notes power
/// requests and starts whatever backend is due. Sequential steps (bring-up
/// commands, the control role's plan, shutdown) are loops over `pump`, so the
/// backends stay supervised while they run.
///
/// Life cycle (`run()`): mounts → directories → modules → xenfs → kernel settings → commands →
/// backends in table order (each after its device node appears, bounded) →
/// control plan (control role) → supervise until a power request → stop
/// backends in reverse order (SIGTERM, bounded wait, SIGKILL) → power off.
package final class InitSystem<Control: ProcessControl, Reporter: ReadinessReporter> {
    /// Time between checks for a device node that has not appeared yet.
    package static var devicePollNanoseconds: UInt64 { 50_000_000 }
    /// Time between readiness polls of the control role.
    package static var readinessPollNanoseconds: UInt64 { 250_000_000 }
    /// How long a process gets to die after SIGKILL before the init moves on.
    package static var killGraceNanoseconds: UInt64 { 1_000_000_000 }
    /// Bound of a modprobe or bring-up command.
    package static var commandTimeoutNanoseconds: UInt64 { 30_000_000_000 }
    /// Bound of `xl create`.
    package static var createTimeoutNanoseconds: UInt64 { 120_000_000_000 }
    /// Environment every child starts with.
    package static var baseEnvironment: [String] { ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "TERM=linux"] }

    let control: Control
    var reporter: Reporter
    /// The table this init runs.
    package let table: ServiceTable
    var services: [SupervisedService]
    var nextToStart = 0
    var shuttingDown = false
    var supervising = false
    /// The first power request received, if any.
    package private(set) var powerRequest: PowerRequest?
    var commandPrograms: [ProcessID: String] = [:]
    var quietCommands: Set<ProcessID> = []
    var commandResults: [ProcessID: ChildStatus] = [:]
    var outputBuffers: [Channel: [UInt8]] = [:]
    var closedOutputs: Set<Channel> = []
    /// Every child reaped that was neither a backend nor a command of the init
    /// (orphans re-parented to PID 1, detached helpers), in reap order.
    package private(set) var orphansReaped: [ChildExit] = []

    /// Creates an init for `table` over `control`, publishing through `reporter`.
    package init(table: ServiceTable, control: Control, reporter: Reporter) {
        self.table = table
        self.control = control
        self.reporter = reporter
        self.services = table.services.map { SupervisedService(spec: $0) }
    }

    /// The current state of each backend, in table order.
    package var serviceStates: [(name: String, state: ServiceState, restarts: Int)] {
        services.map { ($0.spec.name, $0.state, $0.restarts) }
    }

    /// Runs the whole life cycle and stops the machine. Returns the action
    /// taken (only reached when `ProcessControl.power` returns: tests, or failure).
    @discardableResult
    package func run() -> PowerAction {
        control.log("driverdom-init starting, role " + table.role.rawValue + ", \(table.services.count) backend(s)")
        bringUp()
        supervising = true
        advanceServices()
        if table.role == .control && powerRequest == nil {
            do throws(InitError) {
                try runControlPlan()
            } catch .shutdownRequested {
                control.log("control plan stopped by the power request")
            } catch {
                // `driverdom test` ends the run on this line (ConsoleWatcher.controlFailedMarker).
                control.log("control plan failed: " + error.description)
            }
        }
        while powerRequest == nil {
            pump(until: UInt64.max)
        }
        return shutDown()
    }

    /// Waits once (until `deadline`, the next due service action, a child event,
    /// a power request or a readable pipe) and handles what happened.
    func pump(until deadline: UInt64) {
        var wakeAt = deadline
        if let due = nextServiceDeadline(), due < wakeAt { wakeAt = due }
        let wakeup = control.wait(until: wakeAt, watching: watchedChannels())
        for request in wakeup.requests where powerRequest == nil {
            powerRequest = request
            control.log(request == .restart ? "restart requested" : "power-off requested")
        }
        reapAll()
        for channel in wakeup.readable { handleReadable(channel) }
        if supervising && !shuttingDown { advanceServices() }
    }

    func watchedChannels() -> [Channel] {
        var channels: [Channel] = []
        for service in services {
            if case .running(_, let readiness?, _) = service.state { channels.append(readiness) }
        }
        for channel in outputBuffers.keys where !closedOutputs.contains(channel) { channels.append(channel) }
        return channels
    }

    func reapAll() {
        while let exit = control.reapAny() {
            if let index = services.firstIndex(where: { $0.pid == exit.pid }) {
                handleServiceExit(index, exit.status)
            } else if let program = commandPrograms[exit.pid] {
                commandResults[exit.pid] = exit.status
                commandPrograms[exit.pid] = nil
                if !exit.status.isSuccess && quietCommands.remove(exit.pid) == nil {
                    control.log(program + " (pid \(exit.pid)) " + exit.status.description)
                }
            } else {
                orphansReaped.append(exit)
                if !exit.status.isSuccess { control.log("reaped pid \(exit.pid): " + exit.status.description) }
            }
        }
    }

    func handleReadable(_ channel: Channel) {
        if let index = services.firstIndex(where: { $0.readinessChannel == channel }) {
            handleReadiness(index)
            return
        }
        guard outputBuffers[channel] != nil, !closedOutputs.contains(channel) else { return }
        switch control.read(channel) {
        case .data(let bytes): outputBuffers[channel, default: []].append(contentsOf: bytes)
        case .empty: break
        case .endOfFile:
            control.close(channel)
            closedOutputs.insert(channel)
        }
    }

    /// Result of a command run to completion.
    struct CommandResult {
        var status: ChildStatus
        var output: String
    }

    /// Runs a program to completion while supervising, bounded by `timeout`.
    /// On timeout the program's process group is killed. A `quiet` command's
    /// failure is the caller's business: its stderr is discarded and its exit
    /// status is not logged.
    func runCommand(_ program: String, _ arguments: [String], timeout: UInt64,
                    captureOutput: Bool = false, quiet: Bool = false) throws(InitError) -> CommandResult {
        let child = try control.spawn(SpawnRequest(program: program, arguments: arguments,
                                                   environment: Self.baseEnvironment, captureOutput: captureOutput,
                                                   discardErrors: quiet))
        commandPrograms[child.pid] = program
        if quiet { quietCommands.insert(child.pid) }
        if let output = child.output { outputBuffers[output] = [] }
        defer {
            if let output = child.output {
                if !closedOutputs.contains(output) { control.close(output) }
                outputBuffers[output] = nil
                closedOutputs.remove(output)
            }
            commandResults[child.pid] = nil
            quietCommands.remove(child.pid)
        }
        let deadline = control.now() &+ timeout
        while true {
            if let status = commandResults[child.pid], child.output.map({ closedOutputs.contains($0) }) ?? true {
                let bytes = child.output.flatMap { outputBuffers[$0] } ?? []
                return CommandResult(status: status, output: String(decoding: bytes, as: UTF8.self))
            }
            if powerRequest != nil || control.now() >= deadline {
                if commandResults[child.pid] == nil { control.signal(child.pid, .kill) }
                if powerRequest != nil { throw .shutdownRequested }
                throw .commandTimedOut(program: program, seconds: formatDuration(timeout))
            }
            pump(until: deadline)
        }
    }

    /// Runs a command and throws unless it exits with status 0.
    @discardableResult
    func runChecked(_ program: String, _ arguments: [String], timeout: UInt64,
                    captureOutput: Bool = false) throws(InitError) -> String {
        let result = try runCommand(program, arguments, timeout: timeout, captureOutput: captureOutput)
        guard result.status.isSuccess else { throw .commandFailed(program: program, status: result.status) }
        return result.output
    }

    /// Pumps until `deadline` without anything to wait for but time.
    func pause(until deadline: UInt64) throws(InitError) {
        while control.now() < deadline {
            if powerRequest != nil { throw .shutdownRequested }
            pump(until: deadline)
        }
    }
}
