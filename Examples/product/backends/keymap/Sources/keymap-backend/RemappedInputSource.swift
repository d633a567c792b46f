// SPDX-License-Identifier: GPL-2.0-only OR MIT
import KbdIf

/// An input source that replaces key codes of another one (EV_KEY events only).
final class RemappedInputSource<Base: InputEventSource>: InputEventSource {
    let base: Base
    /// FROM → TO, Linux input key codes.
    let table: [UInt16: UInt16]

    init(base: Base, table: [UInt16: UInt16]) {
        self.base = base
        self.table = table
    }

    var fd: Int32 { base.fd }
    var capabilities: InputCapabilities { base.capabilities }

    func readEvents(into events: inout [InputEvent]) throws(InputSourceError) {
        let start = events.count
        try base.readEvents(into: &events)
        var index = start
        while index < events.count {
            if events[index].type == 1, let code = table[events[index].code] { events[index].code = code }
            index += 1
        }
    }
}
