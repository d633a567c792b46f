// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Everything the init does to the system, so its logic runs against a scripted
/// system in tests. Implementations: `LinuxProcessControl` (libc),
/// `ScriptedProcessControl` (virtual clock, scripted children).
///
/// Class-bound so the init and its readiness reporters can share one instance.
package protocol ProcessControl: AnyObject {
    /// Mounts a file system; an already mounted target is success.
    func mount(_ request: MountRequest) throws(InitError)
    /// Creates a directory and its missing parents (`mkdir -p`).
    func makeDirectory(_ path: String) throws(InitError)
    /// Starts a program in its own process group.
    func spawn(_ request: SpawnRequest) throws(InitError) -> SpawnedChild
    /// Reaps one child that has ended, without blocking; nil when none has.
    func reapAny() -> ChildExit?
    /// Sends a signal to a child's whole process group.
    func signal(_ pid: ProcessID, _ signal: ChildSignal)
    /// Monotonic time in nanoseconds since boot.
    func now() -> UInt64
    /// Blocks until `deadline` (monotonic ns), a child changes state, a power
    /// request arrives or one of `channels` becomes readable, whichever is first.
    func wait(until deadline: UInt64, watching channels: [Channel]) -> Wakeup
    /// Reads what is available on a channel without blocking.
    func read(_ channel: Channel) -> ChannelRead
    /// Closes a channel the init no longer needs.
    func close(_ channel: Channel)
    /// Whether a path (a device node) exists.
    func pathExists(_ path: String) -> Bool
    /// Replaces a file's contents (small status files).
    func writeFile(_ path: String, contents: String) throws(InitError)
    /// The contents of a small text file, or nil when it cannot be read.
    func readFile(_ path: String) -> String?
    /// The running kernel's release (`uname -r`), or nil.
    func kernelRelease() -> String?
    /// Loads the kernel module in file `path` (finit_module(2)); an already
    /// loaded module is success.
    func loadModule(path: String, parameters: String) throws(InitError)
    /// Writes text to the console as is.
    func writeConsole(_ text: String)
    /// Stops the machine. Returns only if that failed (or in tests).
    func power(_ action: PowerAction)
}

extension ProcessControl {
    /// Writes one console line prefixed with the time since boot, kernel style:
    /// `[   1.234567] init: message`.
    package func log(_ message: String) {
        writeConsole(formatLogLine(nanoseconds: now(), message: message))
    }
}
