// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// An input source that never produces events (a backend serving no device).
public final class NullInputSource: InputEventSource {
    public init() {}
    public var fd: Int32 { -1 }
    public var capabilities: InputCapabilities { InputCapabilities() }
    public func readEvents(into events: inout [InputEvent]) throws(InputSourceError) {}
}
