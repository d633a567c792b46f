// SPDX-License-Identifier: GPL-2.0-only OR MIT
import CLinux

/// The real system over libc: mount(2), mkdir(2), fork+execve (`clinux_spawn`),
/// waitpid(WNOHANG), kill(2) on process groups, CLOCK_MONOTONIC, poll(2) on a
/// signalfd plus the watched pipes, and reboot(2).
///
/// Creating it blocks SIGCHLD, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGPWR and
/// SIGHUP and receives them through a signalfd; children start with an empty
/// signal mask.
package final class LinuxProcessControl: ProcessControl {
    /// Which children `reapAny` collects.
    package enum Reaping: Equatable, Sendable {
        /// Any child, orphans re-parented to this process included (PID 1).
        case anyChild
        /// Only children this instance spawned (a process that shares its
        /// children with other code, such as a test runner).
        case ownChildren
    }

    let signalDescriptor: Int32
    let reaping: Reaping
    var ownChildren: [Int32] = []
    var consolePending: Bool

    /// Makes sure stdin/stdout/stderr exist (opening /dev/console when the
    /// kernel could not), blocks the init's signals and opens the signalfd
    /// that reports them.
    package init(reaping: Reaping = .anyChild) {
        self.reaping = reaping
        consolePending = clinux_reserve_standard_fds() != 0
        signalDescriptor = clinux_init_signalfd()
    }

    package func mount(_ request: MountRequest) throws(InitError) {
        let result = request.source.withCString { source in
            request.target.withCString { target in
                request.type.withCString { type in
                    request.options.withCString { options in
                        // MS_RDONLY is 1 on every Linux architecture.
                        clinux_mount(source, target, type, request.readOnly ? 1 : 0, request.options.isEmpty ? nil : options)
                    }
                }
            }
        }
        // EBUSY: already mounted (the kernel mounts devtmpfs itself with DEVTMPFS_MOUNT).
        guard result == 0 || result == EBUSY else {
            throw .mount(target: request.target, type: request.type, errno: result)
        }
        if consolePending && request.type == "devtmpfs" && clinux_attach_console() == 0 {
            consolePending = false
        }
    }

    package func makeDirectory(_ path: String) throws(InitError) {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            let result = prefix.withCString { clinux_mkdir_existing_ok($0, 0o755) }
            guard result == 0 else { throw .makeDirectory(path: prefix, errno: result) }
        }
    }

    package func spawn(_ request: SpawnRequest) throws(InitError) -> SpawnedChild {
        var readiness: (read: Int32, write: Int32)?
        var output: (read: Int32, write: Int32)?
        if request.readinessPipe { readiness = try makePipe(request.program) }
        if request.captureOutput {
            do throws(InitError) {
                output = try makePipe(request.program)
            } catch {
                if let readiness { closeBoth(readiness) }
                throw error
            }
        }
        let argv = CStringArray([request.program] + request.arguments)
        let envp = CStringArray(request.environment)
        let pid = request.program.withCString { path in
            clinux_spawn(path, argv.pointers, envp.pointers, readiness?.write ?? -1, output?.write ?? -1,
                         request.discardErrors ? 1 : 0)
        }
        let spawnErrno = clinux_errno()
        if let readiness { _ = CLinux.close(readiness.write) }
        if let output { _ = CLinux.close(output.write) }
        guard pid > 0 else {
            if let readiness { _ = CLinux.close(readiness.read) }
            if let output { _ = CLinux.close(output.read) }
            throw .spawn(program: request.program, errno: spawnErrno)
        }
        if reaping == .ownChildren { ownChildren.append(pid) }
        return SpawnedChild(pid: ProcessID(pid), readiness: readiness.map { Channel($0.read) },
                            output: output.map { Channel($0.read) })
    }

    package func reapAny() -> ChildExit? {
        var status: Int32 = 0
        var pid: Int32 = 0
        switch reaping {
        case .anyChild:
            pid = clinux_reap_any(&status)
        case .ownChildren:
            for candidate in ownChildren {
                let result = clinux_reap_pid(candidate, &status)
                if result == candidate || result < 0 {
                    ownChildren.removeAll { $0 == candidate }
                    if result == candidate {
                        pid = candidate
                        break
                    }
                }
            }
        }
        guard pid > 0 else { return nil }
        if clinux_wifexited(status) != 0 {
            return ChildExit(pid: ProcessID(pid), status: .exited(clinux_wexitstatus(status)))
        }
        return ChildExit(pid: ProcessID(pid), status: .signaled(clinux_wtermsig(status)))
    }

    package func signal(_ pid: ProcessID, _ signal: ChildSignal) {
        // The child leads its own process group: signal the group, then the pid
        // in case it changed group itself.
        _ = kill(-pid.rawValue, signal.rawValue)
        _ = kill(pid.rawValue, signal.rawValue)
    }

    package func now() -> UInt64 { clinux_monotonic_ns() }

    package func wait(until deadline: UInt64, watching channels: [Channel]) -> Wakeup {
        var descriptors = [pollfd(fd: signalDescriptor, events: Int16(POLLIN), revents: 0)]
        for channel in channels { descriptors.append(pollfd(fd: channel.rawValue, events: Int16(POLLIN), revents: 0)) }
        let current = now()
        var timeout: Int32 = -1
        if deadline != UInt64.max {
            let remaining = deadline > current ? deadline - current : 0
            let millis = (remaining + 999_999) / 1_000_000
            timeout = millis > 86_400_000 ? 86_400_000 : Int32(millis)
        }
        let count = descriptors.withUnsafeMutableBufferPointer { buffer in
            poll(buffer.baseAddress, nfds_t(buffer.count), timeout)
        }
        var wakeup = Wakeup()
        guard count > 0 else { return wakeup }
        if descriptors[0].revents != 0 {
            while true {
                let number = clinux_signalfd_next(signalDescriptor)
                if number <= 0 { break }
                switch number {
                case SIGTERM, SIGUSR1, SIGUSR2, SIGPWR: wakeup.requests.append(.powerOff)
                case SIGINT: wakeup.requests.append(.restart)
                default: break  // SIGCHLD: the init reaps after every wakeup; SIGHUP: ignored.
                }
            }
        }
        for (index, channel) in channels.enumerated() where descriptors[index + 1].revents != 0 {
            wakeup.readable.append(channel)
        }
        return wakeup
    }

    package func read(_ channel: Channel) -> ChannelRead {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { clinux_read_nonblocking(channel.rawValue, $0.baseAddress, $0.count) }
        if count > 0 { return .data(Array(buffer[0..<count])) }
        return count == -1 ? .empty : .endOfFile
    }

    package func close(_ channel: Channel) { _ = CLinux.close(channel.rawValue) }

    package func pathExists(_ path: String) -> Bool { path.withCString { clinux_path_exists($0) } != 0 }

    package func writeFile(_ path: String, contents: String) throws(InitError) {
        let descriptor = path.withCString { clinux_open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw .writeFile(path: path, errno: clinux_errno()) }
        let bytes = Array(contents.utf8)
        let result = bytes.withUnsafeBytes { clinux_write_all(descriptor, $0.baseAddress, $0.count) }
        _ = CLinux.close(descriptor)
        guard result == 0 else { throw .writeFile(path: path, errno: result) }
    }

    package func readFile(_ path: String) -> String? { try? readTextFile(path) }

    package func kernelRelease() -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        let error = buffer.withUnsafeMutableBufferPointer { clinux_kernel_release($0.baseAddress, $0.count) }
        guard error == 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    package func loadModule(path: String, parameters: String) throws(InitError) {
        let error = path.withCString { file in parameters.withCString { clinux_load_module_file(file, $0) } }
        guard error == 0 || error == EEXIST else { throw .loadModule(path: path, errno: error) }
    }

    package func writeConsole(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { clinux_write_all(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    package func power(_ action: PowerAction) {
        guard getpid() == 1 else {
            // Only PID 1 (of the machine, or of a PID namespace, where reboot(2)
            // ends the namespace) may stop the system; a test run must not.
            log("not PID 1: leaving the system running")
            return
        }
        let result = action == .powerOff ? clinux_power_off() : clinux_restart()
        log("error: reboot(2) failed (errno \(result)); is this PID 1 with CAP_SYS_BOOT?")
    }

    func makePipe(_ program: String) throws(InitError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { clinux_pipe_cloexec($0.baseAddress) }
        guard result == 0 else { throw .spawn(program: program, errno: clinux_errno()) }
        return (fds[0], fds[1])
    }

    func closeBoth(_ pipe: (read: Int32, write: Int32)) {
        _ = CLinux.close(pipe.read)
        _ = CLinux.close(pipe.write)
    }
}

/// A NULL-terminated `char *[]` built from Swift strings, freed on deinit.
final class CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            pointers[index] = string.withCString { strdup($0) }
        }
        pointers[strings.count] = nil
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }
}
