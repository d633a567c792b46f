// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// A system where nothing happens: every operation succeeds and does nothing,
/// no child ever ends, time stands still, and every wait returns a power-off
/// request (so an init run over it comes straight back).
public final class NullProcessControl: ProcessControl {
    var nextPid: Int32 = 2
    /// Creates the null system.
    public init() {}
    public func mount(_ request: MountRequest) throws(InitError) {}
    public func makeDirectory(_ path: String) throws(InitError) {}
    public func spawn(_ request: SpawnRequest) throws(InitError) -> SpawnedChild {
        nextPid += 1
        return SpawnedChild(pid: ProcessID(nextPid), readiness: nil, output: nil)
    }
    public func reapAny() -> ChildExit? { nil }
    public func signal(_ pid: ProcessID, _ signal: ChildSignal) {}
    public func now() -> UInt64 { 0 }
    public func wait(until deadline: UInt64, watching channels: [Channel]) -> Wakeup { Wakeup(requests: [.powerOff]) }
    public func read(_ channel: Channel) -> ChannelRead { .endOfFile }
    public func close(_ channel: Channel) {}
    public func pathExists(_ path: String) -> Bool { true }
    public func writeFile(_ path: String, contents: String) throws(InitError) {}
    public func readFile(_ path: String) -> String? { nil }
    public func kernelRelease() -> String? { nil }
    public func loadModule(path: String, parameters: String) throws(InitError) {}
    public func writeConsole(_ text: String) {}
    public func power(_ action: PowerAction) {}
}
