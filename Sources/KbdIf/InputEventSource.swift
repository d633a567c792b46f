// SPDX-License-Identifier: GPL-2.0-only OR MIT

/// Where kbdif's input comes from: evdev in DomD, a script in tests.
public protocol InputEventSource: AnyObject {
    /// Readable when events are waiting; -1 if the source has no fd.
    var fd: Int32 { get }
    /// What the device reports.
    var capabilities: InputCapabilities { get }
    /// Appends the events available now, without blocking.
    func readEvents(into events: inout [InputEvent]) throws(InputSourceError)
}
